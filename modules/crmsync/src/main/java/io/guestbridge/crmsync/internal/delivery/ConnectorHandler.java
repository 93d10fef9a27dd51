package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Works one connector's queue: a claim's items, as many contacts as one request takes, become one CRM request. A
 * request short of the connector's maximum waits (without using an attempt) until its oldest item has lingered long
 * enough, so quiet periods still flush and busy ones fill whole requests.
 */
final class ConnectorHandler implements WorkHandler<ContactsDue> {

    private final ConnectorSettings connector;
    private final CrmDelivery delivery;
    /** Contacts per item in this queue's last claim, which sizes the next one ({@link #batchSize()}). */
    private volatile double contactsPerItem = 1;

    ConnectorHandler(ConnectorSettings connector, CrmDelivery delivery) {
        this.connector = connector;
        this.delivery = delivery;
    }

    @Override
    public Class<ContactsDue> type() {
        return ContactsDue.class;
    }

    @Override
    public ContactsDue decode(WorkItem item) {
        return MessageCodec.decode(item, ContactsDue.class, ContactsDue::read);
    }

    @Override
    public String queue() {
        return connector.queue();
    }

    /**
     * Items one claim takes: as many as fill one request, judged by the contacts per item of the last claim, and one more
     * when items are smaller than a request, since they differ in size (the fan-out's batches are as large as the changes
     * waiting): claimed by the average alone, a claim of smaller items than the last one's sent a request short of the
     * maximum, which the CRM's limit counts as a whole one (Mailchimp then sent 5 % more requests than it needed). Under load an item holds
     * up to a request's worth of contacts, when changes trickle in one contact each; a fixed number of items claimed
     * either many requests' worth, each item past the first request put back, or one contact at a time.
     */
    @Override
    public int batchSize() {
        double perItem = contactsPerItem;
        int items = (int) Math.ceil(connector.batchSize() / perItem) + (perItem >= connector.batchSize() ? 0 : 1);
        return Math.max(1, Math.min(connector.batchSize(), items));
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
    public void handle(List<Envelope<ContactsDue>> batch, Outcomes outcomes) {
        // what this claim was sized by (when another worker of the queue claimed in between, a close guess)
        int asked = batchSize();
        contactsPerItem = batch.stream().mapToInt(due -> due.message().contacts().size()).average().orElse(1);
        List<Envelope<ContactsDue>> request = request(batch, connector.batchSize());
        int contacts = request.stream().mapToInt(due -> due.message().contacts().size()).sum();
        if (contacts < connector.batchSize() && batch.size() >= asked && asked < connector.batchSize()) {
            // the claim took all it asked for, yet its items were too small to fill a request: more are waiting, so they
            // go back and the next claim, sized by the smallest of them, takes enough (a claim of the most items a request
            // can take always fills it, so this ends), rather than the CRM's limit counting a short request as a whole one
            contactsPerItem = batch.stream().mapToInt(due -> due.message().contacts().size()).min().orElse(1);
            batch.forEach(due -> outcomes.retryAfter(due.item(), Duration.ZERO, "claimed too few contacts for a full request"));
            return;
        }
        for (Envelope<ContactsDue> due : batch) {
            if (!request.contains(due)) {
                outcomes.retryAfter(due.item(), Duration.ZERO, "left for the connector's next request");
            }
        }
        if (contacts < connector.batchSize()) {
            Instant oldest = request.stream().map(due -> due.item().createdAt()).min(Instant::compareTo).orElseThrow();
            Duration waited = Duration.between(oldest, Instant.now());
            if (waited.compareTo(connector.linger()) < 0) {
                Duration rest = connector.linger().minus(waited);
                request.forEach(due -> outcomes.retryAfter(due.item(), rest, "lingering for a fuller batch"));
                return;
            }
        }
        delivery.deliver(connector, request, outcomes);
    }

    /**
     * The items of one request: in the order claimed, until their contacts fill {@code max}. The last one may hold more
     * than fit: the request is filled to the connector's maximum (the CRM's limit counts requests, so a request short of
     * it wastes part of one), and what did not fit stays queued as a smaller item ({@link ContactLedger#remainders}).
     */
    static <T extends Envelope<ContactsDue>> List<T> request(List<T> batch, int max) {
        List<T> request = new ArrayList<>();
        int size = 0;
        for (T due : batch) {
            if (size >= max) {
                break;
            }
            request.add(due);
            size += due.message().contacts().size();
        }
        return request;
    }
}
