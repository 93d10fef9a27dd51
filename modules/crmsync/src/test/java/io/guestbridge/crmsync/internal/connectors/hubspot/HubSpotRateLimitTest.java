package io.guestbridge.crmsync.internal.connectors.hubspot;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubSpotRateLimitTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    /** Our requests, evenly paced at 100 per 10 s: the latest just now, the one before 100 ms ago, and so on. */
    private static HubSpotRateLimit.SendLog pacedAtTenASecond(int requests) {
        HubSpotRateLimit.SendLog log = new HubSpotRateLimit.SendLog();
        for (int i = requests - 1; i >= 0; i--) {
            log.sent(NOW.minusMillis(100L * i));
        }
        return log;
    }

    private static HubSpotRateLimit.Refusal refusal(String policy, Long retryAfterSeconds, Long remaining, Long secondlyRemaining, Long dailyRemaining) {
        return new HubSpotRateLimit.Refusal(Optional.ofNullable(retryAfterSeconds).map(Duration::ofSeconds), policy, OptionalLong.of(100),
                remaining == null ? OptionalLong.empty() : OptionalLong.of(remaining), OptionalLong.of(10_000), OptionalLong.of(10),
                secondlyRemaining == null ? OptionalLong.empty() : OptionalLong.of(secondlyRemaining),
                dailyRemaining == null ? OptionalLong.empty() : OptionalLong.of(dailyRemaining));
    }

    @Test
    void retryAfterWhenGivenIsWaitedExactly() {
        assertEquals(Duration.ofSeconds(7), HubSpotRateLimit.waitFor(refusal("SECONDLY", 7L, 40L, 0L, 1000L), pacedAtTenASecond(50), NOW));
    }

    @Test
    void theSecondlyLimitWaitsUntilTheTenthLatestRequestIsASecondOld_notAFlatSecond() {
        // ten a second, paced: the tenth-latest went 900 ms ago, so the second's window frees in 100 ms
        assertEquals(Duration.ofMillis(100), HubSpotRateLimit.waitFor(refusal("SECONDLY", null, 40L, 0L, 1000L), pacedAtTenASecond(50), NOW));
        // the same told by the counters alone (no policy in the body)
        assertEquals(Duration.ofMillis(100), HubSpotRateLimit.waitFor(refusal(null, null, 40L, 0L, 1000L), pacedAtTenASecond(50), NOW));
    }

    @Test
    void aWindowOurOwnRequestsDoNotFillIsProbed_byTheNextPacedRequestThenFromOneShareDoublingToTheWholeWindow() {
        // three requests of ours cannot fill a limit of ten a second: others (instances, apps) did, at times unknown;
        // the first refusal in a row waits for nothing but the pacing, which already leaves a share before the next request
        HubSpotRateLimit.SendLog log = pacedAtTenASecond(3);
        HubSpotRateLimit.Refusal secondly = refusal("SECONDLY", null, 40L, 0L, 1000L);
        long[] expectedMillis = {0, 100, 200, 400, 800, 1000, 1000};
        for (long expected : expectedMillis) {
            log.refused();
            assertEquals(Duration.ofMillis(expected), HubSpotRateLimit.waitFor(secondly, log, NOW));
        }
        // a request HubSpot took ends the run of refusals: the next stray one is probed by the pacing alone again
        log.sent(NOW);
        log.refused();
        assertEquals(Duration.ZERO, HubSpotRateLimit.waitFor(secondly, log, NOW));
        log.refused();
        assertEquals(Duration.ofMillis(100), HubSpotRateLimit.waitFor(secondly, log, NOW));
    }

    @Test
    void theRollingWindowOthersFilledIsProbedUpToItsTenSeconds() {
        HubSpotRateLimit.SendLog log = pacedAtTenASecond(30);
        HubSpotRateLimit.Refusal rolling = refusal("TEN_SECONDLY_ROLLING", null, 0L, null, 1000L);
        log.refused();
        Duration wait = HubSpotRateLimit.waitFor(rolling, log, NOW);
        assertEquals(Duration.ZERO, wait, "the first refusal in a row: the next paced request probes");
        for (int refusals = 2; refusals <= 9; refusals++) {
            log.refused();
            Duration next = HubSpotRateLimit.waitFor(rolling, log, NOW);
            assertTrue(next.compareTo(wait) > 0, "each refusal in a row waits longer: " + next + " after " + wait);
            wait = next;
        }
        assertEquals(Duration.ofSeconds(10), wait);
        log.refused();
        assertEquals(Duration.ofSeconds(10), HubSpotRateLimit.waitFor(rolling, log, NOW));
    }

    @Test
    void aRefusalOurOwnRequestsExplainIsWaitedExactly_howeverManyCameBefore() {
        HubSpotRateLimit.SendLog log = pacedAtTenASecond(50);
        for (int i = 0; i < 5; i++) {
            log.refused();
        }
        assertEquals(Duration.ofMillis(100), HubSpotRateLimit.waitFor(refusal("SECONDLY", null, 40L, 0L, 1000L), log, NOW));
    }

    @Test
    void theProbeNeverExceedsTheWindow_evenAfterVeryManyRefusals() {
        assertEquals(Duration.ofSeconds(1), HubSpotRateLimit.probe(Duration.ofSeconds(1), 10, Integer.MAX_VALUE));
        assertEquals(Duration.ZERO, HubSpotRateLimit.probe(Duration.ofSeconds(1), 10, 0));
        assertEquals(Duration.ofMillis(100), HubSpotRateLimit.probe(Duration.ofSeconds(1), 10, 2));
    }

    @Test
    void theRollingWindowWaitsUntilTheMaxthLatestRequestLeavesIt() {
        // a hundred requests paced over 9.9 s: the hundredth-latest leaves the 10 s window in 100 ms
        assertEquals(Duration.ofMillis(100), HubSpotRateLimit.waitFor(refusal("TEN_SECONDLY_ROLLING", null, 0L, null, 1000L), pacedAtTenASecond(150), NOW));
        // a burst: the hundred went within the last second, so the window frees in 9 s or more
        HubSpotRateLimit.SendLog burst = new HubSpotRateLimit.SendLog();
        for (int i = 99; i >= 0; i--) {
            burst.sent(NOW.minusMillis(10L * i));
        }
        assertEquals(Duration.ofMillis(9010), HubSpotRateLimit.waitFor(refusal(null, null, 0L, null, 1000L), burst, NOW));
    }

    @Test
    void withBothWindowsSpentTheLaterEndCounts() {
        HubSpotRateLimit.SendLog burst = new HubSpotRateLimit.SendLog();
        for (int i = 99; i >= 0; i--) {
            burst.sent(NOW.minusMillis(10L * i));
        }
        Duration wait = HubSpotRateLimit.waitFor(refusal("SECONDLY", null, 0L, 0L, 1000L), burst, NOW);
        assertEquals(Duration.ofMillis(9010), wait);
    }

    @Test
    void theDailyLimitWaitsForTheNextFullHour_sinceTheAccountsDayMayEndAtMostOfThem() {
        assertEquals(Duration.ofHours(1), HubSpotRateLimit.waitFor(refusal("DAILY", null, 40L, null, 0L), pacedAtTenASecond(10), NOW));
        Instant later = NOW.plusSeconds(45 * 60 + 30);
        assertEquals(Duration.ofSeconds(14 * 60 + 30), HubSpotRateLimit.waitFor(refusal(null, null, 40L, null, 0L), pacedAtTenASecond(10), later));
    }

    @Test
    void a429ThatNeitherWindowExplainsWaitsASecond_andOneWithoutCountersTheWindow() {
        assertEquals(Duration.ofSeconds(1), HubSpotRateLimit.waitFor(refusal(null, null, 40L, null, 1000L), pacedAtTenASecond(50), NOW));
        HubSpotRateLimit.Refusal bare = new HubSpotRateLimit.Refusal(Optional.empty(), null, OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
        assertEquals(Duration.ofSeconds(10), HubSpotRateLimit.waitFor(bare, pacedAtTenASecond(50), NOW));
    }

    @Test
    void theSendLogIsABoundedRing() {
        HubSpotRateLimit.SendLog log = pacedAtTenASecond(HubSpotRateLimit.SendLog.CAPACITY + 10);
        assertEquals(Optional.of(NOW), log.nthMostRecent(1));
        assertEquals(Optional.of(NOW.minusMillis(100)), log.nthMostRecent(2));
        assertTrue(log.nthMostRecent(HubSpotRateLimit.SendLog.CAPACITY + 1).isEmpty());
        assertTrue(new HubSpotRateLimit.SendLog().nthMostRecent(1).isEmpty());
    }
}
