package io.guestbridge.platform.internal;

import java.time.Duration;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(cap, base * 2^(n-1))}. The jitter spreads the retries of a burst that failed together
 * (a CRM outage, a rate limit) instead of sending them back at the same instant.
 */
public record Backoff(Duration base, Duration cap) {

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base " + base + ", cap " + cap);
        }
    }

    /** The longest wait after the given attempt (1 = the first attempt failed). */
    public Duration ceiling(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 40));
        long millis = base.toMillis();
        for (int i = 0; i < doublings && millis < cap.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, cap.toMillis()));
    }

    /** The wait after the given attempt, for a random number in [0, 1). */
    public Duration delay(int attempt, double random) {
        long ceiling = ceiling(attempt).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random * (ceiling - half)));
    }
}
