package io.guestbridge.privacy.internal.suppression;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The suppression list's retention on a real MariaDB, migrated as in production. */
class SuppressionRetentionTest {

    @Test
    void entriesOlderThanTheRetentionGoInBoundedBatchesAndRecentOnesStay() throws SQLException {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Instant now = Instant.now();
        Instant cutoff = now.minus(Duration.ofDays(1_095));
        try (Connection c = TestDatabase.get().connect()) {
            for (int i = 0; i < 5; i++) {
                insert(c, run + "old" + i, cutoff.minus(Duration.ofDays(1 + i)));
            }
            insert(c, run + "edge", cutoff.plusSeconds(60));
            insert(c, run + "new", now.minus(Duration.ofDays(3)));

            assertEquals(3, SuppressionRetention.purge(c, cutoff, 3), "a bounded batch");
            assertEquals(4, count(c, run), "the oldest went first");
            assertEquals(0, count(c, run + "old4"), "the oldest entry");
            assertEquals(2, SuppressionRetention.purge(c, cutoff, 3), "the rest past the retention");
            assertEquals(0, SuppressionRetention.purge(c, cutoff, 3), "nothing more");
            assertEquals(1, count(c, run + "edge"), "an entry just inside the retention stays");
            assertEquals(1, count(c, run + "new"), "a recent erasure stays");
        }
    }

    private static void insert(Connection c, String hash, Instant erasedAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_suppression (subject_hash, erased_at) VALUES (?, ?)")) {
            s.setString(1, (hash + "0".repeat(64)).substring(0, 64));
            s.setObject(2, LocalDateTime.ofInstant(erasedAt, ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    private static long count(Connection c, String prefix) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM prv_suppression WHERE subject_hash LIKE ?")) {
            s.setString(1, prefix + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
