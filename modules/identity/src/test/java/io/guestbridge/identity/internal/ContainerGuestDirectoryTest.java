package io.guestbridge.identity.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestChanged;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestStayChanged;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.platform.testing.MapConfig;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the directory tells the other modules when a guest changes, against a real MariaDB: every change wakes the
 * guest's readers ({@link GuestChanged}), and only a change to the guest's stays wakes the readers of stays
 * ({@link GuestStayChanged}): a WiFi login or a profile field costs them no work item.
 */
class ContainerGuestDirectoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private final TestDatabase db = TestDatabase.get();
    private final List<Message> published = new ArrayList<>();
    private final List<AuditEvent> audited = new ArrayList<>();
    /** The email each guest of a test was created with: an update goes through {@code applyAll}, as the processor's do. */
    private final Map<GuestId, NormalizedEmail> emails = new java.util.HashMap<>();
    private final ContainerGuestDirectory directory = directory();

    @Test
    void onlyAChangeToTheGuestsStaysIsAnnouncedToTheReadersOfStays() throws Exception {
        NormalizedEmail email = NormalizedEmail.parse("stays-" + UUID.randomUUID() + "@example.com");
        GuestId guest = directory.applyAll(List.of(seen(email, NOTHING))).get(0);
        emails.put(guest, email);
        assertEquals(List.of(GuestChanged.of(guest)), published, "a new guest");

        published.clear();
        apply(guest, new GuestUpdate(List.of(new Observation(GuestField.FIRST_NAME, "Ada", SourceSystem.WIFI, T0)),
                Optional.empty(), Optional.empty(), Optional.empty()));
        assertEquals(List.of(GuestChanged.of(guest)), published, "a profile field changed: no stay involved");

        String reservation = "R-" + UUID.randomUUID();
        published.clear();
        apply(guest, booking(reservation, GuestUpdate.Stay.Status.CONFIRMED, T0.plus(Duration.ofDays(3)), T0.plusSeconds(60)));
        assertEquals(List.of(GuestChanged.of(guest), GuestStayChanged.of(guest)), published, "a new stay");

        published.clear();
        apply(guest, booking(reservation, GuestUpdate.Stay.Status.CONFIRMED, T0.plus(Duration.ofDays(3)), T0.plusSeconds(60)));
        assertEquals(List.of(), published, "the sender's retry of the same booking event: nothing changed, nothing announced");
        apply(guest, booking(reservation, GuestUpdate.Stay.Status.CANCELLED, T0.plus(Duration.ofDays(3)), T0.plusSeconds(30)));
        assertEquals(List.of(), published, "an event older than the one stored is not applied");

        published.clear();
        apply(guest, booking(reservation, GuestUpdate.Stay.Status.CONFIRMED, T0.plus(Duration.ofDays(4)), T0.plusSeconds(180)));
        assertEquals(List.of(GuestChanged.of(guest), GuestStayChanged.of(guest)), published, "the stay's departure moved");

        published.clear();
        apply(guest, booking(reservation, GuestUpdate.Stay.Status.CANCELLED, T0.plus(Duration.ofDays(4)), T0.plusSeconds(240)));
        assertEquals(List.of(GuestChanged.of(guest), GuestStayChanged.of(guest)), published, "the stay was cancelled");
        try (var c = db.connect(); var s = c.prepareStatement("SELECT status, departure_utc FROM idn_stay WHERE reservation_ref = ?")) {
            s.setString(1, reservation);
            try (var rs = s.executeQuery()) {
                rs.next();
                assertEquals("CANCELLED", rs.getString(1));
                assertEquals(T0.plus(Duration.ofDays(4)), rs.getTimestamp(2).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC), "the newest event's dates");
            }
        }
    }

    @Test
    void aChunkOfEventsWritesOneAuditRecordPerEventThatCreatedOrChangedAGuest() {
        NormalizedEmail known = NormalizedEmail.parse("known-" + UUID.randomUUID() + "@example.com");
        GuestId existing = directory.applyAll(List.of(seen(known, firstName("Ada", T0)))).get(0);
        assertEquals(List.of("GUEST_CREATED"), audited.stream().map(AuditEvent::action).toList());
        assertEquals("FIRST_NAME", audited.get(0).details().get("fields"), "the creating event's changes are in its one record");

        audited.clear();
        NormalizedEmail fresh = NormalizedEmail.parse("fresh-" + UUID.randomUUID() + "@example.com");
        List<GuestId> guests = directory.applyAll(List.of(
                seen(fresh, firstName("Grace", T0)),
                seen(known, firstName("Ada", T0)), // what the guest already holds: no change, no record
                seen(fresh, firstName("Gracie", T0.plusSeconds(60))),
                seen(known, firstName("Augusta", T0.plusSeconds(60)))));
        assertEquals(guests.get(0), guests.get(2), "a new email seen twice is one guest");
        assertEquals(existing, guests.get(1));
        assertEquals(existing, guests.get(3));
        assertEquals(List.of("GUEST_CREATED", "GUEST_UPDATED", "GUEST_UPDATED"), audited.stream().map(AuditEvent::action).toList(),
                "the new guest's first event creates it, its second updates it; the known guest's unchanged name writes nothing");
        assertEquals(List.of(guests.get(0).subjectRef(), guests.get(0).subjectRef(), existing.subjectRef()),
                audited.stream().map(AuditEvent::subjectRef).toList());
        assertEquals("WIFI", audited.get(0).details().get("source"));
        assertEquals("FIRST_NAME", audited.get(0).details().get("fields"));
        assertEquals("FIRST_NAME", audited.get(2).details().get("fields"));
        assertEquals("Gracie", directory.profile(guests.get(0)).orElseThrow().fields().get(GuestField.FIRST_NAME).value());
        assertEquals("Augusta", directory.profile(existing).orElseThrow().fields().get(GuestField.FIRST_NAME).value());
    }

    @Test
    void theGuestsOfASourceStillToDepartAreAnnouncedOnceEachWhenAModuleAsks() {
        String source = UUID.randomUUID().toString();
        GuestId twoStays = newGuest();
        GuestId departed = newGuest();
        GuestId elsewhere = newGuest();
        apply(twoStays, stay(source, "R-1", T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(3))));
        apply(twoStays, stay(source, "R-2", T0.plus(Duration.ofDays(5)), T0.plus(Duration.ofDays(7))));
        apply(departed, stay(source, "R-3", T0.minus(Duration.ofDays(3)), T0.minus(Duration.ofDays(1))));
        apply(elsewhere, stay(UUID.randomUUID().toString(), "R-1", T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(3))));

        published.clear();
        assertEquals(1, directory.announceStays(source, T0));
        assertEquals(List.of(GuestStayChanged.of(twoStays)), published, "one item for the guest of two stays; none for a stay over, or another source's");

        published.clear();
        assertEquals(2, directory.announceStays(source, T0.minus(Duration.ofDays(2))));
        assertEquals(java.util.Set.of(GuestStayChanged.of(twoStays), GuestStayChanged.of(departed)), java.util.Set.copyOf(published));
        assertEquals(2, published.size());

        published.clear();
        assertEquals(0, directory.announceStays(UUID.randomUUID().toString(), T0));
        assertEquals(List.of(), published, "a source without stays");
    }

    private GuestId newGuest() {
        NormalizedEmail email = NormalizedEmail.parse("announce-" + UUID.randomUUID() + "@example.com");
        GuestId guest = directory.applyAll(List.of(seen(email, NOTHING))).get(0);
        emails.put(guest, email);
        return guest;
    }

    private static final GuestUpdate NOTHING = new GuestUpdate(List.of(), Optional.empty(), Optional.empty(), Optional.empty());

    private static GuestDirectory.Seen seen(NormalizedEmail email, GuestUpdate update) {
        return new GuestDirectory.Seen(new GuestDirectory.Sighting(email, SourceSystem.WIFI, T0, "source:test"), update);
    }

    private static GuestUpdate firstName(String name, Instant at) {
        return new GuestUpdate(List.of(new Observation(GuestField.FIRST_NAME, name, SourceSystem.WIFI, at)), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    private static GuestUpdate stay(String source, String reservation, Instant arrival, Instant departure) {
        return new GuestUpdate(List.of(), Optional.empty(), Optional.empty(),
                Optional.of(new GuestUpdate.Stay(source, reservation, GuestUpdate.Stay.Status.CONFIRMED, arrival, departure, LONDON, T0)));
    }

    private void apply(GuestId guest, GuestUpdate update) {
        assertEquals(List.of(guest), directory.applyAll(List.of(seen(emails.get(guest), update))));
    }

    private static GuestUpdate booking(String reservation, GuestUpdate.Stay.Status status, Instant departure, Instant eventAt) {
        return new GuestUpdate(List.of(), Optional.empty(), Optional.empty(),
                Optional.of(new GuestUpdate.Stay("booking-test", reservation, status, T0.plus(Duration.ofDays(1)), departure, LONDON, eventAt)));
    }

    /** The directory on the test database, its audit records dropped and its queue recording what it is given. */
    private ContainerGuestDirectory directory() {
        ContainerGuestDirectory d = new ContainerGuestDirectory();
        d.dataSource = db.dataSource();
        SecretBox master = SecretBox.withKey(randomKey());
        d.crypto = new GuestCrypto(master, db.vault(master));
        d.config = new MapConfig(Map.of());
        d.trail = event -> {
            audited.add(event);
            return new AuditTrail.AuditReceipt(Instant.now());
        };
        d.queue = (WorkQueue) Proxy.newProxyInstance(WorkQueue.class.getClassLoader(), new Class<?>[]{WorkQueue.class}, (proxy, method, args) -> {
            if (!method.getName().equals("publish")) {
                throw new UnsupportedOperationException(method.getName());
            }
            published.add((Message) args[0]);
            return null;
        });
        return d;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
