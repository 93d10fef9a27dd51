package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.Country;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.PhoneNumber;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.identity.api.Venues;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Phone numbers as sources report them: normalised when they can be, kept and flagged when not, never lost. */
class PhoneNumberTest {

    private static final Country GB = Country.of("GB");
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void aValidNumberBecomesE164WhateverItsSpacing() {
        assertVerified("+447911123456", PhoneNumber.read("+44 7911 123456", null));
        assertVerified("+447911123456", PhoneNumber.read("  +44  7911\t123456 ", GB));
        assertVerified("+33612345678", PhoneNumber.read("+33 6 12 34 56 78", GB), "an international number ignores the venue's country");
        assertVerified("+442071234567;ext=12", PhoneNumber.read("+44 20 7123 4567 ext. 12", null), "the extension is kept");
    }

    @Test
    void aNationalNumberIsReadInTheCountryWhereItWasCollected() {
        assertVerified("+447911123456", PhoneNumber.read("07911 123456", GB));
        assertVerified("+33612345678", PhoneNumber.read("06 12 34 56 78", Country.of("fr")));
        assertVerified("+447911123456", PhoneNumber.read("0044 7911 123456", GB), "the country's international prefix");
    }

    @Test
    void aNationalNumberFromNowhereKnownIsKeptAsGivenAndSaysWhatToSet() {
        PhoneNumber.Reading reading = PhoneNumber.read("07911  123456", null);
        assertEquals("07911 123456", reading.value(), "kept as given, white space tidied");
        assertFalse(reading.verified());
        assertTrue(reading.unverifiedReason().contains("no country is known"), reading.unverifiedReason());
        assertTrue(reading.unverifiedReason().contains("venue's country"), "the reason says what to configure");
    }

    @Test
    void fictionalRangesAreKeptInE164AndFlagged() {
        // the README's booking example and the seed's portal event: Ofcom's mobile drama range, which libphonenumber calls invalid
        for (String drama : List.of("+447700900123", "+44 7700 900000")) {
            PhoneNumber.Reading reading = PhoneNumber.read(drama, null);
            assertEquals(drama.replace(" ", ""), reading.value());
            assertTrue(reading.unverifiedReason().contains("drama"), reading.unverifiedReason());
        }
        PhoneNumber.Reading national = PhoneNumber.read("07700 900999", GB);
        assertEquals("+447700900999", national.value(), "unambiguous once the country is known: E.164");
        assertFalse(national.verified());
        // ranges libphonenumber accepts as valid are still nobody's
        for (String drama : List.of("020 7946 0123", "0113 496 0000", "028 9649 6999", "01632 960123", "0808 157 0001", "03069 990500")) {
            assertFalse(PhoneNumber.read(drama, GB).verified(), drama);
        }
        PhoneNumber.Reading fiction = PhoneNumber.read("+1 (212) 555-0142", null);
        assertEquals("+12125550142", fiction.value());
        assertTrue(fiction.unverifiedReason().contains("555-01xx"));
        assertTrue(PhoneNumber.read("+1 212 555 0200", null).verified(), "555-0200 is outside the fictional block");
        assertTrue(PhoneNumber.read("07700 901000", GB).value().startsWith("07700"), "one past the drama block is an ordinary invalid number");
    }

    @Test
    void whatIsNoNumberIsKeptAsGivenWithAReasonThatNeverQuotesIt() {
        for (String bad : List.of("n/a", "12", "+99 123456", "06 12 34 56 78", "+44 12")) {
            PhoneNumber.Reading reading = PhoneNumber.read(bad, GB);
            assertEquals(bad, reading.value(), "kept as given");
            assertFalse(reading.verified(), bad);
            assertFalse(reading.unverifiedReason().contains(bad), "the reason does not quote the value: " + reading.unverifiedReason());
        }
        assertTrue(PhoneNumber.read("06 12 34 56 78", GB).unverifiedReason().contains("in GB"), "says in which country it was read");
        assertFalse(PhoneNumber.read("+44 7911 123456", null).toString().contains("7911"), "no number in toString");
    }

