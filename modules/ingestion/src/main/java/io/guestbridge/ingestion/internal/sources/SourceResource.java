package io.guestbridge.ingestion.internal.sources;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
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
import java.util.List;

/** Registers the senders of guest data and hands out their webhook URLs. */
@Path("sources")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sources", description = "Senders of guest data (WiFi platforms, booking systems) and their webhook keys.")
public class SourceResource {

    @Inject
    Sources sources;

    @Context
    SecurityContext security;

    /** What registering a source takes. */
    public record NewSource(
            @Schema(description = "PURPLE, BOOKING or GENERIC", example = "PURPLE", required = true) String kind,
            @Schema(description = "A name for people, e.g. the venue", example = "Grand Hotel Manchester - guest WiFi", required = true) String name,
            @Schema(description = "Your id of the venue or company (no personal data)", example = "venue-888") @JsonbProperty("venueRef") String venueRef,
            @Schema(description = "IANA time zone of the venue; visits and stays are counted in it", example = "Europe/London", required = true) String timeZone) {
    }

    /** A source as listed: never its key. */
    @Schema(name = "Source", requiredProperties = {"id", "kind", "name", "timeZone", "active", "createdAt"})
    public record SourceView(String id, @Schema(enumeration = {"PURPLE", "BOOKING", "GENERIC"}) String kind, String name, String venueRef, String timeZone, boolean active,
                             Instant createdAt, Instant revokedAt) {
        static SourceView of(Source s) {
            return new SourceView(s.id(), s.kind().name(), s.name(), s.venueRef(), s.zone().getId(), s.active(), s.createdAt(), s.revokedAt());
        }
    }

    /** A source just registered, with its key, webhook path and (for signing senders) secret: shown this once only. */
    @Schema(name = "RegisteredSource", requiredProperties = {"source", "key", "webhookPath"})
    public record Registered(SourceView source, String key, String webhookPath,
                             @Schema(description = "BOOKING and GENERIC sources only") String signingSecret) {
    }

    /** A new signing secret after rotation: shown once. */
    @Schema(requiredProperties = {"signingSecret", "previousSecretsExpireAt"})
    public record RotatedSecret(String signingSecret, Instant previousSecretsExpireAt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.INTEGRATION})
    @SecurityRequirement(name = "jwt", scopes = {Roles.INTEGRATION, Roles.OPERATOR})
    @Operation(operationId = "registerSource", summary = "Register a sender and get its webhook URL",
            description = "The key in the returned webhookPath, and the signing secret of BOOKING and GENERIC sources, are shown "
                    + "once: guestbridge keeps only the key's hash and the secret sealed under the master key. Give the full "
                    + "HTTPS URL (and the secret) to the sender (for Purple: Venues → Webhooks). Audited.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NewSource.class),
            examples = @ExampleObject(name = "purple venue", value = "{\"kind\":\"PURPLE\",\"name\":\"Grand Hotel - guest WiFi\",\"venueRef\":\"venue-888\",\"timeZone\":\"Europe/London\"}")))
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RegisteredSource"),
                    examples = @ExampleObject(name = "registered", value = "{\"source\":{\"id\":\"5f0c…\",\"kind\":\"PURPLE\",\"name\":\"Grand Hotel - guest WiFi\","
                            + "\"venueRef\":\"venue-888\",\"timeZone\":\"Europe/London\",\"active\":true,\"createdAt\":\"2026-11-25T08:00:00Z\"},"
                            + "\"key\":\"q3V…43 characters…\",\"webhookPath\":\"/api/v1/ingest/purple/q3V…\"}")))
    public Response register(NewSource body) {
        if (body == null) {
            throw ProblemException.invalid("Send a JSON object with kind, name and timeZone.");
        }
        Source.Registration registration = sources.register(body.kind(), body.name(), body.venueRef(), body.timeZone(),
                Actor.of(security.getUserPrincipal()));
        String path = Sources.webhookPath(registration.source().kind(), registration.key().value());
        return Response.created(URI.create("/api/v1/sources/" + registration.source().id()))
                .entity(new Registered(SourceView.of(registration.source()), registration.key().value(), path,
                        registration.signingSecret())).build();
    }

    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.INTEGRATION})
    @SecurityRequirement(name = "jwt", scopes = {Roles.INTEGRATION, Roles.OPERATOR})
    @Operation(operationId = "listSources", summary = "The registered sources (without their keys)")
    @APIResponse(responseCode = "200", description = "All sources, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SourceView[].class)))
    public List<SourceView> list() {
        return sources.all().stream().map(SourceView::of).toList();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.OPERATOR, Roles.INTEGRATION})
    @SecurityRequirement(name = "jwt", scopes = {Roles.INTEGRATION, Roles.OPERATOR})
    @Operation(operationId = "revokeSource", summary = "Revoke a source's key",
            description = "Its webhook URL answers 404 from then on (within seconds); events already received stay. Audited.")
    @APIResponse(responseCode = "200", description = "Revoked (or already revoked)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SourceView.class)))
    public SourceView revoke(@Parameter(description = "Source id", required = true) @PathParam("id") String id) {
        return SourceView.of(sources.revoke(id, Actor.of(security.getUserPrincipal())));
    }

    @POST
    @Path("{id}/secret-rotations")
    @RolesAllowed({Roles.OPERATOR, Roles.INTEGRATION})
    @SecurityRequirement(name = "jwt", scopes = {Roles.INTEGRATION, Roles.OPERATOR})
    @Operation(operationId = "rotateSourceSecret", summary = "Issue a new signing secret for a booking or generic source",
            description = "The new secret is shown once. Deliveries signed with an older secret keep verifying for 24 hours, "
                    + "so the sender can switch without a gap. Audited.")
    @APIResponse(responseCode = "200", description = "The new secret",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RotatedSecret.class),
                    examples = @ExampleObject(name = "rotated", value = "{\"signingSecret\":\"whsec_…\",\"previousSecretsExpireAt\":\"2026-11-26T08:00:00Z\"}")))
    @APIResponse(responseCode = "409", ref = "#/components/responses/conflict")
    public RotatedSecret rotate(@Parameter(description = "Source id", required = true) @PathParam("id") String id) {
        String secret = sources.rotateSecret(id, Actor.of(security.getUserPrincipal()));
        return new RotatedSecret(secret, Instant.now().plus(Sources.ROTATION_GRACE));
    }
}
