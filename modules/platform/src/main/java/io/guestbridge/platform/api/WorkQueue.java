package io.guestbridge.platform.api;

import java.util.List;
import java.util.Optional;

/**
 * The durable work queue on MariaDB, one mechanism for every module: the ingestion inbox, the CRM
 * outbox and the steps of privacy requests all run on it.
 *
 * <p>Enqueueing joins the caller's transaction, so work exists exactly when the change that caused it
 * was committed. Workers claim with {@code SELECT … FOR UPDATE SKIP LOCKED} under a lease, retry with
 * exponential backoff and jitter, and move an item to the dead state after its last attempt.
 */
public interface WorkQueue {

    /** Adds work; joins the caller's transaction. Returns the item id. */
    long enqueue(String queue, String payload);

    /**
     * Adds work coalesced by key: while an item with this key is pending, no second one is created;
     * its payload is replaced and, if a worker holds it, it runs once more after that worker finishes.
     * A dead item with this key is revived. Joins the caller's transaction.
     */
    long enqueueCoalesced(String queue, String coalesceKey, String payload);

    /**
     * Completes a claimed item inside the caller's transaction, so that the item disappears exactly
     * when the handler's own changes commit. Returns false when the claim was lost (lease expired).
     */
    boolean complete(WorkItem item);

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
