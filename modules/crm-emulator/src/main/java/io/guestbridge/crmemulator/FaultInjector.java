package io.guestbridge.crmemulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Faults a test has asked for, each good for a number of matching requests. Faults of one kind are used
 * in the order they were added; a request can meet one fault of each kind (say a delay and then a 503).
 */
final class FaultInjector {

    /** One armed fault: what it does, how many more requests it hits, and which requests it applies to. */
    private static final class Fault<T> {
        final T effect;
        final Predicate<RecordedRequest> matching;
        int remaining;

        Fault(T effect, int count, Predicate<RecordedRequest> matching) {
            this.effect = effect;
            this.remaining = count;
            this.matching = matching;
        }
    }

    /** Marker effect of a dropped connection, which carries no parameter. */
    private enum Drop { CONNECTION }

    private final List<Fault<Integer>> failures = new ArrayList<>();
    private final List<Fault<Drop>> drops = new ArrayList<>();
    private final List<Fault<Duration>> delays = new ArrayList<>();

    synchronized void failNext(int count, int status, Predicate<RecordedRequest> matching) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        failures.add(new Fault<>(status, positive(count), matching));
    }

    synchronized void resetNext(int count, Predicate<RecordedRequest> matching) {
        drops.add(new Fault<>(Drop.CONNECTION, positive(count), matching));
    }

    synchronized void slowNext(int count, Duration delay, Predicate<RecordedRequest> matching) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        delays.add(new Fault<>(delay, positive(count), matching));
    }

    synchronized void clear() {
        failures.clear();
        drops.clear();
        delays.clear();
    }

    synchronized Optional<Duration> takeDelay(RecordedRequest request) {
        return take(delays, request);
    }

    synchronized boolean takeDrop(RecordedRequest request) {
        return take(drops, request).isPresent();
    }

    synchronized OptionalInt takeFailure(RecordedRequest request) {
        return take(failures, request).map(OptionalInt::of).orElseGet(OptionalInt::empty);
    }

    private static <T> Optional<T> take(List<Fault<T>> faults, RecordedRequest request) {
        for (Iterator<Fault<T>> it = faults.iterator(); it.hasNext(); ) {
            Fault<T> fault = it.next();
            if (fault.matching.test(request)) {
                if (--fault.remaining == 0) {
                    it.remove();
                }
                return Optional.of(fault.effect);
            }
        }
        return Optional.empty();
    }

    private static int positive(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        return count;
    }
}
