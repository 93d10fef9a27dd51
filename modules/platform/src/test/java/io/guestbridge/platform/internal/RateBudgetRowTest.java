package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.RateBudget.Rate;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel's budget on a real MariaDB: paced takes, no banking of idle time, a receiver's Retry-After heard by every taker,
 * a daily cap, and the window's and the day's use as a status page shows them.
 */
class RateBudgetRowTest {

    private final TestDatabase db = TestDatabase.get();

    @Test
    void takesArePacedAndAnIdleChannelBanksNothing() throws Exception {
        Rate rate = new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 600, Duration.ofMinutes(1)); // one per 100 ms
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        try (Connection c = db.connect()) {
            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, t0));
            assertEquals(Optional.of(Duration.ofMillis(60)), RateBudgetRow.take(c, rate, t0.plusMillis(40)), "the next one 100 ms after the first");
            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, t0.plusMillis(100)));
            c.commit();
            // an hour of silence: still one request, then the pace again
            Instant later = t0.plus(Duration.ofHours(1));
            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, later));
            assertEquals(Optional.of(Duration.ofMillis(100)), RateBudgetRow.take(c, rate, later), "idle time is not a burst allowance");
            c.commit();
        }
    }

    /**
     * Several senders of one channel take at once, each in a transaction of its own, as a CRM connector's workers do: they
     * queue for the row one after another, and none is rolled back as a deadlock (an insert-if-missing that found the row
     * held a shared lock on it, and two such takers each waited for the other to let go before they could update it).
     */
    @Test
    void takersOfOneChannelAtOnceWaitForEachOtherWithoutDeadlocks() throws Exception {
        Rate rate = new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 1_000_000, Duration.ofSeconds(10));
        try (Connection c = db.connect()) {
            RateBudgetRow.take(c, rate, Instant.now()); // the row exists, as for every take after a channel's first
            c.commit();
        }
        int takers = 6;
        int takesEach = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(takers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger deadlocks = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < takers; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    try (Connection c = db.connect()) {
                        for (int i = 0; i < takesEach; i++) {
                            try {
                                RateBudgetRow.take(c, rate, Instant::now);
                                c.commit();
                            } catch (java.sql.SQLTransactionRollbackException e) {
                                deadlocks.incrementAndGet();
                                c.rollback();
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, deadlocks.get(), "takes rolled back as deadlocks");
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT taken FROM plt_rate_budget WHERE channel = ?")) {
            s.setString(1, rate.channel());
            try (java.sql.ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(1 + takers * takesEach, rs.getInt(1), "every take counted once");
            }
        }
    }

    @Test
    void theNextRequestIsPacedFromTheMomentTheRowWasLockedNotFromATimeReadBeforeTheWait() throws Exception {
        Rate rate = new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 600, Duration.ofMinutes(1)); // one per 100 ms
        Instant t0 = Instant.parse("2030-01-02T00:00:00Z");
        try (Connection c = db.connect()) {
            // the clock is asked before the lock (t0) and once the row is held (150 ms later: another taker held it)
            java.util.Iterator<Instant> times = java.util.List.of(t0, t0.plusMillis(150)).iterator();
            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, times::next));
            assertEquals(Optional.of(Duration.ofMillis(10)), RateBudgetRow.take(c, rate, t0.plusMillis(240)),
                    "the next request a spacing after the take itself (250 ms), not after the time read before the wait");
            c.commit();
        }
    }

    /**
     * Takes from several channels in one transaction, asked in any order: each channel's moments as takes one after
     * another would give them (a channel named twice, two moments a spacing apart), each answer in the order asked; a
     * moment past {@code ahead} is a wait, and takes on after it see the row as the taken ones left it.
     */
    @Test
    void takesOfSeveralChannelsInOneTransactionAreAnsweredAsTakesOneAfterAnother() throws Exception {
        String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8);
        Rate slow = new Rate(prefix + "-b", 10, Duration.ofSeconds(1)); // one per 100 ms
        Rate fast = new Rate(prefix + "-a", 1_000, Duration.ofSeconds(1)); // one per ms
        Instant t0 = Instant.parse("2030-01-05T00:00:00Z");
        try (Connection c = db.connect()) {
            List<RateBudgetRow.Answer> answers = RateBudgetRow.takeAll(c, List.of(slow, fast, slow, fast, slow), () -> t0, Duration.ofMillis(150));
            c.commit();
            assertEquals(List.of(t0, t0, t0.plusMillis(100), t0.plusMillis(1)), answers.subList(0, 4).stream().map(RateBudgetRow.Answer::takenAt).toList(),
                    "each channel's moments a spacing apart, answered in the order asked");
            assertNull(answers.get(4).takenAt(), "the third of the slow channel is 200 ms away, past the 150 ms held ahead");
            assertEquals(Duration.ofMillis(200), answers.get(4).delay());
            assertEquals(Optional.of(Duration.ofMillis(200)), RateBudgetRow.take(c, slow, t0), "the wait did not move the channel");
            assertEquals(Optional.of(Duration.ofMillis(2)), RateBudgetRow.take(c, fast, t0));
            c.commit();
            RateBudget.Use use = RateBudgetRow.use(c, slow, t0);
            assertEquals(2, use.usedInWindow(), "two of the slow channel's requests taken");
        }
    }

    @Test
    void aBusyChannelIsGivenMomentsExactlyASpacingApartHoweverLateItsTakerComesBack() throws Exception {
        Instant t0 = Instant.parse("2030-01-04T00:00:00Z");
        assertEquals(Duration.ofMillis(1_900), twentyRequestsFromABusyTaker(t0, RateBudget.BRIEF_WAIT), "20 requests in 1.9 s, as paced");
        assertEquals(Duration.ofMillis(1_900 + 19 * 7), twentyRequestsFromABusyTaker(t0, Duration.ZERO),
                "without a held moment, each request adds the taker's 7 ms to the spacing");
    }

    /**
     * One taker on a channel of its own, one request per 100 ms, as a sending worker takes: it waits out each gap (or
     * its held moment), sends, and comes back 7 ms after the moment it went (its round trip to the database, the send's
     * own start) to take again. The time from its first request to its twentieth.
     */
    private Duration twentyRequestsFromABusyTaker(Instant t0, Duration ahead) throws Exception {
        Rate rate = new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 10, Duration.ofSeconds(1));
        List<Instant> sent = moments(rate, t0, 20, ahead, Duration.ofMillis(7));
        return Duration.between(sent.get(0), sent.get(19));
    }

    /**
     * Takers that take as fast as the budget lets them, each request arriving at the receiver some time after its take
     * ({@code lateness}, by take): the arrivals, in order.
     */
    private List<Instant> arrivals(Rate rate, Instant t0, int requests, java.util.function.IntFunction<Duration> lateness) throws Exception {
        return arrivals(rate, t0, requests, lateness, Duration.ZERO);
    }

    /** As above, each taker holding the channel's next moment when it is due within {@code ahead}, and going at it. */
    private List<Instant> arrivals(Rate rate, Instant t0, int requests, java.util.function.IntFunction<Duration> lateness, Duration ahead)
            throws Exception {
        List<Instant> moments = moments(rate, t0, requests, ahead, Duration.ZERO);
        List<Instant> arrivals = new ArrayList<>();
        for (int taken = 0; taken < moments.size(); taken++) {
            arrivals.add(moments.get(taken).plus(lateness.apply(taken)));
        }
        arrivals.sort(null);
        return arrivals;
    }

    /**
     * The moments of {@code requests} takes from a taker that waits out each wait it is answered, holds the next moment
     * when it is due within {@code ahead}, and comes back {@code comesBack} after each wait or each moment it went at.
     */
    private List<Instant> moments(Rate rate, Instant t0, int requests, Duration ahead, Duration comesBack) throws Exception {
        List<Instant> moments = new ArrayList<>();
        Instant now = t0;
        try (Connection c = db.connect()) {
            for (int tries = 0; moments.size() < requests && tries < 10 * requests; tries++) {
                RateBudgetRow.Answer answer = RateBudgetRow.take(c, rate, now, ahead);
                c.commit();
                if (answer.delay() != null) {
                    now = now.plus(answer.delay()).plus(comesBack);
                } else {
                    moments.add(answer.takenAt());
                    now = answer.takenAt().plus(comesBack);
                }
            }
        }
        assertEquals(requests, moments.size());
        return moments;
    }

    /** The most arrivals within any span of {@code window} from one arrival on (half-open, as a rolling window counts). */
    private static int mostInAnyWindow(List<Instant> sorted, Duration window) {
        int most = 0;
        for (int start = 0, end = 0; start < sorted.size(); start++) {
            end = Math.max(end, start);
            while (end < sorted.size() && sorted.get(end).isBefore(sorted.get(start).plus(window))) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    @Test
    void requestsArrivingLateByUpToTheLeewayNeverPutMoreThanTheRateIntoAWindowOfTheReceiver() throws Exception {
        Duration leeway = Duration.ofMillis(250);
        Duration second = Duration.ofSeconds(1);
        Instant t0 = Instant.parse("2030-01-03T00:00:00Z");
        // the worst case: every sixth request arrives the whole leeway late, the five after it on time
        java.util.function.IntFunction<Duration> sixthLate = n -> n % 6 == 0 ? leeway : Duration.ZERO;
        Rate paced = new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 5, second, RateBudget.UNLIMITED_PER_DAY, leeway);
        assertEquals(5, mostInAnyWindow(arrivals(paced, t0, 60, sixthLate), second), "5 a second at the receiver, the late ones included");
        Rate exact = new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 5, second);
        assertEquals(6, mostInAnyWindow(arrivals(exact, t0, 60, sixthLate), second),
                "paced at exactly the window's share, a late request puts a sixth into some second");
        // any lateness within the leeway, over the whole of the burst and over longer windows
        java.util.Random random = new java.util.Random(17);
        List<Instant> scattered = arrivals(new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 5, second,
                RateBudget.UNLIMITED_PER_DAY, leeway), t0, 300, n -> Duration.ofMillis(random.nextInt(251)));
        assertEquals(300, scattered.size());
        assertTrue(mostInAnyWindow(scattered, second) <= 5, "at most 5 in any second: " + mostInAnyWindow(scattered, second));
        assertTrue(mostInAnyWindow(scattered, Duration.ofSeconds(10)) <= 50, "at most 50 in any 10 s");
        assertEquals(4.0, 299_000.0 / Duration.between(scattered.get(0), scattered.get(299)).toMillis(), 0.05,
                "the leeway costs its share of the rate: 4 a second, not 5");
        // and so with moments held ahead: takers that come early go at their moment, late by up to the leeway
        java.util.Random again = new java.util.Random(17);
        List<Instant> held = arrivals(new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 5, second,
                RateBudget.UNLIMITED_PER_DAY, leeway), t0, 300, n -> Duration.ofMillis(again.nextInt(251)), RateBudget.BRIEF_WAIT);
        assertEquals(300, held.size());
        assertTrue(mostInAnyWindow(held, second) <= 5, "held: at most 5 in any second: " + mostInAnyWindow(held, second));
        assertTrue(mostInAnyWindow(held, Duration.ofSeconds(10)) <= 50, "held: at most 50 in any 10 s");
    }

    @Test
    void aHoldOffPushesEveryTakerBackAndNeverPullsTheChannelForward() throws Exception {
        Rate rate = new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 60, Duration.ofMinutes(1));
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        try (Connection c = db.connect(); Connection other = db.connect()) {
            RateBudgetRow.holdOff(c, rate, Duration.ofSeconds(3), t0);
            c.commit();
            assertEquals(Optional.of(Duration.ofSeconds(2)), RateBudgetRow.take(other, rate, t0.plusSeconds(1)), "another instance waits out the Retry-After");
            other.commit();
            RateBudgetRow.holdOff(c, rate, Duration.ofSeconds(1), t0.plusSeconds(1));
            c.commit();
            assertEquals(Optional.of(Duration.ofSeconds(1)), RateBudgetRow.take(other, rate, t0.plusSeconds(2)), "a shorter hold-off does not shorten it");
            assertEquals(Optional.empty(), RateBudgetRow.take(other, rate, t0.plusSeconds(3)));
            other.commit();
        }
    }
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final Instant MIDNIGHT = Instant.parse("2026-11-26T00:00:00Z");

    /** 10 requests per 10 seconds (one a second), 3 a day. */
    private static Rate cappedDaily() {
        return new Rate("budget-" + UUID.randomUUID().toString().substring(0, 8), 10, Duration.ofSeconds(10), 3);
    }

    @Test
    void theUseShowsTheWindowAndTheDayAsTakingLeavesThem() throws Exception {
        Rate rate = cappedDaily();
        try (Connection c = db.connect()) {
            assertEquals(new RateBudget.Use(0, null, 0, MIDNIGHT, null), RateBudgetRow.use(c, rate, T0), "nothing taken yet");

            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, T0));
            c.commit();
            assertEquals(new RateBudget.Use(1, T0.plusSeconds(10), 1, MIDNIGHT, T0.plusSeconds(1)), RateBudgetRow.use(c, rate, T0),
                    "one taken: the window counts from the first take, the next request is paced one second later");

            assertEquals(Optional.of(Duration.ofMillis(500)), RateBudgetRow.take(c, rate, T0.plusMillis(500)), "paced, not taken");
            c.commit();
            assertEquals(1, RateBudgetRow.use(c, rate, T0.plusMillis(500)).usedInWindow(), "a refused take uses nothing");

            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, T0.plusSeconds(1)));
            c.commit();
            assertEquals(new RateBudget.Use(2, T0.plusSeconds(10), 2, MIDNIGHT, T0.plusSeconds(2)), RateBudgetRow.use(c, rate, T0.plusSeconds(1)));
            assertEquals(new RateBudget.Use(0, null, 2, MIDNIGHT, null), RateBudgetRow.use(c, rate, T0.plusSeconds(10)),
                    "the window has passed: its count starts again");

            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, T0.plusSeconds(11)));
            c.commit();
            assertEquals(new RateBudget.Use(1, T0.plusSeconds(21), 3, MIDNIGHT, MIDNIGHT), RateBudgetRow.use(c, rate, T0.plusSeconds(11)),
                    "a new window, and the day spent: the next request waits for midnight");
            assertEquals(Optional.of(Duration.between(T0.plusSeconds(13), MIDNIGHT)), RateBudgetRow.take(c, rate, T0.plusSeconds(13)));
            c.commit();

            RateBudget.Use nextDay = RateBudgetRow.use(c, rate, MIDNIGHT.plusSeconds(5));
            assertEquals(new RateBudget.Use(0, null, 0, MIDNIGHT.plusSeconds(86_400), null), nextDay);
            assertNull(nextDay.nextRequestAt());
            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, MIDNIGHT.plusSeconds(5)), "a new day, a new daily budget");
            c.commit();
        }
    }

    @Test
    void aRowFromBeforeTheWindowWasKeptOpensItsWindowAtTheNextTake() throws Exception {
        Rate rate = cappedDaily();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("INSERT INTO plt_rate_budget "
                + "(channel, next_at, taken, window_count, day, day_count) VALUES (?, '2026-11-25 07:00:00', 2, 48123, '2026-11-25', 2)")) {
            s.setString(1, rate.channel());
            s.executeUpdate();
            c.commit();
            assertEquals(new RateBudget.Use(0, null, 2, MIDNIGHT, null), RateBudgetRow.use(c, rate, T0), "a count from before is no window's count");
            assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, T0));
            c.commit();
            assertEquals(new RateBudget.Use(1, T0.plusSeconds(10), 3, MIDNIGHT, MIDNIGHT), RateBudgetRow.use(c, rate, T0));
        }
    }

    @Test
    void aChannelWithoutADailyCapCountsItsDayButNeverWaitsForMidnight() throws Exception {
        Rate rate = new Rate("test-" + UUID.randomUUID().toString().substring(0, 8), 1_000, Duration.ofSeconds(1));
        try (Connection c = db.connect()) {
            for (int i = 0; i < 5; i++) {
                assertEquals(Optional.empty(), RateBudgetRow.take(c, rate, T0.plusMillis(i)));
            }
            c.commit();
            assertEquals(new RateBudget.Use(5, T0.plusSeconds(1), 5, MIDNIGHT, T0.plusMillis(5)), RateBudgetRow.use(c, rate, T0.plusMillis(4)));
        }
    }
}
