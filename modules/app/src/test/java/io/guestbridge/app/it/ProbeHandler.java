package io.guestbridge.app.it;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * A handler in the tests' shared WAR ({@link Deployed#sharedWar()}), never in the product, used by
 * {@link OperationsIT} to watch the platform's workers run inside the server: each item it handles records an audit event and completes the item in one
 * transaction (the exactly-once pattern real handlers use); some items fail once, some for good.
 */
@ApplicationScoped
public class ProbeHandler implements WorkHandler<ProbeHandler.Probe> {

    public static final String QUEUE = "it-probe";

    @Inject
    AuditTrail trail;

    @Inject
    WorkQueue queue;

    /** What {@link OperationsIT} writes into the queue: {@code {"kind":"ok"}}, {@code "flaky"} or {@code "permanent"}. */
    public record Probe(String kind) implements Message {
    }

    @Override
    public Class<Probe> type() {
        return Probe.class;
    }

    @Override
    public String queue() {
        return QUEUE;
    }

    @Override
    public int batchSize() {
        return 20;
    }

    @Override
    @Transactional
    public void handle(List<Envelope<Probe>> batch, Outcomes outcomes) {
        for (Envelope<Probe> probe : batch) {
            WorkItem item = probe.item();
            if ("permanent".equals(probe.message().kind())) {
                outcomes.dead(item, "probe: permanent failure");
            } else if ("flaky".equals(probe.message().kind()) && item.attempts() == 1) {
                outcomes.retry(item, "probe: first attempt fails");
            } else {
                trail.record(AuditEvent.of("platform", "QUEUE_PROBE_HANDLED").by(Actor.system("it-probe"))
                        .with("item", item.id()).with("attempt", item.attempts()).build());
                queue.complete(item);
                outcomes.done(item);
            }
        }
    }
}
