package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.RateBudget.Rate;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A channel's budget on a real MariaDB: paced takes, no banking of idle time, and a receiver's Retry-After heard by every taker. */
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
}
