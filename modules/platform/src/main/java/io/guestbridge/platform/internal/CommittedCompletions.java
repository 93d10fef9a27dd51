package io.guestbridge.platform.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The items a handler completed inside its own transactions ({@link io.guestbridge.platform.api.WorkQueue#complete}) that
 * then committed, while a worker handles a batch on this thread. Such an item is gone (or, with newer coalesced work, back
 * to pending without a lease) when the handler returns: recording its outcome again would be a transaction of its own
 * that locks and deletes rows that are not there any more, one per batch, on every path that completes its items in
 * the handler's transaction (a privacy request's steps, the CRM fan-out, WiFi deliveries).
 *
 * <p>A thread's transactions commit on that thread, so the commit's synchronization adds its completions to the set
 * the worker opened on the same thread; outside a worker's batch nothing is kept.
 */
final class CommittedCompletions {

    private static final ThreadLocal<Set<Long>> WATCHED = new ThreadLocal<>();

    private CommittedCompletions() {
    }

    /** From now on this thread's committed completions are kept, until {@link #stop()}. */
    static void watch() {
        WATCHED.set(new HashSet<>());
    }

    /** The ids kept since {@link #watch()}; nothing is kept afterwards. */
    static Set<Long> stop() {
        Set<Long> ids = WATCHED.get();
        WATCHED.remove();
        return ids == null ? Set.of() : ids;
    }

    /** A transaction of this thread committed these completions. */
    static void committed(Collection<Long> ids) {
        Set<Long> watched = WATCHED.get();
        if (watched != null) {
            watched.addAll(ids);
        }
    }
}
