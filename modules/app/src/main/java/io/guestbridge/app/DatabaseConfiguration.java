package io.guestbridge.app;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;

/**
 * The one transactional database. Its location and credentials come from MicroProfile Config
 * ({@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD} in the environment). READ COMMITTED keeps queue
 * claimers from blocking each other on gap locks; connections are validated so a database restart
 * costs errors for seconds, not a server restart: each at most once per 5 s rather than on every borrow (validation
 * is a round trip to the database, and one request borrows connections several times, from this pool and the key
 * store's).
 *
 * <p>A connection is closed after 200 uses and opened again. On a Galera cluster the URL names the nodes in Connector/J's
 * {@code sequential} mode: a connection goes to the first node that answers and stays there, so when the node written to
 * went and came back, an instance that connected meanwhile writes through the next node while an instance started
 * since writes through the first, for as long as their connections live. Galera's row locks are local to a node: every
 * hot row written through both (the request budgets, the queues' claims, the leases) costs one of the two a refused
 * commit, its retry and, for a claim, the worker's turn (ClusterFailoverIT's instances logged some 350 of them in the
 * minute after the restart, none before it, and drained the CRM queues slower). Connections that are opened again follow
 * the URL back to the first node once the driver no longer holds it for down (60 s after it failed), and every instance
 * writes through one node again. One connect per 200 borrows costs little next to the borrows themselves.
 */
@ApplicationScoped
@DataSourceDefinition(
        name = "java:app/jdbc/guestbridge",
        className = "io.guestbridge.datasource.LocalTransactionDataSource",
        url = "${MPCONFIG=db.url}",
        user = "${MPCONFIG=db.user}",
        password = "${MPCONFIG=db.password}",
        isolationLevel = Connection.TRANSACTION_READ_COMMITTED,
        initialPoolSize = 2,
        minPoolSize = 2,
        maxPoolSize = 64,
        maxIdleTime = 300,
        properties = {
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.validate-atmost-once-period-in-seconds=5",
                "fish.payara.fail-all-connections=true",
                "fish.payara.max-wait-time-in-millis=10000",
                "fish.payara.max-connection-usage-count=200",
                // the work-queue workers and the inbox writers run on managed threads that carry no
                // component invocation; without this the pool hands them connections that are not
                // enlisted in their JTA transaction (autocommit), and a "transaction" is not one
                "fish.payara.allow-non-component-callers=true"
        })
public class DatabaseConfiguration {
}
