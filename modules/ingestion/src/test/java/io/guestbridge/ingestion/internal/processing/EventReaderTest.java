package io.guestbridge.ingestion.internal.processing;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.Observation;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventReaderTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static EventReader.Origin origin(String delivery) {
        return new EventReader.Origin("src-1", LONDON, "venue-888", delivery, 7, NOW, NOW);
    }

    /** Another of our sources: a second Purple webhook registered by the same operator. */
    private static EventReader.Origin otherSource() {
        return new EventReader.Origin("src-2", ZoneId.of("UTC"), null, null, 8, NOW.plusSeconds(10_800), NOW.plusSeconds(10_800));
    }

    private static JsonObject json(String text) throws GuestEvent.Unusable {
        return EventReader.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<GuestField, String> fields(GuestEvent event) {
        return event.observations().stream().collect(Collectors.toMap(Observation::field, Observation::value));
    }

    @Test
    void readsThePurplePayloadExactlyAsDocumentedStrayKeySpacesIncluded() throws Exception {
        byte[] documented;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/purple-webhook-as-documented.json")) {
            documented = in.readAllBytes();
        }
        GuestEvent event = EventReader.purple(EventReader.parseObject(documented), origin(null));
        assertEquals("webhook@test.com", event.email().value());
        assertEquals(Instant.parse("2018-01-18T13:27:08Z"), event.occurredAt());
        Map<GuestField, String> fields = fields(event);
        assertEquals("Webhook", fields.get(GuestField.FIRST_NAME));
        assertEquals("Test", fields.get(GuestField.LAST_NAME));
        assertEquals("1970-01-01", fields.get(GuestField.BIRTH_DATE), "\" dateOfBirth\" (with its stray space) is read");
        assertEquals("F", fields.get(GuestField.GENDER), "\" gender\" is read");
        assertEquals("purple:888", event.venue().orElseThrow().ref());
        assertEquals("Your venue name", event.venue().orElseThrow().name());
        GuestUpdate.Device device = event.device().orElseThrow();
        assertEquals("00-01-02-03-04-05", device.mac());
        assertTrue(device.userAgent().contains("Chrome/64"));
        assertEquals("terms", event.consents().get(0).purpose(), "a portal login accepts the portal's terms");
        assertEquals(1, event.consents().size(), "no marketing flag in the payload: no marketing decision invented");
    }

    @Test
    void purpleDuplicateKeyIsUserVenueAndAuthenticationTime() throws Exception {
        String base = "{\"user\":{\"id\":5,\"email\":\"a@example.com\"},\"venue\":{\"id\":9},\"session\":{\"authenticationTime\":\"2026-11-20T10:00:00+0000\"}}";
        GuestEvent one = EventReader.purple(json(base), origin(null));
        GuestEvent retry = EventReader.purple(json(base.replace("{\"user\"", "{\"extra\":1,\"user\"")), origin(null));
        GuestEvent later = EventReader.purple(json(base.replace("10:00:00", "10:00:01")), origin(null));
        GuestEvent elsewhere = EventReader.purple(json(base.replace("\"id\":9", "\"id\":10")), origin(null));
        assertEquals(one.dedupKey(), retry.dedupKey(), "a retry (even re-serialised) is the same event");
        assertNotEquals(one.dedupKey(), later.dedupKey());
        assertNotEquals(one.dedupKey(), elsewhere.dedupKey());

        GuestEvent throughAnotherSource = EventReader.purple(json(base), otherSource());
        assertEquals(one.dedupKey(), throughAnotherSource.dedupKey(), "one login delivered through two of our Purple sources is one event");
        assertNotEquals(one.dedupKey(), EventReader.purple(json(base.replace("10:00:00", "10:05:00")), otherSource()).dedupKey(),
                "another authentication through the other source is another login");
        assertNotEquals(one.dedupKey(), EventReader.purple(json(base.replace("a@example.com", "b@example.com")), otherSource()).dedupKey(),
                "a reused user id never makes two people's logins one");
        String anonymous = base.replace("\"id\":5,", "");
        assertEquals(EventReader.purple(json(anonymous), origin(null)).dedupKey(), EventReader.purple(json(anonymous), otherSource()).dedupKey(),
                "without a user id the email names the user");
    }

    @Test
    void purplePhonesArePassedOnAsGivenForTheVenuesCountryToReadThem() throws Exception {
        String base = "{\"user\":{\"email\":\"a@example.com\",%s},\"venue\":{\"id\":9},\"session\":{\"authenticationTime\":\"2026-11-20T10:00:00+0000\"}}";
        for (String field : new String[]{"\"phone\":\"07911 123456\"", "\"mobile\":\"07911 123456\"", "\"phone_number\":\"07911 123456\"",
                "\"Mobile Number\":\"07911 123456\"", "\"telephone\":\"07911 123456\""}) {
            GuestEvent event = EventReader.purple(json(String.format(base, field)), origin(null));
            assertEquals("07911 123456", fields(event).get(GuestField.PHONE), field + " is read, and not dropped for being national");
        }
        assertEquals("447911123456", fields(EventReader.purple(json(String.format(base, "\"phone\":447911123456")), origin(null)))
                .get(GuestField.PHONE), "a number sent as a JSON number");
        assertEquals("+447700900123", fields(EventReader.purple(json(String.format(base, "\"phone\":\"+447700900123\"")), origin(null)))
                .get(GuestField.PHONE), "a fictional number is passed on too");
    }

    @Test
    void readsTheGenericGuestEvent() throws Exception {
        GuestEvent event = EventReader.generic(json("{\"email\":\"Guest@Example.com\",\"full_name\":\"Jane Smith\",\"phone\":\"+44 7911 123456\","
                + "\"device_type\":\"iPhone\",\"os\":\"iOS 17\",\"connect_time\":\"2025-03-15T14:32:00Z\",\"dwell_time_minutes\":47,"
                + "\"visit_count\":3,\"venue_name\":\"The Grand Hotel - Manchester\",\"access_point_zone\":\"Lobby\",\"marketing_consent\":true,"
                + "\"consent_wording_id\":\"portal-marketing\",\"consent_wording_version\":\"4\"}"), origin("msg_1"));
        assertEquals("guest@example.com", event.email().value());
        Map<GuestField, String> fields = fields(event);
        assertEquals("Jane", fields.get(GuestField.FIRST_NAME));
        assertEquals("Smith", fields.get(GuestField.LAST_NAME));
        assertEquals("+44 7911 123456", fields.get(GuestField.PHONE), "as given: the identity module reads it in the venue's country");
        assertEquals("47", fields.get(GuestField.LAST_DWELL_MINUTES));
        assertEquals("Lobby", event.venue().orElseThrow().zone());
        assertEquals(47, event.venue().orElseThrow().dwellMinutes());
        GuestEvent.ConsentClaim claim = event.consents().get(0);
        assertEquals(ConsentDecision.GRANTED, claim.decision());
        assertEquals("portal-marketing", claim.wordingId());
        assertEquals("4", claim.wordingVersion());
        assertFalse(claim.preTicked());
    }

    @Test
    void signedEventsAreDeduplicatedByDeliveryId() throws Exception {
        String body = "{\"email\":\"a@example.com\",\"connect_time\":\"2026-11-20T10:00:00Z\"}";
        assertEquals(EventReader.generic(json(body), origin("msg_1")).dedupKey(), EventReader.generic(json(body), origin("msg_1")).dedupKey());
        assertNotEquals(EventReader.generic(json(body), origin("msg_1")).dedupKey(), EventReader.generic(json(body), origin("msg_2")).dedupKey());
    }

    @Test
    void unusableEventsSayWhyWithoutQuotingValues() {
        Map<String, String> bad = Map.of(
                "{\"email\":\"not-an-email\",\"connect_time\":\"2026-11-20T10:00:00Z\"}", "email",
                "{\"connect_time\":\"2026-11-20T10:00:00Z\"}", "no email",
                "{\"email\":\"a@example.com\",\"connect_time\":\"3026-11-20T10:00:00Z\"}", "future",
                "{\"email\":\"a@example.com\",\"connect_time\":\"1970-01-01T00:00:00Z\"}", "before 2000",
                "{\"email\":\"a@example.com\",\"connect_time\":\"yesterday\"}", "ISO-8601",
                "{\"email\":\"a@example.com\",\"connect_time\":\"2026-11-20T10:00:00Z\",\"dwell_time_minutes\":\"lots\"}", "whole number",
                "{\"email\":\"a@example.com\",\"connect_time\":\"2026-11-20T10:00:00Z\",\"marketing_consent\":\"maybe\"}", "true or false");
        bad.forEach((body, reason) -> {
            GuestEvent.Unusable e = assertThrows(GuestEvent.Unusable.class, () -> EventReader.generic(json(body), origin("m")), body);
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            assertFalse(e.getMessage().contains("not-an-email") || e.getMessage().contains("lots") || e.getMessage().contains("maybe"),
                    "reasons never quote values: " + e.getMessage());
        });
    }

    @Test
    void overlongValuesAreRefusedWithTheirLengthNeverCut() throws Exception {
        String longest = "x".repeat(EventReader.MAX_VALUE_LENGTH);
        String generic = "{\"email\":\"a@example.com\",\"connect_time\":\"2026-11-20T10:00:00Z\",\"first_name\":\"%s\"}";
        assertEquals(longest, EventReader.generic(json(generic.formatted(longest)), origin("m1")).observations().stream()
                .filter(o -> o.field() == GuestField.FIRST_NAME).findFirst().orElseThrow().value(), "a value at the limit is kept whole");

        GuestEvent.Unusable e = assertThrows(GuestEvent.Unusable.class,
                () -> EventReader.generic(json(generic.formatted(longest + "y")), origin("m2")));
        assertEquals("first_name is 501 characters long; the longest value accepted is 500", e.getMessage());

        String purple = "{\"user\":{\"email\":\"a@example.com\",\"lastName\":\"%s\"},\"session\":{\"authenticationTime\":\"2026-11-20T10:00:00Z\"}}";
        assertTrue(assertThrows(GuestEvent.Unusable.class, () -> EventReader.purple(json(purple.formatted("é".repeat(501))), origin("m3")))
                .getMessage().startsWith("last_name is 501"));

        String booking = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-10-01T08:00:00Z\",\"reservation\":{\"id\":\"%s\","
                + "\"arrival\":\"2026-10-24T15:00\",\"departure\":\"2026-10-26T11:00\"},"
                + "\"guest\":{\"id\":\"G-1\",\"email\":\"jane@example.com\"}}";
        String id = "R".repeat(EventReader.MAX_RESERVATION_ID_LENGTH);
        assertEquals(id, EventReader.booking(json(booking.formatted(id)), origin("b1")).stay().orElseThrow().stay().reservationRef(),
                "an id at the limit is kept whole");
        assertTrue(assertThrows(GuestEvent.Unusable.class, () -> EventReader.booking(json(booking.formatted(id + "1")), origin("b2")))
                .getMessage().contains("reservation.id is 101 characters long"), "a shortened id could be another reservation's");
    }

    @Test
    void stayTimesInTheVenueZoneAreStoredInUtcAcrossDaylightSavingChanges() throws Exception {
        // London leaves summer time on 2026-10-25 (02:00 BST -> 01:00 GMT): a stay across it
        String booking = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-10-01T08:00:00Z\",\"reservation\":{\"id\":\"R-1\","
                + "\"arrival\":\"2026-10-24T15:00\",\"departure\":\"2026-10-26T11:00\",\"timeZone\":\"Europe/London\"},"
                + "\"guest\":{\"id\":\"G-1\",\"email\":\"jane@example.com\"}}";
        GuestUpdate.Stay stay = EventReader.booking(json(booking), origin("b1")).stay().orElseThrow().stay();
        assertEquals(Instant.parse("2026-10-24T14:00:00Z"), stay.arrival(), "arrival in BST is UTC+1");
        assertEquals(Instant.parse("2026-10-26T11:00:00Z"), stay.departure(), "departure in GMT is UTC+0");
        assertEquals(Duration.ofHours(45), Duration.between(stay.arrival(), stay.departure()), "the stay is 45 hours, not 44");

        // New York springs forward on 2026-03-08 (02:00 -> 03:00): 02:30 does not exist and moves forward by the gap
        String spring = booking.replace("Europe/London", "America/New_York").replace("2026-10-24T15:00", "2026-03-08T02:30")
                .replace("2026-10-26T11:00", "2026-03-09T11:00").replace("2026-10-01", "2026-03-01");
        GuestUpdate.Stay ny = EventReader.booking(json(spring), origin("b2")).stay().orElseThrow().stay();
        assertEquals(Instant.parse("2026-03-08T07:30:00Z"), ny.arrival(), "02:30 skipped -> 03:30 EDT = 07:30 UTC");
        assertEquals(Instant.parse("2026-03-09T15:00:00Z"), ny.departure(), "11:00 EDT = 15:00 UTC");

        // an explicit offset (Mews sends UTC) is taken as it is
        String utc = booking.replace("2026-10-24T15:00", "2026-10-24T15:00:00Z");
        assertEquals(Instant.parse("2026-10-24T15:00:00Z"), EventReader.booking(json(utc), origin("b3")).stay().orElseThrow().stay().arrival());
    }

    @Test
    void bookingsWithoutGuestIdContactOrStayEndAreUnusable() {
        String ok = "{\"type\":\"guest.checked_in\",\"occurredAt\":\"2026-10-01T08:00:00Z\",\"reservation\":{\"id\":\"R-1\","
                + "\"departure\":\"2026-10-26T11:00\"},\"guest\":{\"id\":\"G-1\",\"email\":\"jane@example.com\"}}";
        assertTrue(assertDoesNotThrow(ok));
        assertEquals("guest.id (the guest identifier) is missing",
                assertThrows(GuestEvent.Unusable.class, () -> EventReader.booking(json(ok.replace("\"id\":\"G-1\",", "")), origin("x"))).getMessage());
        assertTrue(assertThrows(GuestEvent.Unusable.class, () -> EventReader.booking(json(ok.replace(",\"email\":\"jane@example.com\"", "")), origin("x")))
                .getMessage().contains("no contact"));
        assertTrue(assertThrows(GuestEvent.Unusable.class, () -> EventReader.booking(json(ok.replace("\"departure\":\"2026-10-26T11:00\"", "\"room\":\"1\"")), origin("x")))
                .getMessage().contains("departure"));
    }

    @Test
    void theReadmeBookingExampleKeepsItsPhone() throws Exception {
        String booking = "{\"type\": \"reservation.confirmed\", \"occurredAt\": \"2026-11-25T08:00:00Z\", \"reservation\": {\"id\": \"R-1042\", "
                + "\"status\": \"confirmed\", \"arrival\": \"2026-12-24T15:00\", \"departure\": \"2026-12-27T11:00\", \"timeZone\": \"Europe/London\", "
                + "\"room\": \"412\", \"adults\": 2}, \"guest\": {\"id\": \"G-77\", \"email\": \"jane@example.com\", \"phone\": \"+447700900123\", "
                + "\"firstName\": \"Jane\", \"lastName\": \"Smith\"}}";
        GuestEvent event = EventReader.booking(json(booking), origin("b-readme"));
        assertEquals("+447700900123", fields(event).get(GuestField.PHONE), "a fictional number is not dropped on the way in");
        assertEquals(ZoneId.of("Europe/London"), event.stay().orElseThrow().stay().zone(), "the zone the phone's country is taken from");
    }

    private static boolean assertDoesNotThrow(String booking) {
        try {
            return EventReader.booking(json(booking), origin("x")).stay().orElseThrow().stay().status() == GuestUpdate.Stay.Status.CHECKED_IN;
        } catch (GuestEvent.Unusable e) {
            throw new AssertionError(e.getMessage());
        }
    }
}
