package io.guestbridge.ingestion.internal.quarantine;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quarantine's retention against a real MariaDB: what it discards, in bounded batches, and what it leaves. */
class QuarantineRetentionTest {

    private static final Instant CUTOFF = Instant.now().minus(Duration.ofDays(30));

    private final TestDatabase db = TestDatabase.get();

    @Test
    void oldQuarantinedEventsAreDiscardedAsAnOperatorWould_recentOnesAndOtherStatesStay() throws SQLException {
        long oldQuarantined;
        long olderQuarantined;
        long recentQuarantined;
        long oldProcessed;
        long beingReplayed;
        try (Connection c = db.connect()) {
            String source = source(c);
            olderQuarantined = row(c, source, CUTOFF.minus(Duration.ofDays(9)), "QUARANTINED");
            oldQuarantined = row(c, source, CUTOFF.minus(Duration.ofDays(1)), "QUARANTINED");
            recentQuarantined = row(c, source, CUTOFF.plus(Duration.ofDays(1)), "QUARANTINED");
            oldProcessed = row(c, source, CUTOFF.minus(Duration.ofDays(1)), "PROCESSED");
            beingReplayed = row(c, source, CUTOFF.minus(Duration.ofDays(2)), "QUARANTINED");
            c.commit();
        }
        try (Connection operator = db.connect(); Connection purging = db.connect()) {
            // an operator replays one first: no longer quarantined, the purge leaves it to processing
            update(operator, "UPDATE ing_inbox SET state = 'RECEIVED', reason = NULL WHERE id = " + beingReplayed);
            operator.commit();
            assertEquals(1, QuarantineRetention.purge(purging, CUTOFF, 1), "a bounded batch");
            int rest = QuarantineRetention.purge(purging, CUTOFF, 10_000);
            purging.commit();
            assertTrue(rest >= 1, "the other one past the cutoff (and any left by other tests): " + rest);
            assertEquals(0, QuarantineRetention.purge(purging, CUTOFF, 10_000), "nothing left to discard");
            purging.commit();
        }
        try (Connection c = db.connect()) {
            assertDiscarded(c, olderQuarantined);
            assertDiscarded(c, oldQuarantined);
            assertEquals("QUARANTINED", state(c, recentQuarantined));
            assertEquals("PROCESSED", state(c, oldProcessed));
            assertEquals("RECEIVED", state(c, beingReplayed));
            assertTrue(body(c, recentQuarantined).length > 0);
        }
    }

    private static void assertDiscarded(Connection c, long id) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state, reason, LENGTH(body), body_key, processed_at FROM ing_inbox WHERE id = " + id)) {
            assertTrue(rs.next());
            assertEquals("DISCARDED", rs.getString(1));
            assertEquals("discarded: quarantined longer than its retention", rs.getString(2));
            assertEquals(0, rs.getInt(3), "the body names a guest: emptied");
            assertNull(rs.getString(4));
            assertNotNull(rs.getObject(5));
        }
    }

    private static String state(Connection c, long id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT state FROM ing_inbox WHERE id = " + id)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static byte[] body(Connection c, long id) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM ing_inbox WHERE id = " + id)) {
            rs.next();
            return rs.getBytes(1);
        }
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String source(Connection c) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_source (id, kind, name, time_zone, key_hash, state, created_at) "
                + "VALUES (?, 'PURPLE', 'quarantine retention test', 'Europe/London', ?, 'ACTIVE', ?)")) {
            s.setString(1, id);
            s.setString(2, UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""));
            s.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
            s.executeUpdate();
        }
        return id;
    }

    private static long row(Connection c, String source, Instant receivedAt, String state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_inbox (source_id, received_at, body, body_sha256, state, reason) "
                + "VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, source);
            s.setObject(2, LocalDateTime.ofInstant(receivedAt, ZoneOffset.UTC));
            s.setBytes(3, "{\"user\":{\"email\":\"quarantine@example.com\"}}".getBytes(StandardCharsets.UTF_8));
            s.setString(4, "c".repeat(64));
            s.setString(5, state);
            s.setString(6, "QUARANTINED".equals(state) ? "the email is not a valid address" : null);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }
}
