package io.guestbridge.ingestion.internal.processing;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DuplicateKeysTest {

    private static final SecretKeySpec KEY = new SecretKeySpec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
    private static final SecretKeySpec OTHER = new SecretKeySpec("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII), "HmacSHA256");

    @Test
    void theStoredKeyIsKeyedFitsTheColumnAndCannotBeRecomputedWithoutTheKey() {
        String eventKey = EventReader.digest("purple", "user:42/email:erin@example.com", "purple:7", "2026-11-21T09:00:00Z");
        String stored = DuplicateKeys.stored(eventKey, KEY);
        assertTrue(stored.startsWith(DuplicateKeys.PREFIX), stored);
        assertEquals(3 + 43, stored.length(), "fits ing_dedup.dedup_key CHAR(64): " + stored);
        assertEquals(stored, DuplicateKeys.stored(eventKey, KEY), "the same event gives the same key, or retries would pass");
        assertNotEquals(stored, DuplicateKeys.stored(eventKey, OTHER), "without the key, the stored value cannot be confirmed");
        assertNotEquals(stored, DuplicateKeys.stored(EventReader.digest("purple", "user:42/email:erin@example.com", "purple:7",
                "2026-11-21T09:00:01Z"), KEY), "another login time is another event");
        assertFalse(stored.contains(eventKey.substring(0, 16)), "nothing of the plain hash is stored");
    }

    @Test
    void plainKeysAreLookedUpOnlyWhileSomeRemain() throws SQLException {
        TestDatabase db = TestDatabase.get();
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM ing_dedup WHERE dedup_key NOT LIKE 'k1:%'");
            }
            insert(c, DuplicateKeys.stored("keyed event", KEY));
            c.commit();
            assertFalse(new DuplicateKeys().plainKeysMayRemain(c), "only keyed keys: nothing plain to look up");

            insert(c, EventReader.digest("purple", "an event stored before keys were keyed"));
            c.commit();
            DuplicateKeys upgraded = new DuplicateKeys();
            assertTrue(upgraded.plainKeysMayRemain(c), "a plain key from before the upgrade is still honoured");
            assertTrue(upgraded.plainKeysMayRemain(c), "and keeps being looked up until the next check");

            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM ing_dedup WHERE dedup_key NOT LIKE 'k1:%'");
            }
            c.commit();
            DuplicateKeys later = new DuplicateKeys();
            assertFalse(later.plainKeysMayRemain(c));
            insert(c, EventReader.digest("purple", "never written by the server any more"));
            c.commit();
            assertFalse(later.plainKeysMayRemain(c), "once none is left the database is not asked again");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM ing_dedup WHERE dedup_key NOT LIKE 'k1:%' OR dedup_key = '" + DuplicateKeys.stored("keyed event", KEY) + "'");
            }
            c.commit();
        }
    }

    private static void insert(Connection c, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_dedup (dedup_key, inbox_id, expires_at) VALUES (?, 1, ?)")) {
            s.setString(1, key);
            s.setObject(2, LocalDateTime.now().plusDays(8));
            s.executeUpdate();
        }
    }
}
