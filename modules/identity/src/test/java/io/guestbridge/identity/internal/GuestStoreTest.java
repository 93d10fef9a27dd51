package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guest profiles against a real MariaDB: no duplicates under concurrency, nothing readable at rest, shredding. */
class GuestStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private final TestDatabase db = TestDatabase.get();
    private final SecretBox master = SecretBox.withKey(randomKey());
    private final GuestStore store = new GuestStore(new GuestCrypto(master, db.vault(master)));

    @Test
    void concurrentFirstLoginsOfOneNewEmailMakeOneGuest() throws Exception {
        NormalizedEmail email = NormalizedEmail.parse("concurrent-" + UUID.randomUUID() + "@example.com");
        int logins = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(logins);
        List<Future<GuestStore.Resolution>> results = new ArrayList<>();
        for (int i = 0; i < logins; i++) {
            results.add(pool.submit(() -> {
                start.await();
                try (Connection c = db.connect()) {
                    GuestStore.Resolution r = store.resolve(c, email, SourceSystem.WIFI, T0);
                    Thread.sleep(20); // hold the transaction open a little, as processing would
                    c.commit();
                    return r;
                }
            }));
        }
        start.countDown();
        Set<GuestId> guests = new HashSet<>();
        int created = 0;
        for (Future<GuestStore.Resolution> result : results) {
            GuestStore.Resolution r = result.get(60, TimeUnit.SECONDS);
            guests.add(r.guest());
            created += r.created() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, guests.size(), "one guest for one email");
        assertEquals(1, created);
        assertEquals(1, count("SELECT COUNT(*) FROM idn_guest WHERE id = '" + guests.iterator().next().value() + "'"));
    }

    @Test
    void aChunkResolvedSetWiseFindsTheKnownCreatesTheNewOnceAndLocksThemAll() throws Exception {
        NormalizedEmail known = NormalizedEmail.parse("known-" + UUID.randomUUID() + "@example.com");
        NormalizedEmail fresh = NormalizedEmail.parse("fresh-" + UUID.randomUUID() + "@example.com");
        NormalizedEmail other = NormalizedEmail.parse("other-" + UUID.randomUUID() + "@example.com");
        GuestId knownGuest;
        try (Connection c = db.connect()) {
            knownGuest = store.resolve(c, known, SourceSystem.WIFI, T0).guest();
            c.commit();
        }
        try (Connection c = db.connect()) {
            var resolved = store.resolveAll(c, List.of(new io.guestbridge.identity.api.GuestDirectory.Sighting(fresh, SourceSystem.WIFI, T0, "t"),
                    new io.guestbridge.identity.api.GuestDirectory.Sighting(known, SourceSystem.WIFI, T0, "t"),
                    new io.guestbridge.identity.api.GuestDirectory.Sighting(other, SourceSystem.BOOKING, T0, "t")));
            c.commit();
            assertEquals(3, resolved.size());
            assertEquals(knownGuest, resolved.get(known).guest());
            assertFalse(resolved.get(known).created());
            assertTrue(resolved.get(fresh).created());
            assertTrue(resolved.get(other).created());
            assertEquals(resolved.get(fresh).guest(), store.find(c, fresh).orElseThrow(), "found by its email afterwards");
            assertEquals(fresh.value(), store.load(c, resolved.get(fresh).guest()).orElseThrow().field(GuestField.EMAIL).orElseThrow().value());
            var again = store.resolveAll(c, List.of(new io.guestbridge.identity.api.GuestDirectory.Sighting(other, SourceSystem.WIFI, T0, "t")));
            assertEquals(resolved.get(other).guest(), again.get(other).guest());
            assertFalse(again.get(other).created(), "nothing created twice");
            var keys = store.lockAll(c, List.of(knownGuest, resolved.get(fresh).guest()));
            assertEquals(2, keys.size());
            var profiles = store.loadLocked(c, keys);
            assertEquals(known.value(), profiles.get(knownGuest).field(GuestField.EMAIL).orElseThrow().value());
            c.commit();
            assertThrows(SQLException.class, () -> store.lockAll(c, List.of(GuestId.random())), "an unknown guest is not locked silently");
            c.rollback();
        }
    }

    @Test
    void fieldsAreEncryptedAtRestWithTheirProvenanceAndReadBack() throws Exception {
        NormalizedEmail email = NormalizedEmail.parse("at-rest-" + UUID.randomUUID() + "@example.com");
        GuestId guest;
        try (Connection c = db.connect()) {
            guest = store.resolve(c, email, SourceSystem.WIFI, T0).guest();
            assertTrue(store.observe(c, guest, new Observation(GuestField.FIRST_NAME, "Zebedee", SourceSystem.WIFI, T0), FieldOwnership.defaults()));
            assertTrue(store.observe(c, guest, new Observation(GuestField.PHONE, "+447911123456", SourceSystem.CRM, T0), FieldOwnership.defaults()));
            assertFalse(store.observe(c, guest, new Observation(GuestField.PHONE, "+447911000000", SourceSystem.WIFI, T0.plusSeconds(60)),
                    FieldOwnership.defaults()), "the CRM's phone is protected in the database too");
            c.commit();
        }
        try (Connection c = db.connect()) {
            GuestProfile profile = store.load(c, guest).orElseThrow();
            assertEquals(email.value(), profile.field(GuestField.EMAIL).orElseThrow().value());
            assertEquals("Zebedee", profile.field(GuestField.FIRST_NAME).orElseThrow().value());
            assertEquals("+447911123456", profile.field(GuestField.PHONE).orElseThrow().value());
            assertEquals(SourceSystem.CRM, profile.field(GuestField.PHONE).orElseThrow().source());
            assertEquals(guest, store.find(c, email).orElseThrow());
        }
        String rows = dump();
        assertFalse(rows.contains("Zebedee"), "no name in clear");
        assertFalse(rows.contains(email.value()), "no email in clear");
        assertFalse(rows.contains("7911123456"), "no phone in clear");
    }

    @Test
    void anUnverifiedValueIsStoredAsGivenWithItsReasonAndReadBackSo() throws Exception {
        NormalizedEmail email = NormalizedEmail.parse("unverified-" + UUID.randomUUID() + "@example.com");
        GuestId guest;
        Observation national = new Observation(GuestField.PHONE, "07911 123456", SourceSystem.WIFI, T0).readIn(java.util.Optional.empty());
        try (Connection c = db.connect()) {
            guest = store.resolve(c, email, SourceSystem.WIFI, T0).guest();
            assertEquals(List.of(GuestField.PHONE), store.observeAll(c, guest, List.of(national), FieldOwnership.defaults()));
            c.commit();
        }
        try (Connection c = db.connect()) {
            GuestProfile.FieldValue phone = store.load(c, guest).orElseThrow().field(GuestField.PHONE).orElseThrow();
            assertEquals("07911 123456", phone.value());
            assertEquals(national.unverifiedReason(), phone.unverifiedReason());
            GuestProfile.FieldValue first = store.loadAll(c, List.of(guest)).get(guest).field(GuestField.PHONE).orElseThrow();
            assertEquals(national.unverifiedReason(), first.unverifiedReason(), "the batch read (CRM sync) sees the flag too");
            // the same number verified later replaces the flag
            assertTrue(store.observe(c, guest, new Observation(GuestField.PHONE, "+447911123456", SourceSystem.WIFI, T0.plusSeconds(60)),
                    FieldOwnership.defaults()));
            assertTrue(store.load(c, guest).orElseThrow().field(GuestField.PHONE).orElseThrow().verified());
            c.commit();
        }
        assertFalse(dump().contains("7911 123456"), "an unverified phone is sealed like any value");
    }

    @Test
    void shreddingTheKeyLeavesNothingReadable() throws Exception {
        NormalizedEmail email = NormalizedEmail.parse("shred-" + UUID.randomUUID() + "@example.com");
        GuestId guest;
        try (Connection c = db.connect()) {
            guest = store.resolve(c, email, SourceSystem.BOOKING, T0).guest();
            store.observe(c, guest, new Observation(GuestField.LAST_NAME, "Quixote", SourceSystem.BOOKING, T0), FieldOwnership.defaults());
            c.commit();
        }
        assertTrue(store.shred(guest), "the key is destroyed in the key store, committed at once");
        try (Connection c = db.connect()) {
            assertEquals(2, count("SELECT COUNT(*) FROM idn_guest_field WHERE guest_id = '" + guest.value() + "'"), "the ciphertext is still there");
            assertTrue(store.load(c, guest).isEmpty(), "without its key a guest cannot be read");
            GuestStore restored = new GuestStore(new GuestCrypto(master, db.vault(master)));
            assertTrue(restored.load(c, guest).isEmpty(), "nor by another instance, or a copy of the data restored from a backup");
            SQLException refused = assertThrows(SQLException.class, () -> store.observe(c, guest,
                    new Observation(GuestField.LAST_NAME, "Panza", SourceSystem.BOOKING, T0.plusSeconds(1)), FieldOwnership.defaults()));
            assertTrue(refused.getMessage().contains("erased"), "a shredded guest takes no new values: " + refused.getMessage());
        }
    }

    @Test
    void aNewGuestsKeyIsCommittedApartBeforeItsRowsAndARollbackLeavesOnlyAKeyThatOpensNothing() throws Exception {
        NormalizedEmail email = NormalizedEmail.parse("rollback-" + UUID.randomUUID() + "@example.com");
        GuestId guest;
        try (Connection c = db.connect()) {
            guest = store.resolve(c, email, SourceSystem.WIFI, T0).guest();
            assertTrue(db.vault(master).find(GuestCrypto.KEY_KIND, guest.value()).isPresent(),
                    "the key is in the key store before the guest's transaction commits");
            c.rollback();
        }
        try (Connection c = db.connect()) {
            assertTrue(store.find(c, email).isEmpty(), "no guest");
            assertEquals(0, count("SELECT COUNT(*) FROM idn_guest_field WHERE guest_id = '" + guest.value() + "'"), "nothing the key could open");
            GuestId again = store.resolve(c, email, SourceSystem.WIFI, T0).guest();
            c.commit();
            assertFalse(again.equals(guest), "the next attempt takes a key of its own");
            assertEquals(email.value(), store.load(c, again).orElseThrow().field(GuestField.EMAIL).orElseThrow().value());
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String dump() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String table : List.of("idn_guest", "idn_guest_field")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            out.append(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
