package io.guestbridge.platform.api;

import java.time.Duration;
import java.util.Optional;

/**
 * The request budget of an outbound channel (an SMS gateway allowing 100 messages a minute), kept in the database
 * so every running instance draws from the same one. Requests are paced, one per {@code window / requests}: a
 * budget that resets per fixed window lets twice the rate through around its boundary, which the receiver's own
 * rolling window answers with 429s; pacing never does. When the budget is spent the answer is how long to wait,
 * and the work waits (e.g. {@link WorkHandler.Outcomes#retryAfter}) instead of failing.
 */
public interface RateBudget {

    /** At most {@code requests} per {@code window} on {@code channel}. */
    record Rate(String channel, int requests, Duration window) {
        public Rate {
            if (channel == null || channel.isBlank() || channel.length() > 64) {
                throw new IllegalArgumentException("a channel is named in 1 to 64 characters");
            }
            if (requests < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a rate needs requests >= 1 and a positive window");
            }
        }

        /** The time between two requests. */
        public Duration spacing() {
            return window.dividedBy(requests);
        }
    }

    /** Takes one request from the channel's budget; empty when taken, else how long until one is available. */
    Optional<Duration> take(Rate rate);

    /**
     * Pushes the channel's next request back to at least {@code delay} from now: the receiver said so (429 with
     * Retry-After), and every instance must hear it, not only the one that was told.
     */
    void holdOff(Rate rate, Duration delay);
}
