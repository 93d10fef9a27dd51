package io.guestbridge.privacycenter.internal;

import io.guestbridge.identity.api.Venues;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A venue's pages show their dates in the venue's time zone: a due date is the day it falls on where the guest stayed. */
class VenueTimeZoneTest {

    private static final String AUCKLAND = "5b0c2f7e-1d0a-4c5e-9a51-0e6f3f1a2b3c";

    private static final Venues VENUES = new Venues() {
        @Override
        public Venue ensure(String ref, String name, ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Venue> find(String id) {
            return id.equals(AUCKLAND) ? Optional.of(new Venue(AUCKLAND, "purple:1", "Harbour Hotel", ZoneId.of("Pacific/Auckland"), null, null, null, null))
                    : Optional.empty();
        }

        @Override
        public List<Venue> all() {
            return List.of();
        }

        @Override
        public Venue update(String id, VenueChange change, String actor) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void aVenuesBrandCarriesItsZoneAndTheNeutralCenterNone() {
        assertEquals(ZoneId.of("Pacific/Auckland"), Brands.of(AUCKLAND, VENUES).zone());
        assertNull(Brands.of("0d0c2f7e-1d0a-4c5e-9a51-0e6f3f1a2b3c", VENUES).zone(), "an unknown venue is the neutral center");
    }

    @Test
    void aDueDateIsTheDayItFallsOnInTheVenuesZone() {
        Instant due = Instant.parse("2027-01-01T20:00:00Z");
        assertEquals("2 January 2027", PrivacyCenterServlet.day(due, Locale.ENGLISH, Brands.of(AUCKLAND, VENUES).zone()), "already the 2nd in Auckland");
        assertEquals("1er janvier 2027", PrivacyCenterServlet.day(due, Locale.FRENCH, ZoneId.of("UTC")));
    }
}
