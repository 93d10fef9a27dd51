package io.guestbridge.identity.internal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import io.guestbridge.audit.api.Actor;
import io.guestbridge.identity.api.Branding;
import io.guestbridge.identity.api.Country;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The venue registry for operators: venues appear when a source first reports one; here their time
 * zone (which decides what "one visit per day" means) and the wordings their captive portal shows are
 * set, so WiFi sign-ups are recorded against the exact text.
 */
@Path("venues")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Venues", description = "Venue registry: time zones and the consent wordings of each captive portal.")
public class VenueResource {

    private static final String VENUE = "{\"id\":\"5b0c2f7e-1d0a-4c5e-9a51-0e6f3f1a2b3c\",\"ref\":\"purple:888\",\"name\":\"The Grand Hotel - Manchester\","
            + "\"zone\":\"Europe/London\",\"terms\":{\"id\":\"portal-terms\",\"version\":\"2\"},\"marketing\":{\"id\":\"portal-marketing\",\"version\":\"4\"}}";

    @Inject
    Venues venues;

    @Context
    SecurityContext security;

    /** A change to a venue; absent fields stay as they are. */
    public record VenuePatch(@Schema(example = "The Grand Hotel - Manchester") String name,
                             @Schema(description = "IANA time zone", example = "Europe/London") String timeZone,
                             @Schema(description = "Wording of the portal's terms (consent registry id and version)") Venues.Wording terms,
                             @Schema(description = "Wording of the portal's marketing checkbox") Venues.Wording marketing,
                             @Schema(description = "ISO 3166-1 alpha-2 country in which national phone numbers collected here are read; "
                                     + "empty to use the time zone's country again", example = "GB") String country,
                             @Schema(description = "How the venue's pages for guests look (replaces the whole branding; {} for the neutral default)")
                             Branding branding) {
    }

    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.INTEGRATION})
    @SecurityRequirement(name = "jwt", scopes = {Roles.OPERATOR, Roles.INTEGRATION})
    @Operation(operationId = "listVenues", summary = "All venues with their time zones and portal wordings")
    @APIResponse(responseCode = "200", description = "The venues",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Venues.Venue[].class),
                    examples = @ExampleObject(name = "venues", value = "[" + VENUE + "]")))
    public List<Venues.Venue> list() {
        return venues.all();
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "updateVenue", summary = "Set a venue's name, time zone, portal wordings or branding",
            description = "A changed time zone applies to visits recorded from now on. Audited (VENUE_CHANGED).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VenuePatch.class),
            examples = @ExampleObject(name = "wordings", value = "{\"timeZone\":\"Europe/London\",\"terms\":{\"id\":\"portal-terms\",\"version\":\"2\"},"
                    + "\"marketing\":{\"id\":\"portal-marketing\",\"version\":\"4\"}}")))
    @APIResponse(responseCode = "200", description = "The venue after the change",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Venues.Venue.class),
                    examples = @ExampleObject(name = "venue", value = VENUE)))
    public Venues.Venue update(@Parameter(description = "Venue id", required = true) @PathParam("id") String id, VenuePatch patch) {
        if (patch == null) {
            throw ProblemException.invalid("Send the fields to change, e.g. {\"timeZone\":\"Europe/London\"}.");
        }
        ZoneId zone = null;
        if (patch.timeZone() != null) {
            try {
                zone = ZoneId.of(patch.timeZone().trim());
            } catch (DateTimeException e) {
                throw ProblemException.invalid("timeZone must be an IANA time zone such as Europe/London");
            }
        }
        if (patch.name() != null && (patch.name().isBlank() || patch.name().length() > 200)) {
            throw ProblemException.invalid("name must be 1–200 characters");
        }
        if (patch.branding() != null && patch.branding().problem() != null) {
            throw ProblemException.invalid(patch.branding().problem());
        }
        return venues.update(id, new Venues.VenueChange(patch.name(), zone, wording("terms", patch.terms()),
                wording("marketing", patch.marketing()), country(patch.country()), patch.branding()), Actor.of(security.getUserPrincipal()));
    }

    private static Optional<Country> country(String code) {
        if (code == null) {
            return null; // unchanged
        }
        if (code.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Country.of(code));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("country must be an ISO 3166-1 alpha-2 code such as GB, or empty for the time zone's country");
        }
    }

    private static Venues.Wording wording(String what, Venues.Wording wording) {
        if (wording == null) {
            return null;
        }
        if (wording.id() == null || wording.version() == null || !wording.id().matches("[A-Za-z0-9._:-]{1,64}")
                || !wording.version().matches("[A-Za-z0-9._-]{1,16}")) {
            throw ProblemException.invalid(what + " needs id (1–64 of A-Z a-z 0-9 . _ : -) and version (1–16 characters)");
        }
        return wording;
    }
}
