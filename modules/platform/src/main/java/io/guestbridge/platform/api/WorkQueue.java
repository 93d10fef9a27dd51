package io.guestbridge.platform.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable work queue on MariaDB, one mechanism for every module: the ingestion inbox, the CRM
 * outbox and the steps of privacy requests all run on it.
 *
 * <p>Publishing joins the caller's transaction, so work exists exactly when the change that caused it
 * was committed. Coalesced publications and completions are written as the transaction commits, sorted by
 * queue and coalesce key, so transactions lock the same items in the same order and do not deadlock. Workers claim
 * with {@code SELECT … FOR UPDATE SKIP LOCKED} under a lease (or, on a queue whose handler
 * {@linkplain WorkHandler#startsWherePublished() starts items where they are published}, the publishing transaction
 * claims the item itself and its commit hands it to a worker of the same instance), retry with exponential backoff and
 * jitter, and move an item to the dead state after its last attempt.
 */
public interface WorkQueue {

    /**
     * Publishes a message to every handler of its type: one item on each handler's queue, coalesced by the
     * message's {@link Message#coalesceKey()}. A message nobody handles in this deployment is not kept.
     * Joins the caller's transaction, so the message exists exactly when the change that caused it commits.
     */
    void publish(Message message);

    /**
     * Publishes as {@link #publish(Message)}, coalesced under {@code coalesceKey} instead of the message's
     * own key (e.g. a periodic sweep whose successive findings should wait as one item).
     */
    void publish(Message message, String coalesceKey);

    /**
     * Publishes as {@link #publish(Message)}, the item due since {@code dueSince} rather than since now (a later time
     * counts as now: it never delays). Due items are claimed oldest-due first, so work that continues something begun
     * earlier goes before work begun after it: a privacy request's steps in other systems, published when its local
     * step ends, are due since the request was received, and under a burst of requests each request's steps go before
     * those of the requests received after it, instead of every request's first step going first. The message must not
     * coalesce.
     */
    void publishDueSince(Message message, java.time.Instant dueSince);

    /**
     * Completes a claimed item inside the caller's transaction, so that the item disappears exactly
     * when the handler's own changes commit. If the claim was lost meanwhile (lease expired), the item is left
     * to whoever holds it now; if coalesced work arrived while it was held, it stays to run again.
     */
    void complete(WorkItem item);

    /**
     * Completes a claimed item as {@link #complete(WorkItem)} does and leaves what remains of its work on the item's own
     * queue (not on every queue its type goes to), both in the caller's transaction: for an item that carries several
     * pieces of work (a CRM request's worth of contacts) of which some are done and others are not. What is still to do
     * then waits, retries and dies on its own, rather than repeating what was done with it, and what failed for good
     * is a dead letter of its own, with its own reason.
     */
    void completeLeaving(WorkItem item, Remainder remainder);

    /**
     * What remains of an item's work ({@link #completeLeaving}): {@code pending}, still to do, as a new item due at once
     * and coalesced by its own key (none: null), and {@code dead}, pieces that failed for good, each a dead letter with its
     * reason and the item's attempts. Each must be smaller than the item, so that leaving a rest again and again ends.
     */
    record Remainder(Message pending, Map<Message, String> dead) {

        public Remainder {
            dead = dead == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dead));
        }
    }

    /** Statistics of every queue that has items or a handler. */
    List<QueueStats> stats();

    /** Dead items of a queue, oldest first, after the given id. */
    List<WorkItem> dead(String queue, long afterId, int limit);

    /** Puts a dead item back to pending with fresh attempts. Joins the caller's transaction. */
    boolean replay(String queue, long id);

    /** Removes a dead item for good. Joins the caller's transaction. */
    boolean discard(String queue, long id);

    /** One item, pending or dead. */
    Optional<WorkItem> find(long id);
}
