package io.guestbridge.consent.internal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import io.guestbridge.audit.api.Actor;
import io.guestbridge.consent.api.Wordings;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import java.util.List;

/**
 * The consent wordings: the DPO publishes each text a portal, booking engine or form shows; sources
 * name the wording (id and version) with every decision, and a grant against an unpublished wording
 * is held in quarantine until it is published.
 */
@Path("consent/wordings")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Consent wordings", description = "The exact texts guests are shown, immutable per version.")
public class WordingResource {

    private static final String WORDING = "{\"id\":\"portal-marketing\",\"version\":\"4\",\"purpose\":\"marketing_email\",\"language\":\"en\","
            + "\"text\":\"Yes, send me offers and news from The Grand Hotel by email. You can unsubscribe at any time.\","
            + "\"contentHash\":\"3f7a…\",\"publishedAt\":\"2026-11-01T09:00:00Z\"}";

    @Inject
    Wordings wordings;

    @Context
    SecurityContext security;

    /** A wording to publish. */
    public record Publication(@Schema(example = "portal-marketing", required = true) String id,
                              @Schema(example = "4", required = true) String version,
                              @Schema(example = "marketing_email", required = true) String purpose,
                              @Schema(description = "BCP 47 language tag", example = "en", required = true) String language,
                              @Schema(example = "Yes, send me offers and news by email. You can unsubscribe at any time.", required = true)
                              String text) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.DPO)
    @SecurityRequirement(name = "jwt", scopes = Roles.DPO)
    @Operation(operationId = "publishWording", summary = "Publish a consent wording (immutable once published)",
            description = "Publishing the same text again is harmless (200). A different text, purpose or language under a published "
                    + "id and version is refused with 409: publish it as a new version. Audited (WORDING_PUBLISHED, with the hash).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Publication.class),
            examples = @ExampleObject(name = "marketing", value = "{\"id\":\"portal-marketing\",\"version\":\"4\",\"purpose\":\"marketing_email\","
                    + "\"language\":\"en\",\"text\":\"Yes, send me offers and news from The Grand Hotel by email. You can unsubscribe at any time.\"}")))
    @APIResponse(responseCode = "201", description = "Published",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Wordings.Wording.class), examples = @ExampleObject(name = "wording", value = WORDING)))
    @APIResponse(responseCode = "200", description = "Already published with this text",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Wordings.Wording.class),
                    examples = @ExampleObject(name = "wording", value = WORDING)))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public Response publish(Publication body) {
        Wordings.Wording draft = body == null ? null
                : new Wordings.Wording(body.id(), body.version(), body.purpose(), body.language(), body.text(), null, null);
        boolean existed = draft != null && wordings.find(draft.id(), draft.version()).isPresent();
        try {
            Wordings.Wording published = wordings.publish(draft, Actor.of(security.getUserPrincipal()));
            return Response.status(existed ? 200 : 201).entity(published).build();
        } catch (Wordings.Immutable e) {
            throw ProblemException.conflict(e.getMessage() + ".");
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage() + ".");
        }
    }

    @GET
    @RolesAllowed({Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR, Roles.INTEGRATION})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR, Roles.INTEGRATION})
    @Operation(operationId = "listWordings", summary = "All published wordings")
    @APIResponse(responseCode = "200", description = "The wordings",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Wordings.Wording[].class),
                    examples = @ExampleObject(name = "wordings", value = "[" + WORDING + "]")))
    public List<Wordings.Wording> list() {
        return wordings.all();
    }

    @GET
    @Path("{id}/{version}")
    @RolesAllowed({Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR, Roles.INTEGRATION})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.COMPLIANCE_OFFICER, Roles.OPERATOR, Roles.INTEGRATION})
    @Operation(operationId = "getWording", summary = "One wording, by id and version")
    @APIResponse(responseCode = "200", description = "The wording",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Wordings.Wording.class), examples = @ExampleObject(name = "wording", value = WORDING)))
    public Wordings.Wording get(@Parameter(description = "Wording id", required = true) @PathParam("id") String id,
                                @Parameter(description = "Version", required = true) @PathParam("version") String version) {
        return wordings.find(id, version).orElseThrow(() -> ProblemException.notFound("No wording " + id + " version " + version + " is published."));
    }
}
