package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.KeyVault;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw bodies at rest against a real MariaDB and key store: sealed under day keys, emptied after the retention,
 * and unreadable in any copy (a backup) once their day key or their guest's key is destroyed.
 */
class BodyRetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant CUTOFF = NOW.minusSeconds(30L * 24 * 3600);
    private static final String BODY = "{\"user\":{\"email\":\"retention@example.com\",\"firstName\":\"Ret\"}}";

    private final TestDatabase db = TestDatabase.get();
    // one master key for the JVM, as in a server: the day keys in the shared key store are wrapped under it
    private static final SecretBox MASTER = SecretBox.withKey(randomKey());
    private final KeyVault vault = db.vault(MASTER);
    private final InboxBodies bodies = new InboxBodies(vault, guests(vault));

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
            assertFalse(new String(stored(c, oldQuarantined).body(), StandardCharsets.ISO_8859_1).contains("retention@example.com"),
                    "sealed on write");

            BodyRetention.Pass pass = BodyRetention.purgeChunk(c, mark, CUTOFF);
            c.commit();
            assertEquals(2, pass.purged());
            assertEquals(oldProcessed, pass.firstId());
            assertEquals(oldProcessedToo, pass.lastId());
            assertEquals(oldProcessedToo, pass.mark(), "the next pass starts after the last purged row");
            assertTrue(pass.caughtUp(), "stopped at the first row inside the retention");
            assertEquals("", body(c, oldProcessed));
            assertNull(stored(c, oldProcessed).keyRef());
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

    @Test
    void whenADaysRetentionEndsItsKeyIsDestroyedAndNoCopyOfItsBodiesOpens_bodiesStillNeededMoveToTodaysKey() throws SQLException {
        // a day of its own, so keys of other tests' days do not interfere
        LocalDate day = LocalDate.of(2001, 1, 1).plusDays(new SecureRandom().nextInt(3000));
        LocalDate today = InboxBodies.day(NOW);
        Instant receivedAt = day.atTime(10, 0).toInstant(ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            long mark = maxId(c);
            String source = source(c);
            long processed = row(c, source, receivedAt, "PROCESSED");
            GuestId guest = new GuestId(vault.fresh("guest").id());
            sealForGuest(c, processed, guest);
            long quarantined = row(c, source, receivedAt.plusSeconds(60), "QUARANTINED");
            long waiting = row(c, source, receivedAt.plusSeconds(120), "RECEIVED");
            c.commit();
            // a backup taken now holds every one of these bodies as stored
            List<Stored> backup = List.of(stored(c, processed), stored(c, quarantined), stored(c, waiting));
            for (Stored copy : backup) {
                assertEquals(BODY, new String(copy.open(bodies), StandardCharsets.UTF_8), "readable while the day key lives");
            }

            assertTrue(BodyRetention.expiredDays(vault.ids(InboxBodies.DAY_KIND), CUTOFF).contains(day));
            assertFalse(BodyRetention.expiredDays(vault.ids(InboxBodies.DAY_KIND), CUTOFF).contains(today));
            BodyRetention.Pass pass;
            do {
                pass = BodyRetention.purgeChunk(c, mark, CUTOFF);
                mark = pass.mark();
                c.commit();
            } while (!pass.caughtUp());
            assertEquals(2, BodyRetention.resealDay(c, bodies, day, today), "the quarantined and the waiting body move");
            c.commit();
            assertTrue(vault.destroy(InboxBodies.DAY_KIND, day.toString()));

            assertEquals("", body(c, processed));
            assertEquals(BODY, body(c, quarantined), "still there for its replay, under today's key");
            assertEquals(BODY, body(c, waiting), "still there for processing");
            assertEquals(InboxBodies.dayRef(today), stored(c, quarantined).keyRef());
            InboxBodies restored = new InboxBodies(db.vault(MASTER), guests(db.vault(MASTER)));
            for (Stored copy : backup) {
                assertThrows(InboxBodies.Unreadable.class, () -> copy.open(restored),
                        "a copy of a body from before the end of its retention opens with no key of the live key store");
            }
        }
    }

    @Test
    void aProcessedBodyInABackupDiesWithItsGuestsKeyThoughItsDayKeyLives() throws SQLException {
        try (Connection c = db.connect()) {
            String source = source(c);
            long processed = row(c, source, NOW, "PROCESSED");
            GuestId guest = new GuestId(vault.fresh("guest").id());
            sealForGuest(c, processed, guest);
            c.commit();
            Stored backup = stored(c, processed);
            assertTrue(backup.keyRef().startsWith("guest+day:"));
            assertEquals(BODY, new String(backup.open(bodies), StandardCharsets.UTF_8));

            assertTrue(vault.destroy("guest", guest.value()), "the guest's erasure");
            assertTrue(vault.find(InboxBodies.DAY_KIND, InboxBodies.day(NOW).toString()).isPresent(), "the day key lives on");
            InboxBodies restored = new InboxBodies(db.vault(MASTER), guests(db.vault(MASTER)));
            assertThrows(InboxBodies.Unreadable.class, () -> backup.open(restored));
        }
    }

    @Test
    void bodiesStoredInClearByAnEarlierVersionAreSealed() throws SQLException {
        try (Connection c = db.connect()) {
            String source = source(c);
            long waiting = clearRow(c, source, NOW, "RECEIVED", null);
            GuestId guest = new GuestId(vault.fresh("guest").id());
            long processed = clearRow(c, source, NOW, "PROCESSED", guest.value());
            long expired = clearRow(c, source, CUTOFF.minusSeconds(60), "PROCESSED", guest.value());
            c.commit();
            while (BodyRetention.sealClearChunk(c, bodies, CUTOFF, InboxBodies.day(NOW)) > 0) {
                c.commit();
            }
            c.commit();
            assertEquals(InboxBodies.dayRef(InboxBodies.day(NOW)), stored(c, waiting).keyRef());
            assertTrue(stored(c, processed).keyRef().startsWith("guest+day:"));
            for (long id : new long[]{waiting, processed}) {
                assertFalse(new String(stored(c, id).body(), StandardCharsets.ISO_8859_1).contains("retention@example.com"));
                assertEquals(BODY, body(c, id));
            }
            assertEquals("", body(c, expired), "past the retention: emptied rather than sealed");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ing_clear_body")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "nothing left in clear");
            }
        }
    }

    /** A stored body, as a backup would keep it. */
    private record Stored(long id, String sourceId, String sha256, byte[] body, String keyRef, String guestId) {
        byte[] open(InboxBodies with) {
            return with.open(id, sourceId, sha256, body, keyRef, guestId);
        }
    }

    private void sealForGuest(Connection c, long id, GuestId guest) throws SQLException {
        Stored row = stored(c, id);
        InboxBodies.Sealed sealed = bodies.forGuest(id, guest, new InboxBodies.Sealed(row.body(), row.keyRef())).orElseThrow();
        try (PreparedStatement s = c.prepareStatement("UPDATE ing_inbox SET body = ?, body_key = ?, guest_id = ? WHERE id = ?")) {
            s.setBytes(1, sealed.body());
            s.setString(2, sealed.keyRef());
            s.setString(3, guest.value());
            s.setLong(4, id);
            s.executeUpdate();
        }
    }

    /** The identity module's sealing as far as raw bodies need it: one data key per guest, from the vault. */
    private static GuestDirectory guests(KeyVault vault) {
        return (GuestDirectory) Proxy.newProxyInstance(GuestDirectory.class.getClassLoader(), new Class<?>[]{GuestDirectory.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("seal") && !method.getName().equals("open")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    GuestId guest = (GuestId) args[0];
                    byte[] aad = (guest.value() + "|" + args[1]).getBytes(StandardCharsets.UTF_8);
                    Optional<DataKey> key = vault.find("guest", guest.value());
                    return method.getName().equals("seal") ? key.map(k -> k.seal((byte[]) args[2], aad))
                            : key.map(k -> k.open((byte[]) args[2], aad));
                });
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

    /** A row as the inbox writer stores it: the body sealed under the key of its day of receipt. */
    private long row(Connection c, String source, Instant receivedAt, String state) throws SQLException {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        String sha256 = WebhookBody.sha256(body);
        InboxBodies.Sealed sealed = bodies.seal(source, sha256, body, InboxBodies.day(receivedAt));
        return insert(c, source, receivedAt, state, sealed.body(), sealed.keyRef(), sha256, null);
    }

    /** A row as an earlier version stored it: the body in clear, listed for sealing by the migration. */
    private static long clearRow(Connection c, String source, Instant receivedAt, String state, String guest) throws SQLException {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        long id = insert(c, source, receivedAt, state, body, null, WebhookBody.sha256(body), guest);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_clear_body (inbox_id) VALUES (?)")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
        return id;
    }

    private static long insert(Connection c, String source, Instant receivedAt, String state, byte[] body, String keyRef, String sha256,
                               String guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_inbox (source_id, received_at, content_type, body, body_key, body_sha256, "
                + "state, guest_id) VALUES (?, ?, 'application/json', ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, source);
            s.setObject(2, LocalDateTime.ofInstant(receivedAt, ZoneOffset.UTC));
            s.setBytes(3, body);
            s.setString(4, keyRef);
            s.setString(5, sha256);
            s.setString(6, state);
            s.setString(7, guest);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static Stored stored(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT source_id, body_sha256, body, body_key, guest_id FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Stored(id, rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getString(5));
            }
        }
    }

    /** The body in clear, opened with the live keys (empty when emptied). */
    private String body(Connection c, long id) throws SQLException {
        return new String(stored(c, id).open(bodies), StandardCharsets.UTF_8);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
