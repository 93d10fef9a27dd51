package io.guestbridge.ingestion.internal;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The raw-body retention against a real MariaDB: only processed bodies past the retention are emptied. */
class BodyRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant CUTOFF = NOW.minusSeconds(30L * 24 * 3600);
    private static final String BODY = "{\"user\":{\"email\":\"retention@example.com\",\"firstName\":\"Ret\"}}";

    private final TestDatabase db = TestDatabase.get();

    @Test
    void processedBodiesPastTheRetentionAreEmptied_quarantinedAndRecentOnesKept() throws SQLException {
        try (Connection c = db.connect()) {
            long mark = maxId(c);
            String source = source(c);
            long oldProcessed = row(c, source, CUTOFF.minusSeconds(3600), "PROCESSED");
            long oldQuarantined = row(c, source, CUTOFF.minusSeconds(3000), "QUARANTINED");
            long oldProcessedToo = row(c, source, CUTOFF.minusSeconds(60), "PROCESSED");
            long recentProcessed = row(c, source, CUTOFF.plusSeconds(60), "PROCESSED");
            c.commit();

            BodyRetention.Pass pass = BodyRetention.purgeChunk(c, mark, CUTOFF);
            c.commit();
            assertEquals(2, pass.purged());
            assertEquals(oldProcessed, pass.firstId());
            assertEquals(oldProcessedToo, pass.lastId());
            assertEquals(oldProcessedToo, pass.mark(), "the next pass starts after the last purged row");
            assertTrue(pass.caughtUp(), "stopped at the first row inside the retention");
            assertEquals("", body(c, oldProcessed));
            assertEquals("", body(c, oldProcessedToo));
            assertEquals(BODY, body(c, oldQuarantined), "a quarantined body is needed for its replay");
            assertEquals(BODY, body(c, recentProcessed), "inside the retention");

            BodyRetention.Pass again = BodyRetention.purgeChunk(c, pass.mark(), CUTOFF);
            c.commit();
            assertEquals(0, again.purged(), "nothing left to purge");
            assertEquals(pass.mark(), again.mark());

            BodyRetention.Pass later = BodyRetention.purgeChunk(c, again.mark(), CUTOFF.plusSeconds(3600));
            c.commit();
            assertEquals(1, later.purged(), "the recent row once it is past the retention too");
            assertEquals("", body(c, recentProcessed));
            assertEquals(BODY, body(c, oldQuarantined));
        }
    }

    private static long maxId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM ing_inbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String source(Connection c) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_source (id, kind, name, time_zone, key_hash, state, created_at) "
                + "VALUES (?, 'PURPLE', 'retention test', 'Europe/London', ?, 'ACTIVE', ?)")) {
            s.setString(1, id);
            s.setString(2, WebhookBody.sha256(id.getBytes(StandardCharsets.UTF_8)));
            s.setObject(3, LocalDateTime.ofInstant(NOW, ZoneOffset.UTC));
            s.executeUpdate();
        }
        return id;
    }

    private static long row(Connection c, String source, Instant receivedAt, String state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_inbox (source_id, received_at, content_type, body, body_sha256, state) "
                + "VALUES (?, ?, 'application/json', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            s.setString(1, source);
            s.setObject(2, LocalDateTime.ofInstant(receivedAt, ZoneOffset.UTC));
            s.setBytes(3, body);
            s.setString(4, WebhookBody.sha256(body));
            s.setString(5, state);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static String body(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new String(rs.getBytes(1), StandardCharsets.UTF_8);
            }
        }
    }
}
