package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.time.Duration;
import java.time.Instant;

/**
 * Per-connector figures on /metrics: records sent, stored and failed, guests skipped because none of the connector's
 * triggers fired, and the time from a guest's
 * change to the CRM's acknowledgement (a timer: its quantiles give p50/p95).
 */
@ApplicationScoped
public class CrmMetrics {

    @Inject
    MetricRegistry registry;

    void requested(ConnectorSettings connector, int records, int stored, int failed) {
        Tag tag = new Tag("connector", connector.name());
        registry.counter("guestbridge_crm_records_sent", tag).inc(records);
        registry.counter("guestbridge_crm_records_stored", tag).inc(stored);
        registry.counter("guestbridge_crm_records_failed", tag).inc(failed);
    }

    /** Guests none of whose connector's triggers fired: not sent, not audited, counted here. */
    void skipped(ConnectorSettings connector, int skipped) {
        if (skipped > 0) {
            registry.counter("guestbridge_crm_records_skipped", new Tag("connector", connector.name())).inc(skipped);
        }
    }

    void latency(ConnectorSettings connector, Instant changedAt) {
        Duration latency = Duration.between(changedAt, Instant.now());
        if (!latency.isNegative()) {
            registry.timer("guestbridge_crm_change_to_ack", new Tag("connector", connector.name())).update(latency);
        }
    }
}
