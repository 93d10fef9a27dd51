package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.crmsync.api.Sponsors;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import static io.guestbridge.platform.api.Jsonp.JSON;

/**
 * The DPO's sponsor registry and each sponsor's export. Registration and every change to an agreement are audited; an
 * export shares the agreement's fields of the guests who consented to the sponsor, only while the agreement is in force.
 */
@Path("sponsors")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sponsors", description = "Sponsors under data sharing agreements, and the export each receives under its guests' consent.")
public class SponsorResource {

    private static final String SPONSOR = "{\"id\":\"acme-drinks\",\"name\":\"Acme Drinks Ltd\",\"agreementRef\":\"DSA-2026-014\","
            + "\"purpose\":\"Offers from Acme Drinks to guests who asked for them\",\"sharedFields\":[\"EMAIL\",\"FIRST_NAME\"],"
            + "\"startsAt\":\"2026-12-01T00:00:00Z\",\"endsAt\":\"2027-12-01T00:00:00Z\",\"status\":\"IN_FORCE\",\"consentPurpose\":\"sponsor:acme-drinks\"}";

    @Inject
    SponsorRegistry registry;

    @Inject
    SponsorExports exports;

    @Context
    SecurityContext security;

    /** A sponsor to register: its agreement as signed. */
    @Schema(name = "SponsorRegistration", requiredProperties = {"id", "name", "agreementRef", "purpose", "sharedFields", "startsAt"})
    public record Registration(@Schema(description = "The sponsor's id: the consent purpose is sponsor:<id>", example = "acme-drinks", required = true) String id,
                               @Schema(example = "Acme Drinks Ltd", required = true) String name,
                               @Schema(description = "The data sharing agreement's reference", example = "DSA-2026-014", required = true) String agreementRef,
                               @Schema(description = "What the sponsor may use the data for", example = "Offers from Acme Drinks to guests who asked for them",
                                       required = true) String purpose,
                               List<String> sharedFields,
                               @Schema(description = "ISO-8601 with an offset", example = "2026-12-01T00:00:00+01:00", required = true) String startsAt,
                               @Schema(description = "ISO-8601 with an offset; absent for an open-ended agreement", example = "2027-12-01T00:00:00+01:00")
                               String endsAt,
                               @Schema(description = "The sponsor's privacy contact, told (with the request's reference only) when a guest it received "
                                       + "is erased (GDPR Art. 19)", example = "privacy@acme-drinks.example") String contactEmail) {
    }

    /** A new end for an agreement. */
    @Schema(name = "SponsorAgreementEnd")
    public record EndChange(@Schema(description = "ISO-8601 with an offset; null for open-ended", example = "2027-06-30T23:59:59+01:00") String endsAt) {
    }

    /** A sponsor's privacy contact, or none. */
    @Schema(name = "SponsorContact")
    public record ContactChange(@Schema(description = "The sponsor's privacy contact; null to remove it", example = "privacy@acme-drinks.example")
                                String contactEmail) {
    }

    /** A sponsor and where its agreement stands now. */
    @Schema(name = "Sponsor", requiredProperties = {"id", "name", "agreementRef", "purpose", "sharedFields", "startsAt", "status", "consentPurpose"})
    public record SponsorView(String id, String name, String agreementRef, String purpose, List<String> sharedFields, Instant startsAt, Instant endsAt,
                              @Schema(enumeration = {"NOT_STARTED", "IN_FORCE", "ENDED"}) String status, String consentPurpose,
                              @Schema(description = "Told when a guest it received is erased; absent when none is registered") String contactEmail) {

        static SponsorView of(Sponsor sponsor) {
            Instant now = Instant.now();
            Sponsors.Recipient r = sponsor.view(now);
            return new SponsorView(r.id(), r.name(), r.agreementRef(), r.purpose(), r.sharedFields(), r.startsAt(), r.endsAt(),
                    sponsor.statusAt(now).name(), r.consentPurpose(), r.contactEmail());
        }
    }

