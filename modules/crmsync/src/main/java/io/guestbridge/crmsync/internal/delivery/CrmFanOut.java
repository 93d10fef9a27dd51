package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.identity.api.GuestChanged;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * The outbox's first step: "this guest changed" (published by identity in the transaction of the change)
 * becomes a {@link ContactDue}, which every enabled connector receives on its own queue, coalesced per guest,
 * so connectors progress independently: a CRM that is down or rate-limited holds up only its own work.
 */
@ApplicationScoped
public class CrmFanOut implements WorkHandler<GuestChanged> {

    @Inject
    WorkQueue queue;

    @Override
    public Class<GuestChanged> type() {
        return GuestChanged.class;
    }

    @Override
    public String queue() {
        return "crm-sync";
    }

    @Override
    public int batchSize() {
        return 200;
    }

    @Override
    @Transactional
    public void handle(List<Envelope<GuestChanged>> batch, Outcomes outcomes) {
        for (Envelope<GuestChanged> changed : batch) {
            // the change time travels along, for the "change to CRM acknowledgement" latency
            queue.publish(new ContactDue(changed.message().guest(), changed.item().createdAt()));
            queue.complete(changed.item());
            outcomes.done(changed.item());
        }
    }
}
