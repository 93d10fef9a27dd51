package io.guestbridge.platform.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The request budget of an outbound channel (an SMS gateway allowing 100 messages a minute, a CRM allowing 100
 * requests per 10 seconds and 250,000 a day), kept in the database so every running instance draws from the same
 * one. Requests are paced, one per {@code (window + leeway) / requests}: a budget that resets per fixed window lets
 * twice the rate through around its boundary, which the receiver's own rolling window answers with 429s; pacing
 * never does. When the budget is spent the answer is how long to wait, and the work waits (e.g.
 * {@link WorkHandler.Outcomes#retryAfter}) instead of failing.
 *
 * <p>The receiver counts requests when they arrive, not when they took the budget. A request that arrives later
 * after its take than the one before it (a slow commit, a busy core, a pause of the sender or of the receiver)
 * closes the gap between them, and a spacing of exactly {@code window / requests} then puts one more into some
 * window of the receiver: any lateness at all is enough. So the spacing holds {@link Rate#leeway()} besides:
 * {@code requests + 1} takes span at least {@code window + leeway}, and as long as each request arrives within the
 * leeway after its take, no window of the receiver's holds more than {@code requests} of them. A take whose own
 * commit came back after more than half the leeway is not sent ({@link #take}); the other half is the send's.
 */
public interface RateBudget {

    /** No daily cap. */
    int UNLIMITED_PER_DAY = Integer.MAX_VALUE;

    /**
     * At most {@code requests} per {@code window} and {@code perDay} per UTC day on {@code channel}, as the receiver
     * counts them when each request arrives up to {@code leeway} after it took the budget (see {@link RateBudget}).
     */
    record Rate(String channel, int requests, Duration window, int perDay, Duration leeway) {
        public Rate {
            if (channel == null || channel.isBlank() || channel.length() > 100) {
                throw new IllegalArgumentException("a channel is named in 1 to 100 characters");
            }
            if (requests < 1 || window.isNegative() || window.isZero() || perDay < 1) {
                throw new IllegalArgumentException("a rate needs requests >= 1, a positive window and a daily cap >= 1");
            }
            if (leeway == null || leeway.isNegative()) {
                throw new IllegalArgumentException("a rate's leeway is zero or more");
            }
        }

        /** At most {@code requests} per {@code window} and {@code perDay} per UTC day, with no leeway for late arrivals. */
        public Rate(String channel, int requests, Duration window, int perDay) {
            this(channel, requests, window, perDay, Duration.ZERO);
        }

        /** At most {@code requests} per {@code window}, with no daily cap and no leeway. */
        public Rate(String channel, int requests, Duration window) {
            this(channel, requests, window, UNLIMITED_PER_DAY);
        }

        /**
         * The time between two takes: a window's share, and the leeway's, so that {@code requests + 1} takes span
         * {@code window + leeway} and requests late by up to the leeway still arrive at most {@code requests} to a window.
         */
        public Duration spacing() {
            return window.plus(leeway).dividedBy(requests);
        }

        /** How late after its take a request may still go (half the leeway; the other half is the send's own delay), or zero: unchecked. */
        public Duration sendWithin() {
            return leeway.dividedBy(2);
        }
    }

    /**
     * How much of a channel's budget is used at a moment. The window counts from the first request after the last
     * window passed ({@code windowResetsAt} null: no window open); {@code nextRequestAt} null: a request may go now.
     */
    record Use(int usedInWindow, Instant windowResetsAt, int usedToday, Instant dayResetsAt, Instant nextRequestAt) {
    }

    /**
     * Takes one request from the channel's budget, to be sent at once; empty when taken, else how long until one is
     * available. With a leeway, a take that came back later than {@link Rate#sendWithin()} after the moment it was
     * taken (its commit waited) is spent but not to be sent: the answer is then the wait for the next one.
     */
    default Optional<Duration> take(Rate rate) {
        return take(rate, Duration.ZERO);
    }

    /**
     * As {@link #take(Rate)}, and when the channel's next request is due within {@code ahead}, takes that one: its
     * moment is held for the caller, who waits for it in its own thread and then sends (empty answer). The next take
     * is then a spacing after that moment, not after the moment the caller came back: a taker that waits out each
     * gap and takes again would otherwise lose its own round trip to the database on every request, and a channel
     * kept busy would run some 5 to 10 % below its rate.
     */
    Optional<Duration> take(Rate rate, Duration ahead);

    /**
     * A moment of a channel held for one request ({@code at}: its request goes then, not before), or the wait when none
     * was held ({@code delay}): one of {@link #holdAll}'s answers, sent by {@link #send}.
     */
    record Held(Rate rate, Instant at, Duration delay) {
        public Held {
            if ((at == null) == (delay == null)) {
                throw new IllegalArgumentException("a held moment has either its moment or a wait");
            }
        }
    }

    /**
     * Holds a moment for each of {@code rates}, as {@link #take(Rate, Duration)} would take it, in one transaction: a
     * worker about to send several requests (to several channels, or several to one, whose moments are then a spacing
     * apart) locks and commits the budget once instead of once per request. Each answer in the order asked; each is
     * sent by {@link #send} in the thread that sends its request, when that request is about to go.
     */
    List<Held> holdAll(List<Rate> rates, Duration ahead);

    /**
     * A held moment's request goes: waits for the moment in the caller's thread and answers as {@link #take(Rate)}
     * does: empty when the request may be sent now; else how long until one is available (none was held, a receiver's
     * hold-off came meanwhile, or the moment came back too late to be sent: spent, not sent).
     */
    Optional<Duration> send(Held held);

    /** The longest pacing gap {@link #takeWaitingBriefly} waits out in the caller's thread. */
    Duration BRIEF_WAIT = Duration.ofSeconds(2);

    /**
     * Takes one request, waiting out a pacing gap of up to {@link #BRIEF_WAIT} in the caller's thread (at most 50
     * waits, so the loop is bounded however the budget answers); empty when taken, else the longer wait (the daily
     * cap, a busy budget, a receiver's Retry-After), which the caller hands back to its queue instead of holding a
     * thread for it. An interrupt ends the waiting at once and answers the wait last seen.
     */
    default Optional<Duration> takeWaitingBriefly(Rate rate) {
        return waitingBriefly(rate, take(rate, BRIEF_WAIT));
    }

    /**
     * Sends a held moment ({@link #send}); a wait of up to {@link #BRIEF_WAIT} is waited out in the caller's thread and
     * a moment taken again, as {@link #takeWaitingBriefly} does (hold the moments with {@code ahead} = {@link #BRIEF_WAIT}).
     */
    default Optional<Duration> sendWaitingBriefly(Held held) {
        return waitingBriefly(held.rate(), send(held));
    }

    /** {@link #takeWaitingBriefly}'s loop, from a first answer {@code wait}. */
    private Optional<Duration> waitingBriefly(Rate rate, Optional<Duration> wait) {
        // a wait answered here is one a held moment could not cover: a take that came back too late to be sent
        for (int tries = 0; wait.isPresent() && wait.get().compareTo(BRIEF_WAIT) <= 0 && tries < 50; tries++) {
            try {
                Thread.sleep(Math.max(1, wait.get().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            wait = take(rate, BRIEF_WAIT);
        }
        return wait;
    }

    /**
     * Pushes the channel's next request back to at least {@code delay} from now: the receiver said so (429 with
     * Retry-After), and every instance must hear it, not only the one that was told. A delay of zero or less holds
     * nothing off (a refusal whose wait the pacing already covers) and costs no round trip.
     */
    void holdOff(Rate rate, Duration delay);

    /** The channel's use now, read without a lock: a moment's view for people, never a basis for taking. */
    Use use(Rate rate);
}
