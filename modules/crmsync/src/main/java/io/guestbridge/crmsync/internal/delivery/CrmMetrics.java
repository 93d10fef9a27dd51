package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-connector figures on /metrics: records sent, stored and failed, guests skipped because none of the connector's
 * triggers fired, and the time from a guest's
 * change to the CRM's acknowledgement (a timer: its quantiles give p50/p95).
 *
 * <p>Each connector's metrics are looked up in the registry once and kept: the timer is updated once per stored contact,
 * and a registry lookup (a metric id built, its tags sorted, a map searched) cost more than the update itself.
 */
@ApplicationScoped
public class CrmMetrics {

    @Inject
    MetricRegistry registry;

    /** One connector's metrics, as the registry holds them. */
    private record Of(Counter sent, Counter stored, Counter failed, Timer changeToAck) {
    }

    private final Map<String, Of> byConnector = new ConcurrentHashMap<>();

    private Of of(ConnectorSettings connector) {
        return byConnector.computeIfAbsent(connector.name(), name -> {
            Tag tag = new Tag("connector", name);
            return new Of(registry.counter("guestbridge_crm_records_sent", tag), registry.counter("guestbridge_crm_records_stored", tag),
                    registry.counter("guestbridge_crm_records_failed", tag),
                    registry.timer("guestbridge_crm_change_to_ack", tag));
        });
    }

    void requested(ConnectorSettings connector, int records, int stored, int failed) {
        Of metrics = of(connector);
        metrics.sent().inc(records);
        metrics.stored().inc(stored);
        metrics.failed().inc(failed);
    }

    /** Guests none of whose connector's triggers fired: not sent, not audited, counted here (the metric appears with the first). */
    void skipped(ConnectorSettings connector, int skipped) {
        if (skipped > 0) {
            registry.counter("guestbridge_crm_records_skipped", new Tag("connector", connector.name())).inc(skipped);
        }
    }

    /** The change-to-acknowledgement time of each contact the CRM stored, acknowledged now. */
    void latencies(ConnectorSettings connector, List<Instant> changedAt) {
        if (changedAt.isEmpty()) {
            return;
        }
        Timer timer = of(connector).changeToAck();
        Instant now = Instant.now();
        for (Instant changed : changedAt) {
            Duration latency = Duration.between(changed, now);
            if (!latency.isNegative()) {
                timer.update(latency);
            }
        }
    }
}
