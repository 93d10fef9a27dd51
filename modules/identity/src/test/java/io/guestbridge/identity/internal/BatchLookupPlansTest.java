package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A processing chunk's reads by guest (fields, devices, visits, stays) read their guests' rows whatever MariaDB's
 * statistics say: each is measured with statistics that claim one guest holds every row of the table, which made MariaDB
 * read whole tables for each chunk while the tables grew. The batch's 128 guests are among 20,000 others, as in a
 * deployment, where reading their rows by the key is far cheaper than reading the table.
 */
class BatchLookupPlansTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final int OTHERS = 20_000;
    private static final int BATCH = 128;

    private static final TestDatabase DB = TestDatabase.get();
    private static final SecretBox MASTER = SecretBox.withKey(randomKey());
    private static final GuestCrypto CRYPTO = new GuestCrypto(MASTER, DB.vault(MASTER));
    private static final GuestStore GUESTS_STORE = new GuestStore(CRYPTO);
    private static final ActivityStore ACTIVITY = new ActivityStore(CRYPTO);
    private static final List<GuestId> BATCH_GUESTS = new ArrayList<>();

    /** The batch's guests, each with fields, a device, a visit and a stay, and many other guests' rows written by SQL. */
    @BeforeAll
    static void guests() throws Exception {
        String venueId = UUID.randomUUID().toString();
        Venues.Venue venue = new Venues.Venue(venueId, "plans-" + venueId, "Plan test venue", ZoneId.of("Europe/London"), null, null, null, null);
        try (Connection c = DB.connect()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_venue (id, ref, name, time_zone, created_at, updated_at) "
                    + "VALUES (?, ?, ?, 'Europe/London', NOW(6), NOW(6))")) {
                s.setString(1, venue.id());
                s.setString(2, venue.ref());
                s.setString(3, venue.name());
                s.executeUpdate();
            }
            List<ActivityStore.DeviceSeen> devices = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                GuestId guest = GUESTS_STORE.resolve(c, NormalizedEmail.parse("plans-" + UUID.randomUUID() + "@example.com"), SourceSystem.WIFI, T0).guest();
                GUESTS_STORE.observeAll(c, guest, List.of(new Observation(GuestField.FIRST_NAME, "Ada", SourceSystem.WIFI, T0),
                        new Observation(GuestField.LAST_NAME, "Lovelace", SourceSystem.WIFI, T0)), FieldOwnership.defaults());
                ACTIVITY.visit(c, guest, new GuestUpdate.Visit(venue, T0, 30, null));
                ACTIVITY.stay(c, guest, new GuestUpdate.Stay("plans-source", "R-" + UUID.randomUUID(), GuestUpdate.Stay.Status.CONFIRMED,
                        T0, T0.plusSeconds(86_400), ZoneId.of("Europe/London"), T0));
                devices.add(new ActivityStore.DeviceSeen(guest, GUESTS_STORE.key(c, guest, true).orElseThrow(),
                        mac(i), Devices.parse("Mozilla/5.0 (iPhone)"), T0));
                BATCH_GUESTS.add(guest);
            }
            ACTIVITY.deviceAll(c, devices);
            others(c, venue.id());
            c.commit();
        }
    }

    /** Other guests with the same rows as the batch's (values that open nothing: only the plans are tested). */
    private static void others(Connection c, String venueId) throws Exception {
        String mark = "plans-" + UUID.randomUUID();
        try (var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO idn_guest (id, email_index, created_at, updated_at) SELECT UUID(), SHA2(CONCAT('" + mark
                    + "', seq), 256), NOW(6), NOW(6) FROM seq_1_to_" + OTHERS);
            String others = "SELECT id FROM idn_guest WHERE email_index IN (SELECT SHA2(CONCAT('" + mark + "', seq), 256) FROM seq_1_to_" + OTHERS + ")";
            s.executeUpdate("INSERT INTO idn_guest_field (guest_id, field, value_sealed, source, observed_at, owning) SELECT g.id, f.field, "
                    + "'-', 'WIFI', NOW(6), FALSE FROM (" + others + ") g JOIN (SELECT 'EMAIL' AS field UNION ALL SELECT 'FIRST_NAME' "
                    + "UNION ALL SELECT 'LAST_NAME') f");
            s.executeUpdate("INSERT INTO idn_device (guest_id, device_key, mac_hash_sealed, randomised, first_seen, last_seen) "
                    + "SELECT g.id, SHA2(g.id, 256), '-', TRUE, NOW(6), NOW(6) FROM (" + others + ") g");
            s.executeUpdate("INSERT INTO idn_visit (guest_id, venue_id, visit_day, first_seen, last_seen, logins) "
                    + "SELECT g.id, '" + venueId + "', CURDATE(), NOW(6), NOW(6), 1 FROM (" + others + ") g");
            s.executeUpdate("INSERT INTO idn_stay (source_id, reservation_ref, guest_id, status, departure_utc, time_zone, last_event_at) "
                    + "SELECT 'plans-source', g.id, g.id, 'CONFIRMED', NOW(6), 'Europe/London', NOW(6) FROM (" + others + ") g");
        }
    }

    @Test
    void aBatchReadsItsGuestsFieldsByTheKey() throws Exception {
        assertReadByKey("idn_guest_field", () -> {
            try (Connection c = DB.connect()) {
                assertEquals(BATCH, GUESTS_STORE.loadAll(c, BATCH_GUESTS).size());
            }
        });
        assertReadByKey("idn_guest_field", () -> {
            try (Connection c = DB.connect()) {
                assertEquals(Map.of(), GUESTS_STORE.rectifiedAt(c, BATCH_GUESTS), "no value was rectified");
            }
        });
        assertReadByKey("idn_guest_field", () -> {
            try (Connection c = DB.connect()) {
                Map<GuestId, GuestProfile> locked = GUESTS_STORE.loadLocked(c, GUESTS_STORE.lockAll(c, BATCH_GUESTS));
                assertEquals("Lovelace", locked.get(BATCH_GUESTS.get(0)).field(GuestField.LAST_NAME).orElseThrow().value());
                c.rollback();
            }
        });
    }

    @Test
    void aBatchReadsItsGuestsDevicesByTheKey() throws Exception {
        assertReadByKey("idn_device", () -> {
            try (Connection c = DB.connect()) {
                List<ActivityStore.DeviceSeen> again = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    GuestId guest = BATCH_GUESTS.get(i);
                    again.add(new ActivityStore.DeviceSeen(guest, GUESTS_STORE.key(c, guest, true).orElseThrow(), mac(i),
                            Devices.parse("Mozilla/5.0 (iPhone)"), T0.plusSeconds(60)));
                }
                assertEquals(java.util.Collections.nCopies(BATCH, false), ACTIVITY.deviceAll(c, again), "devices the guests already have");
                c.rollback();
            }
        });
    }

    @Test
    void aBatchReadsItsGuestsVisitsByTheKey() throws Exception {
        assertReadByKey("idn_visit", () -> {
            try (Connection c = DB.connect()) {
                assertEquals(1, ACTIVITY.summaries(c, BATCH_GUESTS).get(BATCH_GUESTS.get(0)).visits());
            }
        });
    }

    @Test
    void aBatchReadsItsGuestsStaysByTheirIndex() throws Exception {
        assertReadByKey("idn_stay", () -> {
            try (Connection c = DB.connect()) {
                assertEquals(BATCH, ACTIVITY.staysChangedAt(c, BATCH_GUESTS).size());
            }
        });
    }

    /** The work, planned at its worst, reads less than a tenth of the table's rows (the batch's are under 1 %). */
    private static void assertReadByKey(String table, TestDatabase.Work work) throws Exception {
        long rows = DB.rowCount(table);
        long read = DB.rowsReadUnderWorstStatistics(table, work);
        assertTrue(read < rows / 10, "rows of " + table + " read for " + BATCH + " of its guests: " + read + " of " + rows);
    }

    private static String mac(int i) {
        return String.format("02:00:00:00:%02x:%02x", i / 256, i % 256);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
