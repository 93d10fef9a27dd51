package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.platform.api.QueueStats;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;

/** The work queue inside the server: the store's SQL on the JTA data source, in the caller's transaction. */
@ApplicationScoped
public class ContainerWorkQueue implements WorkQueue {

    private final WorkQueueStore store = new WorkQueueStore();

    private static final Object WRITES = ContainerWorkQueue.class.getName() + ".writes";
    private static final Object AFTER_COMMIT = ContainerWorkQueue.class.getName() + ".afterCommit";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    TransactionSynchronizationRegistry registry;

    @Inject
    Subscriptions subscriptions;

    @Inject
    QueueWorkers workers;

    @Override
    @Transactional(TxType.MANDATORY)
    public void publish(Message message) {
        publish(message, message.coalesceKey());
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public void publish(Message message, String coalesceKey) {
        publish(message, coalesceKey, null);
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public void publishDueSince(Message message, java.time.Instant dueSince) {
        if (message.coalesceKey() != null) {
            throw new IllegalArgumentException("a coalescing message is due when it was last published, not since " + dueSince);
        }
        publish(message, null, java.time.Duration.between(java.util.Objects.requireNonNull(dueSince, "dueSince"), java.time.Instant.now()));
    }

    /** {@code overdue}: how long the work has been due when it is published (null: due from now). */
    private void publish(Message message, String coalesceKey, java.time.Duration overdue) {
        List<String> queues = subscriptions.queuesOf(message.getClass());
        if (queues.isEmpty()) {
            return;
        }
        String payload = MessageCodec.encode(message);
        AfterCommit afterCommit = afterCommit();
        for (String queue : queues) {
            publishTo(queue, message, payload, coalesceKey, overdue, afterCommit);
        }
    }

    private void publishTo(String queue, Message message, String payload, String coalesceKey, java.time.Duration overdue, AfterCommit afterCommit) {
        if (coalesceKey == null && afterCommit != null && workers.claimsWhenPublished(queue)) {
            // claimed here and now, and handed to a worker of this instance by the commit: it starts without a claim
            String owner = UUID.randomUUID().toString();
            afterCommit.handOver(Jdbc.inConnection(dataSource, "work queue",
                    c -> store.insertLeased(c, queue, payload, message.guestId(), owner, workers.policy(queue).lease())));
            return;
        }
        if (coalesceKey == null) {
            // a new row locks nothing another transaction holds: written at once
            Jdbc.inConnection(dataSource, "work queue", c -> store.insert(c, queue, payload, message.guestId(), overdue));
        } else {
            writes().publish(queue, coalesceKey, payload, message.guestId());
        }
        if (afterCommit != null) {
            afterCommit.wake(queue);
        }
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public void completeLeaving(WorkItem item, Remainder remainder) {
        List<Message> left = new java.util.ArrayList<>(remainder.dead().keySet());
        if (remainder.pending() != null) {
            left.add(remainder.pending());
        }
        for (Message message : left) {
            if (!subscriptions.queuesOf(message.getClass()).contains(item.queue())) {
                throw new IllegalArgumentException("queue " + item.queue() + " has no handler of " + message.getClass().getSimpleName());
            }
        }
        complete(item);
        if (remainder.pending() != null) {
            Message pending = remainder.pending();
            publishTo(item.queue(), pending, MessageCodec.encode(pending), pending.coalesceKey(), null, afterCommit());
        }
        if (!remainder.dead().isEmpty()) {
            Jdbc.inConnection(dataSource, "work queue", c -> {
                for (Map.Entry<Message, String> letter : remainder.dead().entrySet()) {
                    store.insertDead(c, item.queue(), MessageCodec.encode(letter.getKey()), letter.getKey().guestId(), item.attempts(),
                            letter.getValue(), item.createdAt());
                }
                return null;
            });
        }
    }

    /** Removes every waiting item about the guest, in the caller's transaction. */
    @Transactional(TxType.MANDATORY)
    public int eraseGuest(String guestId) {
        int forgotten = writes().forgetGuest(guestId);
        return forgotten + Jdbc.inConnection(dataSource, "work queue", c -> store.eraseGuest(c, guestId));
    }

    @Override
    @Transactional(TxType.MANDATORY)
    public void complete(WorkItem item) {
        writes().complete(item);
    }

    /**
     * The transaction's coalesced writes, made as it commits, by a synchronization inside the transaction: a failure
     * there rolls the whole transaction back, so nothing is acknowledged that is not stored.
     */
    private OrderedWorkWrites writes() {
        OrderedWorkWrites writes = (OrderedWorkWrites) registry.getResource(WRITES);
        if (writes == null) {
            // the transaction's connection is taken now: the flush must not be the first to ask for it, at commit
            Jdbc.inConnection(dataSource, "work queue", c -> null);
            OrderedWorkWrites kept = new OrderedWorkWrites();
            registry.putResource(WRITES, kept);
            registry.registerInterposedSynchronization(new Synchronization() {
                private List<Long> completions = List.of();

                @Override
                public void beforeCompletion() {
                    if (registry.getTransactionStatus() == Status.STATUS_ACTIVE && !kept.isEmpty()) {
                        completions = kept.completedIds();
                        Jdbc.inConnection(dataSource, "work queue", c -> {
                            kept.flush(c, store);
                            return null;
                        });
                    }
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED && !completions.isEmpty()) {
                        CommittedCompletions.committed(completions); // the worker of this thread need not record them again
                    }
                }
            });
            writes = kept;
        }
        return writes;
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
        boolean replayed = Jdbc.inConnection(dataSource, "work queue", c -> store.replay(c, queue, id));
        AfterCommit afterCommit = replayed ? afterCommit() : null;
        if (afterCommit != null) {
            afterCommit.wake(queue);
        }
        return replayed;
    }

    /**
     * What this transaction's commit tells the workers of this instance: the queues it published to wake at once (before
     * the commit they would not see the work; after a rollback there is none), and the items it claimed as it published
     * them to hand over. Registered with the transaction on first use, so it costs a set per transaction; null when the
     * transaction is completing already (published from its own completion), and the next poll finds the work instead.
     */
    private AfterCommit afterCommit() {
        AfterCommit kept = (AfterCommit) registry.getResource(AFTER_COMMIT);
        if (kept != null) {
            return kept;
        }
        AfterCommit fresh = new AfterCommit();
        try {
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    // nothing to do before: the work is visible to workers only after the commit
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        fresh.handedOver.forEach(workers::handOver);
                        workers.wake(fresh.woken);
                    }
                    // after a rollback the items claimed when published do not exist: nothing to give back
                }
            });
        } catch (IllegalStateException tooLate) {
            return null;
        }
        registry.putResource(AFTER_COMMIT, fresh);
        return fresh;
    }

    /** The queues to wake, and the items claimed as they were published, by queue, when the transaction commits. */
    private static final class AfterCommit {
        private final Set<String> woken = new HashSet<>();
        private final Map<String, List<WorkItem>> handedOver = new LinkedHashMap<>();

        void wake(String queue) {
            woken.add(queue);
        }

        void handOver(WorkItem item) {
            handedOver.computeIfAbsent(item.queue(), q -> new ArrayList<>()).add(item);
        }
    }

    /** Gives up claims this instance made as it published, for items none of its workers started (it is stopping). */
    @Transactional(TxType.REQUIRES_NEW)
    public int release(List<WorkItem> items) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.release(c, items));
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

    /** Whether the queue has an item due now, as committed: one read, in no transaction, that locks nothing. */
    @Transactional(TxType.SUPPORTS)
    public boolean hasDue(String queue) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.hasDue(c, queue));
    }

    /** Claims a batch in a transaction of its own, so the row locks are held only for the claim. */
    @Transactional(TxType.REQUIRES_NEW)
    public List<WorkItem> claim(String queue, int max, QueuePolicy policy) {
        return claim(queue, max, policy, false);
    }

    /** As {@link #claim(String, int, QueuePolicy)}; an {@code ordered} queue strictly by id (see {@link WorkHandler#ordered()}). */
    @Transactional(TxType.REQUIRES_NEW)
    public List<WorkItem> claim(String queue, int max, QueuePolicy policy, boolean ordered) {
        return Jdbc.inConnection(dataSource, "work queue", c -> store.claim(c, queue, max, policy.lease(), policy.maxAttempts(), ordered));
    }

    /** Retries that one statement records together. */
    private record RetryGroup(String leaseOwner, java.time.Duration delay, String reason, boolean countsAsAttempt) {
    }

    /**
     * Records what a handler reported, in a transaction of its own: the items are locked in key order first and the
     * completions, retries and dead letters are written together (outside a transaction each statement would commit on
     * its own and the locks would be gone before the writes they order).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void record(List<RecordedOutcomes.Outcome> outcomes, QueuePolicy policy) {
        Jdbc.inConnection(dataSource, "work queue", c -> {
            // retries and dead letters update rows a publisher may be writing: all of them locked first, in its order
            store.lockInKeyOrder(c, outcomes.stream().map(RecordedOutcomes.Outcome::item).toList());
            store.completeLocked(c, outcomes.stream().filter(o -> o.kind() == RecordedOutcomes.Kind.DONE).map(RecordedOutcomes.Outcome::item).toList());
            // retries alike (a batch refused or held back as a whole) in one statement each
            Map<RetryGroup, List<WorkItem>> retries = new LinkedHashMap<>();
            for (RecordedOutcomes.Outcome outcome : outcomes) {
                switch (outcome.kind()) {
                    case DONE -> {
                        // completed above, all at once
                    }
                    case RETRY, RETRY_AFTER -> retries.computeIfAbsent(new RetryGroup(outcome.item().leaseOwner(), outcome.delay(), outcome.reason(),
                            outcome.kind() == RecordedOutcomes.Kind.RETRY), k -> new ArrayList<>()).add(outcome.item());
                    case DEAD -> store.dead(c, outcome.item(), outcome.reason());
                }
            }
            for (Map.Entry<RetryGroup, List<WorkItem>> group : retries.entrySet()) {
                RetryGroup g = group.getKey();
                store.retryAll(c, group.getValue(), g.leaseOwner(), g.delay(), g.reason(), policy.maxAttempts(), g.countsAsAttempt());
            }
            return null;
        });
    }


}
