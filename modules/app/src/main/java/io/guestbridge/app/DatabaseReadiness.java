package io.guestbridge.app;

import io.guestbridge.platform.api.Database;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Ready when the database answers and the schema migrations have run; a load balancer sends no traffic before. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    SchemaMigrator migrator;

    @Override
    public HealthCheckResponse call() {
        boolean answers;
        try (Connection connection = dataSource.getConnection()) {
            answers = connection.isValid(2);
        } catch (SQLException e) {
            answers = false;
        }
        boolean migrated = migrator.isMigrated();
        return HealthCheckResponse.named("database")
                .status(answers && migrated)
                .withData("reachable", answers)
                .withData("migrated", migrated)
                .build();
    }
}
