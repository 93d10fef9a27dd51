package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Works one connector's queue: a batch of guests becomes one CRM request. A batch smaller than the
 * connector's maximum waits (without using an attempt) until its oldest guest has lingered long enough,
 * so quiet periods still flush and busy ones fill whole requests.
 */
final class ConnectorHandler implements WorkHandler<ContactDue> {

    private final ConnectorSettings connector;
    private final CrmDelivery delivery;

    ConnectorHandler(ConnectorSettings connector, CrmDelivery delivery) {
        this.connector = connector;
        this.delivery = delivery;
    }

    @Override
    public Class<ContactDue> type() {
        return ContactDue.class;
    }

    @Override
    public ContactDue decode(WorkItem item) {
        return MessageCodec.decode(item, ContactDue.class, ContactDue::read);
    }

    @Override
    public String queue() {
        return connector.queue();
    }

    @Override
    public int batchSize() {
        return connector.batchSize();
    }

    /** Requests in flight at once per instance: batches are built and answered in parallel, the budget stays shared. */
    @Override
    public int concurrency() {
        return connector.concurrency();
    }

    /** A connector that lingers for a fuller batch is left to its poll: a wake-up would claim a partial batch and put it back. */
    @Override
    public boolean wakeOnCommit() {
        return connector.linger().isZero();
    }

    @Override
    public void handle(List<Envelope<ContactDue>> batch, Outcomes outcomes) {
        if (batch.size() < connector.batchSize()) {
            Instant oldest = batch.stream().map(due -> due.item().createdAt()).min(Instant::compareTo).orElseThrow();
            Duration waited = Duration.between(oldest, Instant.now());
            if (waited.compareTo(connector.linger()) < 0) {
                Duration rest = connector.linger().minus(waited);
                batch.forEach(due -> outcomes.retryAfter(due.item(), rest, "lingering for a fuller batch"));
                return;
            }
        }
        delivery.deliver(connector, batch, outcomes);
    }
}
