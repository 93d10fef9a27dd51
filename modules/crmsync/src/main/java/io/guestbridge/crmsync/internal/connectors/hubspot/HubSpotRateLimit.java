package io.guestbridge.crmsync.internal.connectors.hubspot;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How long a HubSpot 429 asks us to wait, read from what HubSpot sends: the policy that refused ({@code policyName}
 * in the body: {@code SECONDLY}, {@code TEN_SECONDLY_ROLLING}, {@code DAILY}), the counters
 * ({@code X-HubSpot-RateLimit-Max}, {@code -Remaining}, {@code -Interval-Milliseconds}, {@code -Secondly},
 * {@code -Secondly-Remaining}, {@code -Daily-Remaining}) and Retry-After, which HubSpot often leaves out.
 *
 * <p>The rules (when both windows are spent, the later end counts):
 * <ol>
 * <li>Retry-After given: exactly that.</li>
 * <li>The daily limit ({@code DAILY}, or no daily requests left): until the next full hour. HubSpot's day ends at
 *     midnight in the account's time zone, which the 429 does not name; waiting for midnight UTC could wait a whole
 *     day too long, and one request an hour while the day is spent costs nothing. In a zone off the full hour (India,
 *     Nepal, Newfoundland) the new day is found up to 45 minutes after it began.</li>
 * <li>The per-second limit ({@code SECONDLY}, or {@code Secondly-Remaining} 0): the rest of
 *     that second's window, i.e. until the {@code Secondly}-th most recent request we sent is a second old.</li>
 * <li>The rolling window ({@code TEN_SECONDLY_ROLLING}, or {@code Remaining} 0): the rest of the window, until the
 *     {@code Max}-th most recent request we sent leaves it ({@code Interval-Milliseconds}, else 10 s).</li>
 * <li>Anything else: a second when the counters show room in both windows (something in front of HubSpot
 *     refused), the window's length when there are no counters at all.</li>
 * </ol>
 * A window's rest is known only when our own recent requests fill it. When they do not, others used it (other
 * instances, other apps of the same HubSpot account), at times the refusal does not tell: the next request probes, and
 * each refusal in a row backs off further. The first refusal in a row adds no wait: the connector's pacing already
 * leaves at least one request's share of the window (100 ms at 10 a second) between the refused request and the next,
 * and that request is the probe. The second waits one share beyond the pacing, and the wait doubles with every further
 * refusal, up to the whole window, which is never too short. Waiting the whole window at once idled a connector that
 * paces at the limit for ten of its requests after every stray refusal; a share counted from the refusal's answer
 * still cost one request in every stray refusal (the next paced request was due a share after the refused one, a
 * round trip before the share from its answer ended). A probe costs one refused request when the window really is
 * taken, and HubSpot does not count refused requests against it.
 */
final class HubSpotRateLimit {

    /** What a 429 said; absent values are empty. */
    record Refusal(Optional<Duration> retryAfter, String policy, OptionalLong max, OptionalLong remaining, OptionalLong intervalMillis,
                   OptionalLong secondly, OptionalLong secondlyRemaining, OptionalLong dailyRemaining) {
    }

    static final Duration SECOND = Duration.ofSeconds(1);
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    /** A 429 that neither window explains. */
    static final Duration UNEXPLAINED_WAIT = SECOND;

    private HubSpotRateLimit() {
    }

