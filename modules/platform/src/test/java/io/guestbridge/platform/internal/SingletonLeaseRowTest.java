package io.guestbridge.platform.internal;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Singleton leases on a real MariaDB: one holder at a time, taken over once the holder's lease runs out or is handed back. */
class SingletonLeaseRowTest {

    /**
     * Long enough that no pause of a loaded machine between two claims outlives it (400 ms did once: the old holder,
     * back a moment after the takeover, found the new lease already run out), short enough to wait out.
     */
    private static final Duration LEASE = Duration.ofMillis(2000);

    @Test
    void oneInstanceHoldsTheLeaseUntilItRunsOutThenAnotherTakesIt() throws Exception {
        String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();

        assertTrue(claim(name, a), "the first claim creates the row and holds it");
        assertFalse(claim(name, b), "another instance stands by while the lease runs");
        assertTrue(claim(name, a), "the holder renews");
        String takenAt = column(name, "taken_at");
        Thread.sleep(50);
        assertTrue(claim(name, a));
        assertEquals(takenAt, column(name, "taken_at"), "a renewal keeps the moment the lease was taken");

        Thread.sleep(LEASE.toMillis() + 200); // the holder died: nobody renewed
        assertTrue(claim(name, b), "after the lease ran out, the other instance takes it over");
        assertEquals(b, column(name, "holder"));
        assertFalse(claim(name, a), "and the old holder, back, stands by");
        assertFalse(takenAt.equals(column(name, "taken_at")), "the takeover is dated");
    }

    @Test
    void aHandedBackLeaseIsTakenAtOnceAndOnlyByTheHolder() throws Exception {
        String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        assertTrue(claim(name, a));
        try (Connection c = TestDatabase.get().connect()) {
            SingletonLeaseRow.release(c, name, b);
            c.commit();
        }
        assertFalse(claim(name, b), "only the holder hands a lease back");
        try (Connection c = TestDatabase.get().connect()) {
            SingletonLeaseRow.release(c, name, a);
            c.commit();
        }
        assertTrue(claim(name, b), "a lease handed back is taken without waiting for it to run out");
    }

    @Test
    void twoFirstClaimsAtOnceMakeOneHolder() throws Exception {
        String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection first = TestDatabase.get().connect(); Connection second = TestDatabase.get().connect()) {
            assertTrue(SingletonLeaseRow.claim(first, name, UUID.randomUUID().toString(), LEASE));
            Thread waiting = new Thread(() -> {
                try {
                    first.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            waiting.start();
            boolean secondHolds = SingletonLeaseRow.claim(second, name, UUID.randomUUID().toString(), LEASE);
            second.commit();
            waiting.join();
            assertFalse(secondHolds, "the second insert of the same row is ignored once the first commits");
        }
    }

    private static boolean claim(String name, String instance) throws Exception {
        try (Connection c = TestDatabase.get().connect()) {
            boolean held = SingletonLeaseRow.claim(c, name, instance, LEASE);
            c.commit();
            return held;
        }
    }

    private static String column(String name, String column) throws Exception {
        try (Connection c = TestDatabase.get().connect();
             PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM plt_singleton_lease WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }
}
