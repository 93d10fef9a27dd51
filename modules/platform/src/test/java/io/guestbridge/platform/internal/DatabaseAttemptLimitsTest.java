package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.AttemptLimits;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Attempt limits on a real MariaDB: two instances (or one before and after a restart) share the counts. */
class DatabaseAttemptLimitsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:05Z");

    @Test
    void overTheLimitIsRefusedWithRetryAfterAndEveryInstanceSeesTheCount() throws Exception {
        AttemptLimits.Limit limit = new AttemptLimits.Limit("test-guess-" + UUID.randomUUID(), 3, Duration.ofMinutes(10));
        DatabaseAttemptLimits first = instance(T0);
        DatabaseAttemptLimits second = instance(T0.plusSeconds(30)); // another instance, or this one after a restart
        String attacker = "203.0.113.7";

        first.count(limit, attacker);
        first.count(limit, attacker);
        second.count(limit, attacker);
        ProblemException refused = assertThrows(ProblemException.class, () -> second.count(limit, attacker), "the 4th attempt, counted on another instance");
        assertEquals(ProblemType.RATE_LIMITED, refused.type());
        // the window began at 10:00:00 and lasts 10 minutes; the attempt came at 10:00:35
        assertEquals(565L, ((Number) refused.extensions().get("retryAfterSeconds")).longValue());
        assertThrows(ProblemException.class, () -> second.check(limit, attacker), "once refused, this instance refuses without asking the database");
        assertDoesNotThrow(() -> first.check(limit, attacker), "check alone is local: the first instance has not seen the 4th attempt");
        assertThrows(ProblemException.class, () -> first.count(limit, attacker), "but its next counted attempt is refused");
        assertDoesNotThrow(() -> second.count(limit, "198.51.100.1"), "another actor has a count of its own");
        assertDoesNotThrow(() -> second.count(new AttemptLimits.Limit(limit.scope() + "-other", 3, Duration.ofMinutes(10)), attacker),
                "another kind of attempt has a count of its own");

        DatabaseAttemptLimits later = instance(T0.plus(Duration.ofMinutes(10)));
        assertDoesNotThrow(() -> later.count(limit, attacker), "the next window starts from zero");
    }

    @Test
    void theActorIsStoredOnlyAsAKeyedHash() throws Exception {
        AttemptLimits.Limit limit = new AttemptLimits.Limit("test-hash-" + UUID.randomUUID(), 5, Duration.ofHours(1));
        instance(T0).count(limit, "192.0.2.44");
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT counter_key, hits FROM plt_attempt_counter")) {
            boolean any = false;
            while (rs.next()) {
                any = true;
                assertFalse(rs.getString(1).contains("192.0.2.44"));
                assertTrue(rs.getString(1).matches("[0-9a-f]{64}"));
            }
            assertTrue(any);
        }
    }

    @Test
    void aLimitNeedsAPositiveMaximumAndWindow() {
        assertThrows(IllegalArgumentException.class, () -> new AttemptLimits.Limit("x", 0, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new AttemptLimits.Limit("x", 1, Duration.ZERO));
    }

    private static DatabaseAttemptLimits instance(Instant now) throws SQLException {
        DatabaseAttemptLimits limits = new DatabaseAttemptLimits();
        limits.dataSource = TestDatabase.get().dataSource();
        limits.hashKey = new SecretKeySpec(new byte[32], "HmacSHA256");
        limits.clock = Clock.fixed(now, ZoneOffset.UTC);
        return limits;
    }
}
