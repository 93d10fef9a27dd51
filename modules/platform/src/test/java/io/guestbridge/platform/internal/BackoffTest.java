package io.guestbridge.platform.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void ceilingDoublesPerAttemptUpToTheCap() {
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60, 60};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            assertEquals(Duration.ofSeconds(expected[attempt - 1]), backoff.ceiling(attempt), "attempt " + attempt);
        }
        assertEquals(Duration.ofSeconds(60), backoff.ceiling(10_000), "huge attempt counts do not overflow");
    }

    @Test
    void delayIsJitteredBetweenHalfAndAllOfTheCeiling() {
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = backoff.ceiling(attempt).toMillis();
            assertEquals(ceiling / 2, backoff.delay(attempt, 0.0).toMillis());
            assertTrue(backoff.delay(attempt, 0.999999).toMillis() <= ceiling);
            assertTrue(backoff.delay(attempt, 0.999999).toMillis() >= ceiling - 1);
            long middle = backoff.delay(attempt, 0.5).toMillis();
            assertTrue(middle > ceiling / 2 && middle < ceiling, "jitter spreads the delay: " + middle);
        }
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
