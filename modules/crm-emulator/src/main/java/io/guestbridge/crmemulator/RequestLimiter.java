package io.guestbridge.crmemulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;

/**
 * The request quotas of one service: a rolling window ("N requests per 10 seconds", as HubSpot counts)
 * and a daily allowance that starts afresh at midnight UTC. Both are off until configured.
 *
 * <p>The window keeps the time of every accepted request in it rather than a counter per fixed slot:
 * that is how HubSpot's rolling limit behaves, and it gives an exact Retry-After (when the oldest
 * request leaves the window). Refused requests are not counted, so a client that backs off correctly
 * is never locked out by its own retries.
 */
final class RequestLimiter {

    /** What the limits said about one request, plus the counters that the services echo in headers. */
    record Decision(Verdict verdict, Usage usage, Duration retryAfter) {
        boolean allowed() {
            return verdict == Verdict.ALLOWED;
        }

        /** Retry-After in whole seconds, rounded up as HTTP needs, and never 0 (0 would invite a tight loop). */
        long retryAfterSeconds() {
            long millis = retryAfter.toMillis();
            return Math.max(1, (millis + 999) / 1000);
        }
    }

    enum Verdict { ALLOWED, WINDOW_EXCEEDED, DAILY_EXCEEDED }

    /**
     * Counters after the request. {@code windowMax}/{@code dailyMax} are {@link #UNLIMITED} when no limit is
     * set, so the headers still carry numbers a client can parse.
     */
    record Usage(int windowMax, int windowRemaining, long windowMillis, int dailyMax, int dailyUsed,
                 int dailyRemaining) {
    }

    static final int UNLIMITED = Integer.MAX_VALUE;

    /** HubSpot's interval, reported in headers while no window has been configured. */
    private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    private final Clock clock;
    private int windowLimit = UNLIMITED;
    private Duration window = DEFAULT_WINDOW;
    private final ArrayDeque<Instant> acceptedInWindow = new ArrayDeque<>();
    private int dailyLimit = UNLIMITED;
    private int usedToday;
    private LocalDate today;

    RequestLimiter(Clock clock) {
        this.clock = clock;
        this.today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    synchronized void windowLimit(int requests, Duration window) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0, was " + requests);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.windowLimit = requests;
        this.window = window;
    }

    synchronized void dailyLimit(int requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0, was " + requests);
        }
        this.dailyLimit = requests;
    }

    /** Back to no limits and no usage. */
    synchronized void reset() {
        windowLimit = UNLIMITED;
        window = DEFAULT_WINDOW;
        acceptedInWindow.clear();
        dailyLimit = UNLIMITED;
        usedToday = 0;
        today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Counts the request if both quotas allow it. */
    synchronized Decision tryAcquire() {
        Instant now = clock.instant();
        rollOver(now);
        if (usedToday >= dailyLimit) {
            Instant nextMidnight = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            return new Decision(Verdict.DAILY_EXCEEDED, usage(), Duration.between(now, nextMidnight));
        }
        if (acceptedInWindow.size() >= windowLimit) {
            Duration untilOldestLeaves = acceptedInWindow.isEmpty()
                    ? window // a limit of 0: nothing will ever leave, so suggest one window
                    : Duration.between(now, acceptedInWindow.peekFirst().plus(window));
            return new Decision(Verdict.WINDOW_EXCEEDED, usage(), untilOldestLeaves);
        }
        acceptedInWindow.addLast(now);
        usedToday++;
        return new Decision(Verdict.ALLOWED, usage(), Duration.ZERO);
    }

    /** Current counters without counting anything, for responses to requests that do not count (e.g. 401). */
    synchronized Usage peek() {
        rollOver(clock.instant());
        return usage();
    }

    private void rollOver(Instant now) {
        Instant windowStart = now.minus(window);
        while (!acceptedInWindow.isEmpty() && !acceptedInWindow.peekFirst().isAfter(windowStart)) {
            acceptedInWindow.removeFirst();
        }
        LocalDate currentDay = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (!currentDay.equals(today)) {
            today = currentDay;
            usedToday = 0;
        }
    }

    private Usage usage() {
        int windowRemaining = windowLimit == UNLIMITED ? UNLIMITED : Math.max(0, windowLimit - acceptedInWindow.size());
        int dailyRemaining = dailyLimit == UNLIMITED ? UNLIMITED : Math.max(0, dailyLimit - usedToday);
        return new Usage(windowLimit, windowRemaining, window.toMillis(), dailyLimit, usedToday, dailyRemaining);
    }
}
