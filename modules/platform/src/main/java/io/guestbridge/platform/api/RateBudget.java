package io.guestbridge.platform.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The request budget of an outbound channel (an SMS gateway allowing 100 messages a minute, a CRM allowing 100
 * requests per 10 seconds and 250,000 a day), kept in the database so every running instance draws from the same
 * one. Requests are paced, one per {@code window / requests}: a budget that resets per fixed window lets twice the
 * rate through around its boundary, which the receiver's own rolling window answers with 429s; pacing never does.
 * When the budget is spent the answer is how long to wait, and the work waits (e.g.
 * {@link WorkHandler.Outcomes#retryAfter}) instead of failing.
 */
public interface RateBudget {

    /** No daily cap. */
    int UNLIMITED_PER_DAY = Integer.MAX_VALUE;

    /** At most {@code requests} per {@code window} and {@code perDay} per UTC day on {@code channel}. */
    record Rate(String channel, int requests, Duration window, int perDay) {
        public Rate {
            if (channel == null || channel.isBlank() || channel.length() > 100) {
                throw new IllegalArgumentException("a channel is named in 1 to 100 characters");
            }
            if (requests < 1 || window.isNegative() || window.isZero() || perDay < 1) {
                throw new IllegalArgumentException("a rate needs requests >= 1, a positive window and a daily cap >= 1");
            }
        }

        /** At most {@code requests} per {@code window}, with no daily cap. */
        public Rate(String channel, int requests, Duration window) {
            this(channel, requests, window, UNLIMITED_PER_DAY);
        }

        /** The time between two requests. */
        public Duration spacing() {
            return window.dividedBy(requests);
        }
    }

    /**
     * How much of a channel's budget is used at a moment. The window counts from the first request after the last
     * window passed ({@code windowResetsAt} null: no window open); {@code nextRequestAt} null: a request may go now.
     */
    record Use(int usedInWindow, Instant windowResetsAt, int usedToday, Instant dayResetsAt, Instant nextRequestAt) {
    }

    /** Takes one request from the channel's budget; empty when taken, else how long until one is available. */
    Optional<Duration> take(Rate rate);

    /** The longest pacing gap {@link #takeWaitingBriefly} waits out in the caller's thread. */
    Duration BRIEF_WAIT = Duration.ofSeconds(2);

    /**
     * Takes one request, waiting out a pacing gap of up to {@link #BRIEF_WAIT} in the caller's thread (at most 50
     * waits, so the loop is bounded however the budget answers); empty when taken, else the longer wait (the daily
     * cap, a busy budget, a receiver's Retry-After), which the caller hands back to its queue instead of holding a
     * thread for it. An interrupt ends the waiting at once and answers the wait last seen.
     */
    default Optional<Duration> takeWaitingBriefly(Rate rate) {
        Optional<Duration> wait = take(rate);
        for (int tries = 0; wait.isPresent() && wait.get().compareTo(BRIEF_WAIT) <= 0 && tries < 50; tries++) {
            try {
                Thread.sleep(Math.max(1, wait.get().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            wait = take(rate);
        }
        return wait;
    }

    /**
     * Pushes the channel's next request back to at least {@code delay} from now: the receiver said so (429 with
     * Retry-After), and every instance must hear it, not only the one that was told.
     */
    void holdOff(Rate rate, Duration delay);

    /** The channel's use now, read without a lock: a moment's view for people, never a basis for taking. */
    Use use(Rate rate);
}
