package io.guestbridge.identity.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The venue registry: where guests are seen, in which time zone (a visit is a calendar day there), and
 * which wordings the venue's captive portal shows (so a WiFi sign-up is recorded with the exact text).
 */
public interface Venues {

    /**
     * The venue a source calls {@code ref} (e.g. {@code purple:888}), registered with the given name and
     * zone the first time it is seen. Joins the caller's transaction, or runs in its own.
     */
    Venue ensure(String ref, String name, ZoneId zone);

    Optional<Venue> find(String id);

    List<Venue> all();

    /** Changes the name, zone or portal wordings of a venue (operator). */
    Venue update(String id, VenueChange change, String actor);

    /** A venue as stored. */
    @Schema(requiredProperties = {"id", "ref", "name", "zone"})
    record Venue(String id, String ref, String name, ZoneId zone, Wording terms, Wording marketing) {
    }

    /** A wording of the consent registry, by id and version. */
    @Schema(name = "WordingRef", requiredProperties = {"id", "version"})
    record Wording(String id, String version) {
    }

    /** Null parts stay as they are. */
    record VenueChange(String name, ZoneId zone, Wording terms, Wording marketing) {
    }
}
