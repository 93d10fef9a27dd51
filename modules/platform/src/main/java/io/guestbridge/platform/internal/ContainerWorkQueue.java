package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.platform.api.QueueStats;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;

/** The work queue inside the server: the store's SQL on the JTA data source, in the caller's transaction. */
@ApplicationScoped
public class ContainerWorkQueue implements WorkQueue {

    private final WorkQueueStore store = new WorkQueueStore();

    private static final Object COALESCED = ContainerWorkQueue.class.getName() + ".coalesced";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    jakarta.transaction.TransactionSynchronizationRegistry registry;

    @Inject
    Subscriptions subscriptions;

    @Override
    @Transactional(TxType.MANDATORY)
    public void publish(Message message) {
        publish(message, message.coalesceKey());
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public void publish(Message message, String coalesceKey) {
        List<String> queues = subscriptions.queuesOf(message.getClass());
        if (queues.isEmpty()) {
            return;
        }
        String payload = MessageCodec.encode(message);
        for (String queue : queues) {
            if (coalesceKey == null) {
                Jdbc.inConnection(dataSource, "work queue", c -> store.insert(c, queue, payload, message.guestId()));
            } else {
                enqueueCoalesced(queue, coalesceKey, payload, message.guestId());
            }
        }
    }

    private void enqueueCoalesced(String queue, String coalesceKey, String payload, String guestId) {
        // a transaction that changes one guest several times (created, fields, consent) needs its coalesced
        // item written once: the first write already set it pending with this payload and bumped its generation
        @SuppressWarnings("unchecked")
        java.util.Map<String, Long> done = (java.util.Map<String, Long>) registry.getResource(COALESCED);
        if (done == null) {
            done = new java.util.HashMap<>();
            registry.putResource(COALESCED, done);
        }
        String key = queue + "\u0000" + coalesceKey + "\u0000" + payload;
        if (!done.containsKey(key)) {
            done.put(key, Jdbc.inConnection(dataSource, "work queue", c -> store.insertCoalesced(c, queue, coalesceKey, payload, guestId)));
        }
    }

    /** Removes every waiting item about the guest, in the caller's transaction. */
    @Transactional(TxType.MANDATORY)
    public int eraseGuest(String guestId) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.eraseGuest(c, guestId));
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public boolean complete(WorkItem item) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.complete(c, item));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<QueueStats> stats() {
        return Jdbc.inConnection(dataSource, "work queue", store::stats);
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public List<WorkItem> dead(String queue, long afterId, int limit) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.dead(c, queue, afterId, limit));
    }

    @Override
    @Transactional(TxType.REQUIRED)
    public boolean replay(String queue, long id) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.replay(c, queue, id));
    }

    @Override
    @Transactional(TxType.REQUIRED)
    public boolean discard(String queue, long id) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.discard(c, queue, id));
    }

    @Override
    @Transactional(TxType.SUPPORTS)
    public Optional<WorkItem> find(long id) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.find(c, id));
    }

    /** Claims a batch in a transaction of its own, so the row locks are held only for the claim. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<WorkItem> claim(String queue, int max, QueuePolicy policy) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.claim(c, queue, max, policy.lease(), policy.maxAttempts()));
    }

    /** Records what a handler reported, in a transaction of its own. */
    @Transactional(TxType.REQUIRES_NEW)
    public void record(List<RecordedOutcomes.Outcome> outcomes, QueuePolicy policy) {
        Jdbc.inConnection(dataSource, "work queue", c -> {
            store.completeAll(c, outcomes.stream().filter(o -> o.kind() == RecordedOutcomes.Kind.DONE).map(RecordedOutcomes.Outcome::item).toList());
            for (RecordedOutcomes.Outcome outcome : outcomes) {
                switch (outcome.kind()) {
                    case DONE -> {
                        // completed above, all at once
                    }
                    case RETRY -> store.retry(c, outcome.item(), outcome.delay(), outcome.reason(), policy.maxAttempts(), true);
                    case RETRY_AFTER -> store.retry(c, outcome.item(), outcome.delay(), outcome.reason(), policy.maxAttempts(), false);
                    case DEAD -> store.dead(c, outcome.item(), outcome.reason());
                }
            }
            return null;
        });
    }


}