    @Test
    void aCorrectionTypedByAPersonMustBeARealNumber() {
        assertEquals("+447911123456", PhoneNumber.parse("07911 123456", "GB").e164());
        IllegalArgumentException drama = assertThrows(IllegalArgumentException.class, () -> PhoneNumber.parse("+44 7700 900123", null));
        assertTrue(drama.getMessage().contains("drama"));
        assertFalse(drama.getMessage().contains("7700"), "the refusal does not repeat the number");
        assertThrows(IllegalArgumentException.class, () -> PhoneNumber.parse("07911 123456", null));
    }

    @Test
    void aTimeZoneNamesItsCountryWhenItHasOne() {
        assertEquals(Optional.of(GB), Country.ofZone(ZoneId.of("Europe/London")));
        assertEquals(Optional.of(Country.of("JE")), Country.ofZone(ZoneId.of("Europe/Jersey")));
        assertEquals(Optional.of(Country.of("US")), Country.ofZone(ZoneId.of("America/New_York")));
        assertEquals(Optional.empty(), Country.ofZone(ZoneId.of("UTC")));
        assertEquals(Optional.empty(), Country.ofZone(ZoneId.of("Etc/GMT+1")));
        assertThrows(IllegalArgumentException.class, () -> Country.of("UK"), "UK is not an ISO 3166-1 code; GB is");
        assertThrows(IllegalArgumentException.class, () -> Country.of("GBR"));
    }

    @Test
    void anUpdateReadsPhonesInTheVenuesCountryElseItsZonesElseTheStaysZones() {
        Venues.Venue london = new Venues.Venue("v1", "purple:1", "Grand", ZoneId.of("Europe/London"), null, null, null, null);
        Venues.Venue parisConfigured = new Venues.Venue("v2", "purple:2", "Petit", ZoneId.of("UTC"), null, null, "FR", null);
        Venues.Venue utc = new Venues.Venue("v3", "purple:3", "Nowhere", ZoneId.of("UTC"), null, null, null, null);
        assertEquals(Optional.of(GB), visitAt(london).country());
        assertEquals(Optional.of(Country.of("FR")), visitAt(parisConfigured).country(), "the operator's country beats the zone");
        assertEquals(Optional.empty(), visitAt(utc).country());
        GuestUpdate booking = new GuestUpdate(List.of(), Optional.empty(), Optional.empty(), Optional.of(new GuestUpdate.Stay("src", "R-1",
                GuestUpdate.Stay.Status.CONFIRMED, null, T0.plusSeconds(86_400), ZoneId.of("Europe/London"), T0)));
        assertEquals(Optional.of(GB), booking.country());

        Observation phone = new Observation(GuestField.PHONE, "07911 123456", SourceSystem.WIFI, T0);
        Observation read = phone.readIn(visitAt(london).country());
        assertEquals("+447911123456", read.value());
        assertTrue(read.verified());
        Observation unread = phone.readIn(visitAt(utc).country());
        assertEquals("07911 123456", unread.value());
        assertFalse(unread.verified());
        Observation name = new Observation(GuestField.FIRST_NAME, "07911 123456", SourceSystem.WIFI, T0);
        assertSame(name, name.readIn(Optional.of(GB)), "only phones are read as phones");
    }

    private static GuestUpdate visitAt(Venues.Venue venue) {
        return new GuestUpdate(List.of(), Optional.of(new GuestUpdate.Visit(venue, T0, null, null)), Optional.empty(), Optional.empty());
    }

    private static void assertVerified(String expected, PhoneNumber.Reading reading) {
        assertVerified(expected, reading, "");
    }

    private static void assertVerified(String expected, PhoneNumber.Reading reading, String why) {
        assertEquals(expected, reading.value(), why);
        assertNull(reading.unverifiedReason(), why);
        assertTrue(reading.verified(), why);
    }
}
