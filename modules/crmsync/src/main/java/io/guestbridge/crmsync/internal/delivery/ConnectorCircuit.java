package io.guestbridge.crmsync.internal.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A circuit breaker for one connector: after half or more of the last ten requests failed (5xx,
 * timeouts, resets; never rate-limit waits), it opens for {@code openFor} and requests wait instead of
 * hammering a CRM that is down; then one trial request is let through (half-open), and its success
 * closes the circuit again. Work waiting on an open circuit stays in the queue and uses no attempts.
 *
 * <p>Our own rather than MicroProfile Fault Tolerance's {@code @CircuitBreaker}: that one keeps its state
 * per annotated method, and connectors are configured at run time, several of one type; a breaker must
 * belong to each connector.
 */
public final class ConnectorCircuit {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private static final int WINDOW = 10;
    private static final double FAILURE_RATIO = 0.5;

    private final Duration openFor;
    private final Deque<Boolean> outcomes = new ArrayDeque<>();
    private State state = State.CLOSED;
    private Instant openedAt;
    private boolean trialInFlight;

    ConnectorCircuit(Duration openFor) {
        this.openFor = openFor;
    }

    /** Empty when a request may go now; else how long to wait. */
    synchronized Optional<Duration> admit(Instant now) {
        if (state == State.OPEN) {
            Duration left = Duration.between(now, openedAt.plus(openFor));
            if (!left.isNegative() && !left.isZero()) {
                return Optional.of(left);
            }
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        if (state == State.HALF_OPEN) {
            if (trialInFlight) {
                return Optional.of(Duration.ofSeconds(1));
            }
            trialInFlight = true;
        }
        return Optional.empty();
    }

    synchronized void succeeded() {
        record(true);
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            outcomes.clear();
        }
    }

    synchronized void failed(Instant now) {
        record(false);
        if (state == State.HALF_OPEN || (outcomes.size() >= WINDOW / 2 && failures() >= FAILURE_RATIO * outcomes.size())) {
            state = State.OPEN;
            openedAt = now;
            trialInFlight = false;
        }
    }

    public synchronized State state() {
        return state;
    }

    private void record(boolean success) {
        outcomes.addLast(success);
        while (outcomes.size() > WINDOW) {
            outcomes.removeFirst();
        }
    }

    private long failures() {
        return outcomes.stream().filter(ok -> !ok).count();
    }
}
