package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.platform.api.Readiness;
import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the handlers of every queue on the container's managed scheduled executor, once the schema is
 * migrated. Each worker claims a batch, hands it to its handler and records the outcomes; a full batch
 * means more work is waiting, so it claims again at once, otherwise it sleeps for the poll interval. While a
 * queue has nothing due, a look at it is one plain read, and its workers take turns to look ({@link WorkerLane}).
 */
@ApplicationScoped
public class QueueWorkers {

    /** Retry jitter; SecureRandom like every random value of the server (see SecretRandomnessTest): one generator, no predictable one at hand. */
    private static final java.security.SecureRandom JITTER = new java.security.SecureRandom();


    private static final Logger LOG = Logger.getLogger(QueueWorkers.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Subscriptions subscriptions;

    @Inject
    ContainerWorkQueue queue;

    @Inject
    Config config;

    @Inject
    Readiness readiness;

    private final List<ScheduledFuture<?>> running = new ArrayList<>();
    private final Map<String, QueuePolicy> policies = new ConcurrentHashMap<>();
    /** The queues woken when a transaction that published to them commits. */
    private final Map<String, WorkerLane> wakeable = new ConcurrentHashMap<>();
    /** The queues whose items published here are claimed by their publishing transaction and handed to these lanes. */
    private final Map<String, WorkerLane> handedOver = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    void start(@Observes Database.Ready ready) {
        Readiness.Part part = readiness.part("work-queue-workers");
        for (WorkHandler<?> handler : subscriptions.handlers()) {
            QueuePolicy policy = policy(handler.queue());
            boolean configured = config.getOptionalValue("queue." + handler.queue() + ".workers", Integer.class).isPresent();
            int workers = !configured && handler.concurrency() > 0 ? handler.concurrency() : policy.workers();
            AtomicReference<WorkerLane> self = new AtomicReference<>();
            WorkerLane lane = new WorkerLane(workers, () -> drain(handler, policy, self.get()));
            self.set(lane);
            for (int i = 0; i < workers; i++) {
                // the first look comes after one poll interval too: a queue configured to poll rarely is
                // really paused (benchmarks pause a stage that way, and turn its wake-up off), not drained once at start-up
                running.add(scheduler.scheduleWithFixedDelay(() -> lane.poll(policy.pollInterval()), policy.pollInterval().toMillis(),
                        policy.pollInterval().toMillis(), TimeUnit.MILLISECONDS));
            }
            boolean wakes = policy.wakeOnCommit() && handler.wakeOnCommit();
            if (wakes) {
                wakeable.put(handler.queue(), lane);
            }
            boolean handsOver = wakes && handler.startsWherePublished() && !handler.ordered();
            if (handsOver) {
                handedOver.put(handler.queue(), lane);
            }
            LOG.info(() -> "work queue '" + handler.queue() + "': " + workers + " worker(s) started"
                    + (wakes ? ", woken by commits" : ", polling only") + (handsOver ? ", items published here start here" : ""));
        }
        part.up();
    }

    /**
     * Transactions that published to these queues have committed: their free workers drain now instead of at their
     * next poll (a privacy request's steps follow each other without waiting a poll interval each). Other instances
     * still find the work at their next poll.
     */
    void wake(Iterable<String> queues) {
        if (stopping) {
            return;
        }
        for (String name : queues) {
            WorkerLane lane = wakeable.get(name);
            if (lane != null) {
                wake(name, lane);
            }
        }
    }

    /**
     * Whether an item published to the queue now is claimed by its publishing transaction, to be handed to a worker here
     * when it commits ({@link io.guestbridge.platform.api.WorkHandler#startsWherePublished()}); not while as many handed
     * items wait here as the queue has workers (a burst's items stay in the database for whichever worker is free).
     */
    boolean claimsWhenPublished(String queue) {
        WorkerLane lane = handedOver.get(queue);
        return !stopping && lane != null && lane.takesHandOvers();
    }

    /**
     * Items claimed by a transaction that published them, which has committed: a worker here takes them before it claims
     * again. If this instance is stopping they are given back at once, for whichever instance claims next.
     */
    void handOver(String queueName, List<WorkItem> items) {
        WorkerLane lane = handedOver.get(queueName);
        if (lane != null && !stopping) {
            try {
                lane.handOver(items, scheduler);
                if (stopping) {
                    // the stop began meanwhile and may have given back what the lane held before these came
                    giveBack(queueName, lane.takeHanded(Integer.MAX_VALUE));
                }
                return;
            } catch (RuntimeException e) {
                // a refused wake-up (executor shutting down): the items are given back below
                LOG.fine(() -> "work queue '" + queueName + "': hand-over refused: " + e.getClass().getName());
                items = lane.takeHanded(Integer.MAX_VALUE);
            }
        }
        giveBack(queueName, items);
    }

    private void giveBack(String queueName, List<WorkItem> items) {
        if (items.isEmpty()) {
            return;
        }
        try {
            queue.release(items);
        } catch (RuntimeException e) {
            // the database is gone too: the items' leases run out and another instance (or this one, restarted) claims them
            LOG.log(Level.WARNING, "work queue '" + queueName + "': " + items.size() + " item(s) handed over at the stop stay leased "
                    + "until their lease runs out: " + e.getClass().getName());
        }
    }

    private void wake(String name, WorkerLane lane) {
        try {
            lane.wake(scheduler);
        } catch (RuntimeException e) {
            // a refused wake-up (executor shutting down) only means the next poll finds the work
            LOG.fine(() -> "work queue '" + name + "': wake-up refused: " + e.getClass().getName());
        }
    }

    /** The policy of a queue, from configuration. */
    public QueuePolicy policy(String queueName) {
        return policies.computeIfAbsent(queueName, name -> QueuePolicy.from(config, name));
    }

    /** Names of the queues that have a handler in this deployment. */
    public List<String> handledQueues() {
        List<String> names = new ArrayList<>();
        subscriptions.handlers().forEach(h -> names.add(h.queue()));
        return names;
    }

    @PreDestroy
    void stop() {
        stopping = true;
        running.forEach(f -> f.cancel(false));
        handedOver.forEach((name, lane) -> giveBack(name, lane.takeHanded(Integer.MAX_VALUE)));
    }

    /**
     * The batch's messages; an item whose payload is no message of the queue's type cannot succeed by being
     * tried again, so it goes to the dead state with the reason, where an operator sees it, not into a retry loop.
     */
    static <T extends Message> List<Envelope<T>> decode(Class<T> type, List<WorkItem> batch, WorkHandler.Outcomes outcomes) {
        return decode(item -> MessageCodec.decode(item, type), batch, outcomes);
    }

    /** As {@link #decode(Class, List, WorkHandler.Outcomes)}, each item read by the handler ({@link WorkHandler#decode}). */
    static <T extends Message> List<Envelope<T>> decode(java.util.function.Function<WorkItem, T> reader, List<WorkItem> batch,
                                                        WorkHandler.Outcomes outcomes) {
        List<Envelope<T>> decoded = new ArrayList<>(batch.size());
        for (WorkItem item : batch) {
            try {
                decoded.add(new Envelope<>(item, reader.apply(item)));
            } catch (MessageCodec.MalformedMessageException e) {
                outcomes.dead(item, e.getMessage());
            }
        }
        return decoded;
    }

    /**
     * Claims and handles batches until the queue has no more due work (a batch short of the claim's size), two
     * seconds have passed or the handler paused the queue ({@link WorkerLane#claimsPaused()}); items handed over by this
     * instance's publishing commits are taken first, with no claim.
     */
    <T extends Message> void drain(WorkHandler<T> handler, QueuePolicy policy, WorkerLane lane) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            List<WorkItem> batch;
            boolean handed;
            boolean first = true;
            int max;
            do {
                // asked before each claim: a handler may size its claims by what the last one held (a CRM connector's items
                // hold from one contact to a request's worth)
                max = handler.batchSize();
                // handed-over items cost no claim
                batch = lane.takeHanded(max);
                handed = !batch.isEmpty();
                if (!handed) {
                    if (lane.claimsPaused()) {
                        return; // the handler said the queue cannot go on yet: claiming would only put the batch back
                    }
                    // the first look of an idle lane's drain is one read outside any transaction: most looks at an idle
                    // queue find nothing due, and a claim's transaction would cost them four round trips and a commit. A
                    // lane whose last look found work claims at once: the read would find work too, and on a busy queue
                    // it is not cheap (the head of the claim index holds the entries that the last moments' claims and
                    // completions left, each checked for visibility: 1,000 to 3,000 pages read for 150 rows while three
                    // CRMs drained at once)
                    batch = first && lane.idle() && !queue.hasDue(handler.queue()) ? List.of()
                            : queue.claim(handler.queue(), max, policy, handler.ordered());
                }
                if (batch.isEmpty()) {
                    if (first) {
                        lane.foundNothing();
                    }
                    return;
                }
                if (first) {
                    lane.foundWork();
                    first = false;
                }
                RecordedOutcomes outcomes = new RecordedOutcomes(batch);
                List<Envelope<T>> decoded = decode(handler::decode, batch, outcomes);
                Throwable failure = null;
                Set<Long> completed;
                CommittedCompletions.watch();
                try {
                    if (!decoded.isEmpty()) {
                        handler.handle(decoded, outcomes);
                    }
                } catch (Exception | LinkageError e) {
                    failure = e;
                    LOG.log(Level.WARNING, "work queue '" + handler.queue() + "': handler failed on a batch of "
                            + batch.size() + ": " + e.getClass().getName() + ": " + Redaction.redact(e.getMessage()) + where(e));
                } finally {
                    completed = CommittedCompletions.stop();
                }
                List<RecordedOutcomes.Outcome> toRecord = outcomes.toRecord(failure, policy.backoff(), JITTER.nextDouble(), completed);
                if (!toRecord.isEmpty()) {
                    queue.record(toRecord, policy);
                }
                outcomes.pause().ifPresent(lane::pauseFor);
            } while (!stopping && (handed || batch.size() == max) && System.nanoTime() < until);
        } catch (RuntimeException e) {
            // never let the exception escape: a scheduled task that throws is never run again
            LOG.log(Level.WARNING, "work queue '" + handler.queue() + "': " + e.getClass().getName() + ": "
                    + Redaction.redact(e.getMessage()));
        }
    }

    /**
     * Where a failure was thrown and the innermost of our frames it passed, as class, method and line: enough to find a
     * defect (an exception's message alone, often null, was not), and no data, since frames name only code.
     */
    static String where(Throwable e) {
        StackTraceElement[] frames = e.getStackTrace();
        if (frames.length == 0) {
            return "";
        }
        StackTraceElement ours = null;
        for (StackTraceElement frame : frames) {
            if (frame.getClassName().startsWith("io.guestbridge.")) {
                ours = frame;
                break;
            }
        }
        return " (at " + frames[0] + (ours == null || ours == frames[0] ? "" : ", from " + ours) + ")";
    }
}
