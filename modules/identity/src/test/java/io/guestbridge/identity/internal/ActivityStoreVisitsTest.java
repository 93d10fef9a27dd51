package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A guest's visits as the store reads them back: a visit whose dwell nobody reported has none, not zero minutes. */
class ActivityStoreVisitsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00.123456Z");

    private final TestDatabase db = TestDatabase.get();
    private final SecretBox master = SecretBox.withKey(randomKey());
    private final GuestCrypto crypto = new GuestCrypto(master, db.vault(master));
    private final GuestStore store = new GuestStore(crypto);
    private final ActivityStore activity = new ActivityStore(crypto);

    @Test
    void aVisitWithoutADwellReadsBackWithoutOne_andOneWithADwellWithIt() throws Exception {
        try (Connection c = db.connect()) {
            Venues.Venue venue = venue(c);
            GuestId guest = store.resolve(c, NormalizedEmail.parse("dwell-" + UUID.randomUUID() + "@example.com"), SourceSystem.WIFI, T0).guest();
            activity.visit(c, guest, new GuestUpdate.Visit(venue, T0, null, null));
            activity.visit(c, guest, new GuestUpdate.Visit(venue, T0.plusSeconds(86_400), 47, "Lobby"));
            c.commit();

            List<GuestDirectory.VisitEntry> visits = activity.visits(c, guest, 10).stream()
                    .sorted(Comparator.comparing(GuestDirectory.VisitEntry::day)).toList();

            assertEquals(2, visits.size());
            assertEquals(LocalDate.of(2026, 11, 25), visits.get(0).day());
            assertEquals(T0, visits.get(0).lastSeen(), "read back to the microsecond, in UTC");
            assertNull(visits.get(0).dwellMinutes(), "no dwell was reported for the first day");
            assertEquals(47, visits.get(1).dwellMinutes());
        }
    }

    private static Venues.Venue venue(Connection c) throws Exception {
        String id = UUID.randomUUID().toString();
        String ref = "purple:" + UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_venue (id, ref, name, time_zone, created_at, updated_at) "
                + "VALUES (?, ?, 'The Grand Hotel - Manchester', 'Europe/London', ?, ?)")) {
            s.setString(1, id);
            s.setString(2, ref);
            s.setObject(3, Jdbc.utc(T0));
            s.setObject(4, Jdbc.utc(T0));
            s.executeUpdate();
        }
        return new Venues.Venue(id, ref, "The Grand Hotel - Manchester", ZoneId.of("Europe/London"), null, null, null, null);
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
