package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.WorkItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workers of one queue in this instance: at most {@code workers} drains at a time, whether a drain was started by
 * the poll timer or by a wake-up after a commit that published to the queue. A wake-up that finds every worker busy is
 * not lost: the flag it leaves makes a running drain look once more before it lets its worker go, so work published
 * while the queue was being drained is never left for the next poll.
 *
 * <p>The flag means "a task is on its way or a running drain will look again". It must never stay set without one:
 * every later wake-up would then see it set and start nothing, and the queue would wait for its poll until a drain
 * happened to clear it. So a wake-up whose task the executor refuses takes its flag back.
 *
 * <p>Items this instance claimed as it published them ({@link io.guestbridge.platform.api.WorkHandler#startsWherePublished()})
 * wait here, handed over by the publishing commit, and a drain takes them before it claims from the database. Only a
 * few at a time, as many as the lane has workers: an item's lease runs from its publication, so one that waited here
 * behind a burst could outlive its lease and be claimed a second time, and the rest of a burst is better left in the
 * database, where any instance's free worker claims it.
 *
 * <p>Each worker has a poll timer, but an idle lane looks about once per poll interval, not once per worker: a timer
 * that comes less than three quarters of an interval after a look that found nothing, or after another idle timer's
 * look began, is let pass. A server's twenty or thirty workers would otherwise look for work dozens of times a second
 * while nothing is due, each look costing both cores a little. A look's begin counts, not only its end: a lane's
 * timers start together and stay close, and each of them used to pass the check while the first one's look was still
 * on its way (the four privacy-step workers looked 14 times a second, not 4). A look that finds work puts every timer
 * back to work.
 *
 * <p>A handler may pause the lane ({@link io.guestbridge.platform.api.WorkHandler.Outcomes#pauseQueue}): a CRM
 * connector whose shared request budget is spent would otherwise have its spare workers claim batch after batch, read
 * each batch's guests and put them back, over and over while the budget's moments are taken by the others (with three
 * connectors draining at once, that churn took more CPU than the requests sent). A paused lane is not idle: when the
 * pause ends every timer looks again.
 */
final class WorkerLane {

    private final Semaphore workers;
    private final Runnable drain;
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final Queue<WorkItem> handed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger handedWaiting = new AtomicInteger();
    private final int handedLimit;
    /**
     * While the lane is idle: when a look last found nothing due, or an idle timer's look last began (System.nanoTime()),
     * whichever came later.
     */
    private final AtomicLong lookedAt = new AtomicLong();
    private volatile boolean idle;
    /** Until when the lane claims nothing (System.nanoTime()), its handler having said the queue cannot go on; 0: not paused. */
    private final AtomicLong pausedUntil = new AtomicLong();

    /**
     * The longest a lane pauses at a time, however long its handler asked for (a daily cap spent pauses until midnight):
     * after it a drain claims once more and the handler answers again, so a pause outlived by its cause (a budget
     * reset by an operator, changed settings) ends within this time.
     */
    static final java.time.Duration LONGEST_PAUSE = java.time.Duration.ofMinutes(1);

    WorkerLane(int workers, Runnable drain) {
        this.workers = new Semaphore(workers);
        this.handedLimit = workers;
        this.drain = drain;
    }

    /**
     * A worker's poll timer: a turn as {@link #run()}, unless the lane is idle and another worker looked, or began to,
     * less than three quarters of {@code interval} ago. Of idle timers that come together, one looks.
     */
    void poll(java.time.Duration interval) {
        if (idle) {
            long last = lookedAt.get();
            long now = System.nanoTime();
            if (now - last < interval.toNanos() / 4 * 3 || !lookedAt.compareAndSet(last, now)) {
                return;
            }
        }
        run();
    }

    /** A drain's look found nothing due: the lane is idle until a look finds work. */
    void foundNothing() {
        lookedAt.set(System.nanoTime());
        idle = true;
    }

    /** Whether the lane's last look found nothing due (and none since found work). */
    boolean idle() {
        return idle;
    }

    /** A drain's look found work: every worker's timer looks again. */
    void foundWork() {
        idle = false;
    }

    /** One worker's turn (a wake-up's, or the poll timer's): drains if a worker is free, and again while wake-ups arrive meanwhile. */
    void run() {
        if (!workers.tryAcquire()) {
            return; // every worker is draining already; a flag left by a wake-up is seen by one of them
        }
        try {
            do {
                wakeRequested.set(false);
                drain.run();
            } while (wakeRequested.get());
        } finally {
            workers.release();
        }
        // a wake-up that came between the last look and the release found no free worker: look once more
        if (wakeRequested.get()) {
            run();
        }
    }

    /**
     * Work was committed to the queue: a free worker drains it now rather than at the next poll. A refused task
     * (the executor shutting down or full) is thrown to the caller, and the flag is cleared so that the next wake-up
     * starts a task again.
     */
    void wake(Executor executor) {
        if (!wakeRequested.getAndSet(true)) {
            try {
                executor.execute(this::run);
            } catch (RuntimeException refused) {
                wakeRequested.set(false);
                throw refused;
            }
        }
    }

    /** Items claimed for this instance by the transaction that published them, committed now: a worker takes them next. */
    void handOver(List<WorkItem> items, Executor executor) {
        handedWaiting.addAndGet(items.size());
        handed.addAll(items);
        wake(executor);
    }

    /**
     * Whether an item published now may be claimed by its publisher and handed over: while fewer items wait here than
     * the lane has workers. Checked as the item is published, so a few publishers at once may pass it together.
     */
    boolean takesHandOvers() {
        return handedWaiting.get() < handedLimit;
    }

    /** Whether items handed over wait for a worker. */
    boolean hasHanded() {
        return !handed.isEmpty();
    }

    /** Up to {@code max} of the items handed over, oldest first; none when nothing was. */
    List<WorkItem> takeHanded(int max) {
        List<WorkItem> taken = new ArrayList<>();
        WorkItem item;
        while (taken.size() < max && (item = handed.poll()) != null) {
            taken.add(item);
        }
        handedWaiting.addAndGet(-taken.size());
        return taken;
    }

    /**
     * The handler said nothing of the queue can go on for {@code delay} (at most {@link #LONGEST_PAUSE}): drains claim
     * nothing until then. A longer pause asked for meanwhile stands; a shorter one does not cut it short.
     */
    void pauseFor(java.time.Duration delay) {
        long until = System.nanoTime() + Math.min(delay.toNanos(), LONGEST_PAUSE.toNanos());
        pausedUntil.accumulateAndGet(until, (held, asked) -> held == 0 || asked - held > 0 ? asked : held);
    }

    /**
     * Whether drains claim nothing now. Items handed over by a publishing commit are still taken: they are claimed
     * already, and their leases run from their publication.
     */
    boolean claimsPaused() {
        return !pauseLeft().isZero();
    }

    /** How long the lane's pause lasts still; zero when it claims. */
    java.time.Duration pauseLeft() {
        long until = pausedUntil.get();
        long left = until == 0 ? 0 : until - System.nanoTime();
        return left > 0 ? java.time.Duration.ofNanos(left) : java.time.Duration.ZERO;
    }
}