    static Duration waitFor(Refusal refusal, SendLog sent, Instant now) {
        if (refusal.retryAfter().isPresent()) {
            return refusal.retryAfter().get();
        }
        if ("DAILY".equals(refusal.policy()) || is(refusal.dailyRemaining(), 0)) {
            // the day ends at midnight in the account's time zone, which the answer does not name: try again at the next full hour
            return Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)));
        }
        boolean windowSpent = is(refusal.remaining(), 0);
        boolean secondly = "SECONDLY".equals(refusal.policy()) || is(refusal.secondlyRemaining(), 0);
        boolean rolling = "TEN_SECONDLY_ROLLING".equals(refusal.policy()) || windowSpent;
        if (!secondly && !rolling) {
            // room in both windows: something in front of HubSpot refused; no counters at all: the window's length
            return refusal.remaining().isPresent() ? UNEXPLAINED_WAIT : window(refusal);
        }
        // both may be spent at once: the later of the two ends is when a request passes again
        Duration wait = Duration.ZERO;
        if (secondly) {
            wait = restOfWindow(sent, now, SECOND, limit(refusal.secondly(), refusal.max(), refusal.intervalMillis()));
        }
        if (rolling) {
            Duration rest = restOfWindow(sent, now, window(refusal), refusal.max().orElse(0));
            wait = rest.compareTo(wait) > 0 ? rest : wait;
        }
        return wait;
    }

    private static Duration window(Refusal refusal) {
        long interval = refusal.intervalMillis().orElse(0);
        return interval > 0 ? Duration.ofMillis(interval) : DEFAULT_WINDOW;
    }

    /** The per-second limit: as HubSpot names it, else the window's rate. */
    private static long limit(OptionalLong secondly, OptionalLong max, OptionalLong intervalMillis) {
        if (secondly.isPresent() && secondly.getAsLong() > 0) {
            return secondly.getAsLong();
        }
        if (max.isPresent() && intervalMillis.isPresent() && intervalMillis.getAsLong() > 0) {
            return (max.getAsLong() * 1000 + intervalMillis.getAsLong() - 1) / intervalMillis.getAsLong();
        }
        return 0;
    }

    /**
     * Until the {@code limit}-th most recent request we sent leaves {@code window}: then the window holds one request
     * fewer than its limit. When our own requests do not fill the window, a back-off ({@link #probe}); the whole window
     * when the limit is unknown.
     */
    private static Duration restOfWindow(SendLog sent, Instant now, Duration window, long limit) {
        if (limit <= 0 || limit > Integer.MAX_VALUE) {
            return window;
        }
        Optional<Instant> oldest = sent.nthMostRecent((int) limit);
        if (oldest.isEmpty() || !oldest.get().isAfter(now.minus(window))) {
            return probe(window, limit, sent.refusedInARow());
        }
        Duration rest = Duration.between(now, oldest.get().plus(window));
        return rest.isNegative() ? Duration.ZERO : rest;
    }

    /**
     * A refusal our own requests do not explain: nothing beyond the pacing for the first refusal in a row, one request's
     * share of the window for the second, twice that for the third, and so on, never more than the window.
     */
    static Duration probe(Duration window, long limit, int refusedInARow) {
        if (refusedInARow <= 1) {
            return Duration.ZERO;
        }
        Duration share = window.dividedBy(limit);
        int doublings = Math.min(refusedInARow - 2, 30);
        Duration wait = share.multipliedBy(1L << doublings);
        return wait.compareTo(window) > 0 ? window : wait;
    }

    private static boolean is(OptionalLong value, long expected) {
        return value.isPresent() && value.getAsLong() == expected;
    }

    /**
     * When this instance sent its most recent requests to one connector (a bounded ring), and how many 429s it met in a
     * row since the last request HubSpot took.
     */
    static final class SendLog {

        static final int CAPACITY = 1024;

        private final Instant[] sentAt = new Instant[CAPACITY];
        private long count;
        private int refusedInARow;

        /** A request HubSpot took (answered other than 429): it counts against the windows, and ends a run of refusals. */
        synchronized void sent(Instant at) {
            sentAt[(int) (count % CAPACITY)] = at;
            count++;
            refusedInARow = 0;
        }

        /** A request HubSpot refused with 429: it does not count against the windows, but lengthens the run of refusals. */
        synchronized void refused() {
            if (refusedInARow < Integer.MAX_VALUE) {
                refusedInARow++;
            }
        }

        synchronized int refusedInARow() {
            return refusedInARow;
        }

        /** The n-th most recent send (1: the latest), if this instance made that many and the ring still holds it. */
        synchronized Optional<Instant> nthMostRecent(int n) {
            if (n < 1 || n > CAPACITY || n > count) {
                return Optional.empty();
            }
            return Optional.of(sentAt[(int) ((count - n) % CAPACITY)]);
        }
    }
}
