package io.guestbridge.app;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;

/**
 * The key store: a database of its own ({@code KEYS_DB_URL}, {@code KEYS_DB_USER}, {@code KEYS_DB_PASSWORD}),
 * holding the data keys wrapped under the master key, so that no backup of the data carries the keys that
 * open it. Not transactional: its connections are never enlisted in a JTA transaction (that would need XA
 * with the data database); every statement commits by itself, in the order the key vault decides.
 */
@ApplicationScoped
@DataSourceDefinition(
        name = "java:app/jdbc/guestbridge-keys",
        className = "io.guestbridge.datasource.LocalTransactionDataSource",
        url = "${MPCONFIG=keys.db.url}",
        user = "${MPCONFIG=keys.db.user}",
        password = "${MPCONFIG=keys.db.password}",
        transactional = false,
        isolationLevel = Connection.TRANSACTION_READ_COMMITTED,
        initialPoolSize = 1,
        minPoolSize = 1,
        maxPoolSize = 16,
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
                // validated at most once per 5 s each, as the data database's (a round trip per borrow otherwise)
                "fish.payara.validate-atmost-once-period-in-seconds=5",
                "fish.payara.fail-all-connections=true",
                "fish.payara.max-wait-time-in-millis=10000",
                "fish.payara.non-transactional-connections=true"
        })
public class KeyStoreConfiguration {
}