    /** What a sponsor receives. */
    @Schema(name = "SponsorExport", requiredProperties = {"sponsor", "agreementRef", "exportedAt", "fields", "guests", "started", "stopped"})
    public record ExportView(String sponsor, String agreementRef, Instant exportedAt, List<String> fields,
                             @Schema(description = "One object per guest: each shared field, null where the guest has no value") List<Map<String, String>> guests,
                             @Schema(description = "Guests shared for the first time (or again)") int started,
                             @Schema(description = "Guests shared before and left out now: their sponsor consent is no longer in force") int stopped) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "registerSponsor", summary = "Register a sponsor and its data sharing agreement",
            description = "The fields are checked against the vocabulary the CRM mappings use; the end must be after the start; an id or "
                    + "agreement reference already registered is refused with 409. Audited (SPONSOR_REGISTERED).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Registration.class),
            examples = @ExampleObject(name = "sponsor", value = "{\"id\":\"acme-drinks\",\"name\":\"Acme Drinks Ltd\",\"agreementRef\":\"DSA-2026-014\","
                    + "\"purpose\":\"Offers from Acme Drinks to guests who asked for them\",\"sharedFields\":[\"EMAIL\",\"FIRST_NAME\"],"
                    + "\"startsAt\":\"2026-12-01T00:00:00+01:00\",\"endsAt\":\"2027-12-01T00:00:00+01:00\"}")))
    @APIResponse(responseCode = "201", description = "Registered", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "Sponsor"), examples = @ExampleObject(name = "sponsor", value = SPONSOR)))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public Response register(Registration body) {
        if (body == null) {
            throw ProblemException.invalid("Send id, name, agreementRef, purpose, sharedFields, startsAt and (unless open-ended) endsAt.");
        }
        Sponsor sponsor = registry.register(new Sponsor.Terms(body.id(), body.name(), body.agreementRef(), body.purpose(), body.sharedFields(),
                instant("startsAt", body.startsAt()), instant("endsAt", body.endsAt()), body.contactEmail()), Actor.of(security.getUserPrincipal()));
        return Response.created(URI.create("sponsors/" + sponsor.id())).entity(SponsorView.of(sponsor)).build();
    }

    @GET
    @RolesAllowed({Roles.DPO, Roles.COMPLIANCE_OFFICER})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.COMPLIANCE_OFFICER})
    @Operation(operationId = "listSponsors", summary = "Every sponsor, with where its agreement stands now")
    @APIResponse(responseCode = "200", description = "The sponsors, by name", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SponsorView[].class), examples = @ExampleObject(name = "sponsors", value = "[" + SPONSOR + "]")))
    public List<SponsorView> list() {
        return registry.all().stream().map(SponsorView::of).toList();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.DPO, Roles.COMPLIANCE_OFFICER})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.COMPLIANCE_OFFICER})
    @Operation(operationId = "getSponsor", summary = "One sponsor")
    @APIResponse(responseCode = "200", description = "The sponsor", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SponsorView.class), examples = @ExampleObject(name = "sponsor", value = SPONSOR)))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public SponsorView get(@Parameter(description = "Sponsor id", required = true) @PathParam("id") String id) {
        return registry.find(id).map(SponsorView::of)
                .orElseThrow(() -> ProblemException.notFound("No sponsor " + id + " is registered (GET /api/v1/sponsors lists them)."));
    }

    @PUT
    @Path("{id}/agreement-end")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "changeSponsorAgreementEnd", summary = "Move the end of a sponsor's agreement (renewal, shortening, open-ended)",
            description = "An end in the past stops sharing at once (every guest the sponsor received is recorded as no longer shared); an end "
                    + "moved past an earlier expiry lets the next export share again. Audited (SPONSOR_AGREEMENT_END_CHANGED).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EndChange.class),
            examples = @ExampleObject(name = "renewal", value = "{\"endsAt\":\"2028-12-01T00:00:00+01:00\"}")))
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SponsorView.class), examples = @ExampleObject(name = "sponsor", value = SPONSOR)))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public SponsorView changeEnd(@Parameter(description = "Sponsor id", required = true) @PathParam("id") String id, EndChange body) {
        if (body == null) {
            throw ProblemException.invalid("Send {\"endsAt\": \"<ISO-8601 with an offset>\"}, or {\"endsAt\": null} for an open-ended agreement.");
        }
        return SponsorView.of(registry.changeEnd(id, instant("endsAt", body.endsAt()), Actor.of(security.getUserPrincipal())));
    }

    @PUT
    @Path("{id}/contact")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "changeSponsorContact", summary = "Set or remove a sponsor's privacy contact",
            description = "The address told, with the request's reference only, when a guest the sponsor received is erased (GDPR Art. 19); "
                    + "a sponsor without one is not told, and the request's history says so. Audited (SPONSOR_CONTACT_CHANGED, without the "
                    + "address).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactChange.class),
            examples = @ExampleObject(name = "contact", value = "{\"contactEmail\":\"privacy@acme-drinks.example\"}")))
    @APIResponse(responseCode = "200", description = "Changed", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SponsorView.class), examples = @ExampleObject(name = "sponsor", value = SPONSOR)))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public SponsorView changeContact(@Parameter(description = "Sponsor id", required = true) @PathParam("id") String id, ContactChange body) {
        if (body == null) {
            throw ProblemException.invalid("Send {\"contactEmail\": \"privacy@…\"}, or {\"contactEmail\": null} to remove it.");
        }
        return SponsorView.of(registry.changeContact(id, body.contactEmail(), Actor.of(security.getUserPrincipal())));
    }

    @POST
    @Path("{id}/end")
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "endSponsorAgreement", summary = "End a sponsor's agreement now",
            description = "Nothing is shared from this moment; every guest the sponsor received is recorded as no longer shared. An agreement "
                    + "that already ended is refused with 409. Audited (SPONSOR_AGREEMENT_ENDED).")
    @APIResponse(responseCode = "200", description = "Ended", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SponsorView.class), examples = @ExampleObject(name = "sponsor", value = SPONSOR)))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public SponsorView end(@Parameter(description = "Sponsor id", required = true) @PathParam("id") String id) {
        return SponsorView.of(registry.endNow(id, Actor.of(security.getUserPrincipal())));
    }

    @POST
    @Path("{id}/exports")
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "exportSponsorData", summary = "Export what a sponsor receives: its agreement's fields of the guests who consented to it",
            description = "Exactly the guests whose sponsor:<id> consent in force is a grant, only while the agreement is in force; a guest "
                    + "who withdrew since the last export is left out and recorded as no longer shared. Outside the agreement: 409 and nothing "
                    + "is shared. Audited (SPONSOR_EXPORTED with counts and a digest of the guest ids; SPONSOR_SHARING_STARTED and "
                    + "SPONSOR_SHARING_STOPPED per guest; SPONSOR_EXPORT_REFUSED).")
    @APIResponse(responseCode = "200", description = "The export", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ExportView.class), examples = @ExampleObject(name = "export", value = "{\"sponsor\":\"acme-drinks\","
            + "\"agreementRef\":\"DSA-2026-014\",\"exportedAt\":\"2026-12-02T09:00:00Z\",\"fields\":[\"EMAIL\",\"FIRST_NAME\"],"
            + "\"guests\":[{\"EMAIL\":\"ada@example.com\",\"FIRST_NAME\":\"Ada\"}],\"started\":1,\"stopped\":0}")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public JsonObject export(@Parameter(description = "Sponsor id", required = true) @PathParam("id") String id) {
        SponsorExports.Export export = exports.export(id, Actor.of(security.getUserPrincipal()));
        JsonArrayBuilder rows = JSON.createArrayBuilder();
        for (Map<String, String> row : export.guests()) {
            JsonObjectBuilder o = JSON.createObjectBuilder();
            row.forEach((field, value) -> {
                if (value == null) {
                    o.addNull(field);
                } else {
                    o.add(field, value);
                }
            });
            rows.add(o);
        }
        JsonArrayBuilder fields = JSON.createArrayBuilder();
        export.fields().forEach(fields::add);
        return JSON.createObjectBuilder().add("sponsor", export.sponsor()).add("agreementRef", export.agreementRef())
                .add("exportedAt", export.exportedAt().toString()).add("fields", fields).add("guests", rows)
                .add("started", export.started()).add("stopped", export.stopped()).build();
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name + " must be ISO-8601 with an offset, e.g. 2026-12-01T00:00:00+01:00 or 2026-12-01T00:00:00Z "
                    + "(an agreement takes effect at a moment, not on a date whose zone is unknown).");
        }
    }
}
