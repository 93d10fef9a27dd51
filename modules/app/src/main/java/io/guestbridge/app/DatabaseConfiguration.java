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
 * <p>On a Galera cluster the instances connect through HAProxy (deploy/haproxy/galera.cfg), which keeps every connection
 * on one synced node and, when it moves them, cuts the old node's sessions: validation then finds the first cut connection
 * and {@code fail-all-connections} reopens them all on the new node together, so two nodes are written only for the moment
 * of the switch (Galera's row locks are local to a node: every hot row written through both, the request budgets, the
 * queues' claims, the leases, costs one of the two a refused commit and its retry). A connection is also closed after 200
 * uses and opened again: with Connector/J's {@code sequential} URL instead of a balancer, that is what brings an instance
 * back to the first node after it returned (once the driver no longer holds it for down, 60 s after it failed). One
 * connect per 200 borrows costs little next to the borrows themselves.
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
                // a connection cut as it is made (the database's HAProxy moving every session to a node that came back, just
                // as an instance starts) is made again a second later, up to three times, instead of failing the
                // allocation: at deployment that failure left the instance running with no application, never ready
                "fish.payara.connection-creation-retry-attempts=3",
                "fish.payara.connection-creation-retry-interval-in-seconds=1",
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
