package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Collects the outcome a handler reports for each item of a batch; silence counts as a retryable failure. */
final class RecordedOutcomes implements WorkHandler.Outcomes {

    enum Kind { DONE, RETRY, RETRY_AFTER, DEAD }

    record Outcome(WorkItem item, Kind kind, Duration delay, String reason) {
    }

    private final Map<Long, Outcome> byId = new LinkedHashMap<>();
    private final List<WorkItem> batch;
    /** The longest pause the handler asked for, or null: none. */
    private Duration pause;

    RecordedOutcomes(List<WorkItem> batch) {
        this.batch = batch;
    }

    @Override
    public void done(WorkItem item) {
        byId.put(item.id(), new Outcome(item, Kind.DONE, Duration.ZERO, null));
    }

    @Override
    public void retry(WorkItem item, String reason) {
        byId.put(item.id(), new Outcome(item, Kind.RETRY, Duration.ZERO, reason));
    }

    @Override
    public void retryAfter(WorkItem item, Duration delay, String reason) {
        byId.put(item.id(), new Outcome(item, Kind.RETRY_AFTER, delay, reason));
    }

    @Override
    public void dead(WorkItem item, String reason) {
        byId.put(item.id(), new Outcome(item, Kind.DEAD, Duration.ZERO, reason));
    }

    @Override
    public void pauseQueue(Duration delay) {
        if (!delay.isNegative() && !delay.isZero() && (pause == null || delay.compareTo(pause) > 0)) {
            pause = delay;
        }
    }

    /** The longest pause of the queue the handler asked for while handling the batch, if it asked for one. */
    Optional<Duration> pause() {
        return Optional.ofNullable(pause);
    }

    /**
     * The batch's outcomes, each retry with its delay: every item without an outcome fails with this cause
     * (the handler threw, or forgot it), and a failed item waits out {@code backoff} for its attempt count.
     * One jitter for the whole batch, not one per item: what failed together comes back together, as one
     * batch again. A draw per item scattered a failed CRM request of 100 guests over the backoff interval,
     * and the queue then sent them in dribs and drabs, one request each (the CRM sync benchmark's tail).
     * Retries are still spread apart between batches, which is where bursts come from.
     *
     * <p>When the handler threw, an item it reported done is retried too. "Done" was said inside the handler's
     * transaction, and a handler that throws may have had that transaction rolled back, at its commit even (a Galera
     * node that went away, a certification conflict): the work the item stood for (the CRM fan-out's per-connector
     * items, say) is then gone, and completing the item as well lost it for good. Seven guests never reached a CRM that
     * way when a node stopped under a burst. Retrying work that did commit is safe: items are delivered at least once,
     * and every handler already meets an item again after a lease ran out.
     */
    /**
     * {@link #all}, without the items whose completion the handler's own transaction committed ({@code committed}, their
     * ids): they are settled already, whatever the handler reported or threw afterwards.
     */
    List<Outcome> toRecord(Throwable failure, Backoff backoff, double jitter, Set<Long> committed) {
        List<Outcome> all = all(failure, backoff, jitter);
        return committed.isEmpty() ? all : all.stream().filter(o -> !committed.contains(o.item().id())).toList();
    }

    List<Outcome> all(Throwable failure, Backoff backoff, double jitter) {
        List<Outcome> out = new ArrayList<>(batch.size());
        for (WorkItem item : batch) {
            Outcome outcome = byId.get(item.id());
            if (outcome != null && failure != null && outcome.kind() == Kind.DONE) {
                outcome = null; // reported done before the handler failed: not known to have committed
            }
            if (outcome == null) {
                String reason = failure == null ? "the handler reported no outcome"
                        : failure.getClass().getName() + ": " + Redaction.redact(String.valueOf(failure.getMessage()));
                outcome = new Outcome(item, Kind.RETRY, Duration.ZERO, reason);
            }
            if (outcome.kind() == Kind.RETRY) {
                outcome = new Outcome(item, Kind.RETRY, backoff.delay(item.attempts(), jitter), outcome.reason());
            }
            out.add(outcome);
        }
        return out;
    }
}
