package io.guestbridge.app;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Readiness;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the Flyway migrations of the key store ({@code db/keys}, history in {@code gbk_schema_history}) and
 * of the data ({@code db/migration}) when the application starts, before anything uses either database,
 * then announces {@link Database.Ready}, on which the modules start. If the database is
 * not reachable yet, the server still starts (readiness stays DOWN, its part "database-schema" says why) and
 * the migration is retried every few seconds: starting the application before its database is normal in a
 * cluster.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource(lookup = Database.KEYS_JNDI_NAME)
    DataSource keys;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Event<Database.Ready> ready;

    @Inject
    Readiness readiness;

    private volatile boolean migrated;
    private Readiness.Part schema;
    private ScheduledFuture<?> retry;

    @PostConstruct
    void start() {
        schema = readiness.part("database-schema");
        if (!migrate()) {
            retry = scheduler.scheduleWithFixedDelay(() -> {
                if (!migrated && migrate()) {
                    retry.cancel(false);
                }
            }, 5, 5, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (retry != null) {
            retry.cancel(false);
        }
    }

    private synchronized boolean migrate() {
        if (migrated) {
            return true;
        }
        MigrateResult keyStore;
        MigrateResult result;
        long started = System.nanoTime();
        try {
            // the key store first: the data migrations move keys into it
            keyStore = Flyway.configure(getClass().getClassLoader())
                    .dataSource(keys)
                    .locations("classpath:db/keys")
                    .table("gbk_schema_history")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            result = Flyway.configure(getClass().getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .javaMigrations(new GuestKeysApart(keys))
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            schema.down("migration failed (" + e.getClass().getSimpleName() + "), retrying every 5 s");
            LOG.log(Level.WARNING, "schema migration failed, retrying in 5 s: " + e.getClass().getName() + ": " + e.getMessage());
            return false;
        }
        migrated = true;
        schema.up();
        LOG.info(() -> "schema migrated: " + result.migrationsExecuted + " migration(s) applied, schema version "
                + result.targetSchemaVersion + "; key store " + keyStore.migrationsExecuted + " migration(s), version "
                + keyStore.targetSchemaVersion + "; in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        AtRestEncryption.report(dataSource);
        try {
            ready.fire(new Database.Ready(result.migrationsExecuted));
        } catch (RuntimeException e) {
            // a module that failed to start: the readiness check stays DOWN (its start-up never completes), so
            // no traffic reaches an instance that would half work; a restart is the way out
            schema.down("a module failed to start after the migrations (" + e.getClass().getSimpleName() + ")");
            LOG.log(Level.SEVERE, "start-up after the schema migrations failed; this instance stays unready", e);
        }
        return true;
    }
}
