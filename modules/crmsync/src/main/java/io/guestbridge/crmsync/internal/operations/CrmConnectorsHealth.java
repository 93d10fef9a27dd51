package io.guestbridge.crmsync.internal.operations;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * CRM connectors in /health/ready. A degraded or disabled CRM does not make guestbridge unready (events
 * are still accepted and kept; the connector's work waits in its queue), so the check stays UP and
 * names each connector's state: UP, DEGRADED (over 1 % failed records in 15 minutes) or DISABLED.
 * The reasons stay behind authentication (GET /api/v1/crm/connectors): readiness is public, and a
 * reason names settings and hosts of the network inside.
 */
@Readiness
@ApplicationScoped
public class CrmConnectorsHealth implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(CrmConnectorsHealth.class.getName());

    @Inject
    CrmConnectorStatus status;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("crm-connectors").up();
        try {
            for (CrmConnectorStatus.Status s : status.all()) {
                response.withData(s.connector(), s.state()
                        + (s.records15m() > 0 ? String.format(" (%.1f%% of %d records failed in 15 min)", 100 * s.errorRate15m(), s.records15m()) : ""));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "readiness: the CRM connector states could not be read: " + e.getClass().getName());
            response.withData("error", "connector states unavailable; see the server log");
        }
        return response.build();
    }
}
