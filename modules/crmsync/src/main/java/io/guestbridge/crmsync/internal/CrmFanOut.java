package io.guestbridge.crmsync.internal;

import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * The outbox's first step: "this guest changed" (written by identity and consent in the transaction of
 * the change) becomes one item per enabled connector, coalesced per guest on that connector's queue, so
 * connectors progress independently: a CRM that is down or rate-limited holds up only its own work.
 */
@ApplicationScoped
public class CrmFanOut implements WorkHandler {

    @Inject
    Connectors connectors;

    @Inject
    WorkQueue queue;

    @Override
    public String queue() {
        return GuestDirectory.CRM_SYNC_QUEUE;
    }

    @Override
    public int batchSize() {
        return 200;
    }

    @Override
    @Transactional
    public void handle(List<WorkItem> batch, Outcomes outcomes) {
        for (WorkItem item : batch) {
            for (ConnectorSettings connector : connectors.enabled()) {
                // the change time travels along, for the "change to CRM acknowledgement" latency
                queue.enqueueCoalesced(connector.queue(), item.coalesceKey(), item.payload().replaceFirst("}\\s*$",
                        ",\"changedAt\":\"" + item.createdAt() + "\"}"));
            }
            queue.complete(item);
            outcomes.done(item);
        }
    }
}
