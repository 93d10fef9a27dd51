package io.guestbridge.platform.api;

import java.time.Duration;
import java.util.List;

/**
 * Receives the messages of one type on one queue. Implement it as an application-scoped CDI bean; the
 * platform's workers find it, route every published message of {@link #type()} to {@link #queue()}, claim
 * batches on the container's managed executor, decode them and call {@link #handle}. An item whose payload
 * does not decode goes to the dead state with the reason, where operators see, replay or discard it.
 *
 * <p>Delivery is at least once: an item whose worker crashed is claimed again after its lease. A
 * handler whose effects are all in this database gets exactly once by calling
 * {@link WorkQueue#complete(WorkItem)} inside its own transaction.
 */
public interface WorkHandler<T extends Message> {

    /** The messages this handler receives. */
    Class<T> type();

    /**
     * The message an item's payload holds, as {@link MessageCodec#decode(WorkItem, Class)} reads it (the default). A queue
     * whose messages are many and small may read the stored form more cheaply, for the same message and the same
     * {@link MessageCodec.MalformedMessageException} on a payload that is none.
     */
    default T decode(WorkItem item) {
        return MessageCodec.decode(item, type());
    }

    /** The queue the handler's messages wait in: its own, named by the consumer, never by a producer. */
    String queue();

    /** How many items one claim takes at most. */
    default int batchSize() {
        return 50;
    }

    /**
     * How many workers this queue wants in each instance (e.g. a CRM connector's concurrency cap); 0 for
     * the queue policy's default. Configuration ({@code QUEUE_<NAME>_WORKERS}) still overrides it.
     */
    default int concurrency() {
        return 0;
    }

    /**
     * Whether a commit that published to this queue wakes its workers at once (the default) rather than leaving the
     * work for their next poll. A handler that waits on purpose for a fuller batch says no: waking it would only make
     * it claim a partial batch and put it back. Configuration ({@code QUEUE_<NAME>_WAKE_ON_COMMIT}) can turn it off too.
     */
    default boolean wakeOnCommit() {
        return true;
    }

    /**
     * True for a queue whose items should start at once in the instance that published them, each waiting on the one
     * before it (a privacy request's next steps, which start only when its local step has committed). An item published
     * without a coalesce key is then claimed by this instance in the publishing transaction itself, and handed to one of
     * its workers as that transaction commits: it starts without a claim of its own, a transaction of several round
     * trips and a commit. Other instances see it only if this one stops before its lease runs out, as with any claim.
     * Needs {@link #wakeOnCommit()}; ignored for an {@link #ordered()} queue.
     */
    default boolean startsWherePublished() {
        return false;
    }

    /**
     * True for a queue whose items must be handled in the order they were queued (their ids), e.g. messages a rate-limited
     * channel sends in arrival order. Such a queue is claimed from its oldest waiting item on and only up to the first
     * item that is not due: an item waiting for a retry or a Retry-After holds back everything queued after it, rather
     * than being overtaken. With one worker per instance ({@link #concurrency()} 1) the order holds on that instance.
     */
    default boolean ordered() {
        return false;
    }

    /**
     * Whether messages published from now on reach this handler's queue (the default). A handler that would have nowhere
     * to pass them on says false, e.g. the CRM fan-out of a deployment with no CRM connector: publishing then writes no item
     * for it, where each would have been written, claimed and deleted for nothing. Its workers still drain what its queue
     * already holds. Asked once, when the deployment's subscriptions are first read.
     */
    default boolean subscribed() {
        return true;
    }

    /**
     * Handles one claimed batch, reporting each item's outcome. An item with no reported outcome,
     * or a thrown exception, counts as a retryable failure.
     */
    void handle(List<Envelope<T>> batch, Outcomes outcomes) throws Exception;

    /** Where a handler reports what happened to each item. */
    interface Outcomes {
        /** Done: the item leaves the queue (unless coalesced work arrived meanwhile). */
        void done(WorkItem item);

        /** Failed for now: try again after the queue's backoff. */
        void retry(WorkItem item, String reason);

        /** Failed for now, and the other side said when to come back (e.g. Retry-After). */
        void retryAfter(WorkItem item, Duration delay, String reason);

        /** Failed for good (e.g. a permanent 4xx): the item goes to the dead state with the reason. */
        void dead(WorkItem item, String reason);

        /**
         * Nothing of this queue can go on before {@code delay}, whichever items it holds (a request budget the whole
         * queue shares is spent, a circuit is open): this instance's workers claim none of its items until then,
         * rather than claiming batch after batch only to put each one back. The batch's items still need their own
         * outcomes. Pausing only saves work, it never changes an outcome, so an {@code Outcomes} that cannot pause
         * (a test's) may ignore it, as this default does.
         */
        default void pauseQueue(Duration delay) {
        }
    }
}
