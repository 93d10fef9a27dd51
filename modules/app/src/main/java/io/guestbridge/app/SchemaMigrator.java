package io.guestbridge.app;

import io.guestbridge.platform.api.Database;
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
 * Runs the Flyway migrations of {@code db/migration} when the application starts, before anything
 * uses the database, then announces {@link Database.Ready}. If the database is not reachable yet, the
 * server still starts (readiness stays DOWN) and the migration is retried every few seconds: starting
 * the application before its database is normal in a cluster.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Event<Database.Ready> ready;

    private volatile boolean migrated;
    private volatile String lastFailure = "not attempted yet";
    private ScheduledFuture<?> retry;

    @PostConstruct
    void start() {
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
        try {
            long started = System.nanoTime();
            MigrateResult result = Flyway.configure(getClass().getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            migrated = true;
            lastFailure = null;
            LOG.info(() -> "schema migrated: " + result.migrationsExecuted + " migration(s) applied, schema version "
                    + result.targetSchemaVersion + ", in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            ready.fire(new Database.Ready(result.migrationsExecuted));
            return true;
        } catch (RuntimeException e) {
            lastFailure = e.getClass().getSimpleName();
            LOG.log(Level.WARNING, "schema migration failed, retrying in 5 s: " + e.getClass().getName() + ": " + e.getMessage());
            return false;
        }
    }

    public boolean isMigrated() {
        return migrated;
    }

    /** Why the last migration attempt failed (an exception type, no details), or null. */
    public String lastFailure() {
        return lastFailure;
    }
}
