package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The readiness of the whole application (see {@link io.guestbridge.platform.api.Readiness}): DOWN until
 * the start-up completed and every registered part is up, and whenever the database does not answer.
 * Before this application is deployed Payara itself answers DOWN ("No Application deployed").
 */
@Readiness
@ApplicationScoped
public class ApplicationReadiness implements HealthCheck {

    static final String NAME = "guestbridge";

    private volatile DataSource dataSource;

    @Inject
    ReadinessParts parts;

    @Override
    public HealthCheckResponse call() {
        boolean reachable = databaseAnswers();
        boolean started = parts.started();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(reachable && started && parts.allPartsUp())
                .withData("database", reachable ? "UP" : "not answering")
                .withData("start-up", started ? "UP" : ReadinessParts.NOT_STARTED);
        parts.states().forEach(response::withData);
        return response.build();
    }

    private boolean databaseAnswers() {
        try (Connection connection = dataSource().getConnection()) {
            return connection.isValid(2);
        } catch (SQLException | NamingException e) {
            return false;
        }
    }

    /** Looked up when first asked, not injected: in an EAR this bean lives in lib/, set up before the data source. */
    private DataSource dataSource() throws NamingException {
        DataSource found = dataSource;
        if (found == null) {
            found = InitialContext.doLookup(Database.JNDI_NAME);
            dataSource = found;
        }
        return found;
    }
}
