package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.testing.TestDatabase;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The identity part of an access export against a real MariaDB: every value held about the guest, readable. */
class IdentityAccessTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00.123456Z");
    /** Ciphertext: exported decrypted. */
    private static final Set<String> NOT_VERBATIM = Set.of("value_sealed", "mac_hash_sealed");

    private final TestDatabase db = TestDatabase.get();
    private final SecretBox master = SecretBox.withKey(randomKey());
    private final GuestCrypto crypto = new GuestCrypto(master, db.vault(master));
    private final GuestStore store = new GuestStore(crypto);
    private final ActivityStore activity = new ActivityStore(crypto);

    @Test
    void exportsEveryValueHeldAboutTheGuestReadably() throws Exception {
        NormalizedEmail email = NormalizedEmail.parse("access-" + UUID.randomUUID() + "@example.com");
        try (Connection c = db.connect()) {
            Venues.Venue venue = venue(c);
            GuestId guest = store.resolve(c, email, SourceSystem.WIFI, T0).guest();
            store.observeAll(c, guest, List.of(new Observation(GuestField.FIRST_NAME, "Jane", SourceSystem.CRM, T0.plusSeconds(60)),
                    new Observation(GuestField.PHONE, "07911 123456", SourceSystem.BOOKING, T0.plusSeconds(120)).readIn(java.util.Optional.empty())),
                    FieldOwnership.defaults());
            activity.visit(c, guest, new GuestUpdate.Visit(venue, T0, 47, "Lobby"));
            activity.visit(c, guest, new GuestUpdate.Visit(venue, T0.plusSeconds(1800), null, null));
            GuestCrypto.DataKey key = store.key(c, guest, false).orElseThrow();
            activity.device(c, guest, key, "a4b1c2d3e4f5", new Devices.Parsed("iPhone", "iOS 17"), T0);
            activity.stay(c, guest, new GuestUpdate.Stay(UUID.randomUUID().toString(), "RES-" + UUID.randomUUID(), GuestUpdate.Stay.Status.CONFIRMED,
                    T0.plusSeconds(86_400), T0.plusSeconds(3 * 86_400), ZoneId.of("Europe/London"), T0));
            c.commit();

            JsonObject export = IdentityAccess.export(c, store, activity, guest);

            assertEquals(guest.value(), export.getString("guestId"));
            JsonObject first = export.getJsonArray("fields").getJsonObject(0);
            assertEquals("EMAIL", first.getString("field"));
            assertEquals(email.value(), first.getString("value"));
            assertEquals("WIFI", first.getString("source"));
            assertEquals(T0.toString(), first.getString("observedAt"));
            assertEquals(3, export.getJsonArray("fields").size());
            assertTrue(first.getBoolean("verified"));
            JsonObject phone = export.getJsonArray("fields").getJsonObject(2);
            assertEquals("PHONE", phone.getString("field"));
            assertEquals("07911 123456", phone.getString("value"), "an unverified phone is exported as kept");
            assertFalse(phone.getBoolean("verified"));
            assertTrue(phone.getString("unverifiedReason").contains("no country"), "with the reason it is unverified");
            JsonObject visit = export.getJsonArray("visits").getJsonObject(0);
            assertEquals(2, visit.getInt("logins"), "two logins of one day are one visit");
            assertEquals("Lobby", visit.getString("zone"));
            assertEquals("The Grand Hotel - Manchester", visit.getString("venueName"));
            assertEquals(1, export.getJsonObject("visitSummary").getInt("visits"));
            assertEquals(crypto.macHash("a4b1c2d3e4f5"), export.getJsonArray("devices").getJsonObject(0).getString("macHash"));
            assertEquals("CONFIRMED", export.getJsonArray("stays").getJsonObject(0).getString("status"));

            String text = export.toString();
            assertTrue(export.getBoolean("dataKeyHeld"));
            for (String table : List.of("idn_guest", "idn_guest_field", "idn_visit", "idn_device", "idn_stay")) {
                String column = table.equals("idn_guest") ? "id" : "guest_id";
                try (PreparedStatement s = c.prepareStatement("SELECT * FROM " + table + " WHERE " + column + " = ?")) {
                    s.setString(1, guest.value());
                    try (ResultSet rs = s.executeQuery()) {
                        ResultSetMetaData meta = rs.getMetaData();
                        while (rs.next()) {
                            for (int i = 1; i <= meta.getColumnCount(); i++) {
                                String name = meta.getColumnLabel(i).toLowerCase(Locale.ROOT);
                                Object value = rs.getObject(i);
                                if (value == null || NOT_VERBATIM.contains(name)) {
                                    continue;
                                }
                                String shown = value instanceof Timestamp t ? t.toLocalDateTime().toInstant(ZoneOffset.UTC).toString()
                                        : value instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC).toString() : value.toString();
                                assertTrue(text.contains(shown), table + "." + name + " is missing from the export");
                            }
                        }
                    }
                }
            }
        }
    }

    /** The visits as the store reads them back: a day whose dwell nobody reported has none, not zero minutes. */
    @Test
    void aVisitWithoutADwellReadsBackWithoutOne_andOneWithADwellWithIt() throws Exception {
        try (Connection c = db.connect()) {
            Venues.Venue venue = venue(c);
            GuestId guest = store.resolve(c, NormalizedEmail.parse("dwell-" + UUID.randomUUID() + "@example.com"), SourceSystem.WIFI, T0).guest();
            activity.visit(c, guest, new GuestUpdate.Visit(venue, T0, null, null));
            activity.visit(c, guest, new GuestUpdate.Visit(venue, T0.plusSeconds(86_400), 47, "Lobby"));
            c.commit();

            List<GuestDirectory.VisitEntry> visits = activity.visits(c, guest, 10).stream()
                    .sorted(java.util.Comparator.comparing(GuestDirectory.VisitEntry::day)).toList();

            assertEquals(2, visits.size());
            assertEquals(java.time.LocalDate.of(2026, 11, 25), visits.get(0).day());
            assertEquals(T0, visits.get(0).lastSeen(), "read back to the microsecond, in UTC");
            assertNull(visits.get(0).dwellMinutes(), "no dwell was reported for the first day");
            assertEquals(47, visits.get(1).dwellMinutes());
        }
    }

    /** A venue of its own for the test: its id and ref are new each time. */
    private static Venues.Venue venue(Connection c) throws SQLException {
        String id = UUID.randomUUID().toString();
        String ref = "purple:" + UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_venue (id, ref, name, time_zone, created_at, updated_at) "
                + "VALUES (?, ?, 'The Grand Hotel - Manchester', 'Europe/London', ?, ?)")) {
            s.setString(1, id);
            s.setString(2, ref);
            s.setObject(3, LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
            s.setObject(4, LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
            s.executeUpdate();
        }
        return new Venues.Venue(id, ref, "The Grand Hotel - Manchester", ZoneId.of("Europe/London"), null, null, null, null);
    }

    @Test
    void anUnknownGuestExportsNothing() throws Exception {
        try (Connection c = db.connect()) {
            assertTrue(IdentityAccess.export(c, store, activity, GuestId.random()).isEmpty());
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
