package io.guestbridge.identity.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The venue registry: where guests are seen, in which time zone (a visit is a calendar day there), in
 * which country (national phone numbers collected there are read in it), and which wordings the venue's
 * captive portal shows (so a WiFi sign-up is recorded with the exact text).
 */
public interface Venues {

    /**
     * The venue a source calls {@code ref} (e.g. {@code purple:888}), registered with the given name and
     * zone the first time it is seen. Joins the caller's transaction, or runs in its own.
     */
    Venue ensure(String ref, String name, ZoneId zone);

    Optional<Venue> find(String id);

    List<Venue> all();

    /** Changes the name, zone, country, portal wordings or branding of a venue (operator). */
    Venue update(String id, VenueChange change, String actor);

    /**
     * A venue as stored.
     *
     * @param country the ISO 3166-1 alpha-2 country an operator configured, or null: then the country of
     *                the time zone applies (see {@link #phoneCountry()})
     * @param branding how the venue's pages for guests look; null: the neutral default
     */
    @Schema(requiredProperties = {"id", "ref", "name", "zone"})
    record Venue(String id, String ref, String name, ZoneId zone, Wording terms, Wording marketing, String country, Branding branding) {

        /** The country national phone numbers collected here are read in: the configured one, else the zone's. */
        public Optional<Country> phoneCountry() {
            return country != null ? Optional.of(Country.of(country)) : Country.ofZone(zone);
        }
    }

    /** A wording of the consent registry, by id and version. */
    @Schema(name = "WordingRef", requiredProperties = {"id", "version"})
    record Wording(String id, String version) {
    }

    /**
     * Null parts stay as they are; {@code country} is null to keep it, empty to go back to the time zone's
     * country, or the country to set; {@code branding} replaces the whole branding when given.
     */
    record VenueChange(String name, ZoneId zone, Wording terms, Wording marketing, Optional<Country> country, Branding branding) {
    }
}
