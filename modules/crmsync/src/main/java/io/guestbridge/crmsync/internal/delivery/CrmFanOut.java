package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.Connectors;
import io.guestbridge.identity.api.GuestChanged;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox's first step: "this guest changed" (published by identity in the transaction of the change) becomes
 * {@link ContactsDue}, which every enabled connector receives on its own queue, so connectors progress independently:
 * a CRM that is down or rate-limited holds up only its own work. The batch's guests go in items of the smallest request
 * any connector makes, so that every connector's requests are made of whole items and a request's outcome is its
 * items' outcome.
 */
@ApplicationScoped
public class CrmFanOut implements WorkHandler<GuestChanged> {

    @Inject
    WorkQueue queue;

    @Inject
    Connectors connectors;

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

    /**
     * Not without an enabled connector: a changed guest's item would be written, claimed and deleted to reach no
     * connector (connectors are read from configuration at start-up). A deployment that follows its guests through the
     * change feed only (GET /api/v1/guests/changes) then writes no CRM work at all.
     */
    @Override
    public boolean subscribed() {
        return !connectors.enabled().isEmpty();
    }

    @Override
    @Transactional
    public void handle(List<Envelope<GuestChanged>> batch, Outcomes outcomes) {
        // the change time travels along, for the "change to CRM acknowledgement" latency; a guest once (their changes coalesce)
        Map<String, ContactDue> due = new LinkedHashMap<>();
        for (Envelope<GuestChanged> changed : batch) {
            due.putIfAbsent(changed.message().guest(), new ContactDue(changed.message().guest(), changed.item().createdAt()));
            queue.complete(changed.item());
            outcomes.done(changed.item());
        }
        int size = connectors.enabled().stream().mapToInt(ConnectorSettings::batchSize).min().orElse(batchSize());
        List<ContactDue> contacts = new ArrayList<>(due.values());
        for (int from = 0; from < contacts.size(); from += size) {
            queue.publish(new ContactsDue(contacts.subList(from, Math.min(contacts.size(), from + size))));
        }
    }
}
