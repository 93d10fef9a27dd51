package io.guestbridge.access.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Ends access before tokens expire: one leaked token, or every token of a person who left or lost a role. */
@Path("access/token-revocations")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Access", description = "Revoking bearer tokens before they expire.")
public class TokenRevocationResource {

    @Inject
    TokenRevocations revocations;

    @Inject
    @ConfigProperty(name = "guestbridge.access.max-token-lifetime-hours", defaultValue = "24")
    long maxTokenLifetimeHours;

    @Context
    SecurityContext security;

    @Schema(name = "TokenRevocation", requiredProperties = {"reason"},
            description = "Either tokenId with expiresAt, or subject")
    public record Revocation(
            @Schema(description = "The token's jti, to end that one token (give expiresAt too)", example = "5b0f6c1e-8e0a-4c8e-9f3e-2d7d1f0c9a11") String tokenId,
            @Schema(description = "When that token expires (its exp), so the revocation is kept exactly as long as needed",
                    format = "date-time", example = "2026-12-01T18:00:00Z") String expiresAt,
            @Schema(description = "A person's subject (sub) at the identity provider, to end every token they hold now", example = "f1b2c3d4-staff-id")
            String subject,
            @Schema(required = true, description = "Why; kept with the revocation, not in the audit trail", example = "laptop stolen") String reason) {
    }

    @Schema(name = "TokenRevoked", requiredProperties = {"kind", "until"})
    public record Revoked(@Schema(enumeration = {"TOKEN", "SUBJECT"}) String kind,
                          @Schema(format = "date-time", description = "Until when the revocation is kept") String until) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "revokeTokens", summary = "Revoke one token, or every token a person holds now",
            description = "Give tokenId and expiresAt to end one token, or subject to end every token of that person issued until now "
                    + "(tokens issued afterwards work: revoke at the identity provider first). Every instance refuses the revoked tokens "
                    + "within 5 seconds, this one at once. Audited with a keyed hash of the id.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TokenRevocation"),
            examples = {@ExampleObject(name = "one token", value = "{\"tokenId\":\"5b0f6c1e-8e0a-4c8e-9f3e-2d7d1f0c9a11\",\"expiresAt\":\"2026-12-01T18:00:00Z\","
                    + "\"reason\":\"laptop stolen\"}"),
                    @ExampleObject(name = "a person", value = "{\"subject\":\"f1b2c3d4-staff-id\",\"reason\":\"left the company\"}")}))
    @APIResponse(responseCode = "201", description = "Revoked", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "TokenRevoked"), examples = @ExampleObject(name = "revoked", value = "{\"kind\":\"SUBJECT\",\"until\":\"2026-12-02T10:00:00Z\"}")))
    public Response revoke(Revocation revocation) {
        if (revocation == null || revocation.reason() == null || revocation.reason().isBlank()) {
            throw ProblemException.invalid("Say why the access ends: reason.");
        }
        String actor = Actor.of(security.getUserPrincipal());
        boolean token = revocation.tokenId() != null && !revocation.tokenId().isBlank();
        boolean subject = revocation.subject() != null && !revocation.subject().isBlank();
        if (token == subject) {
            throw ProblemException.invalid("Give either tokenId (with expiresAt) or subject, not both and not neither.");
        }
        if (token) {
            Instant expires;
            try {
                expires = Instant.parse(revocation.expiresAt() == null ? "" : revocation.expiresAt().strip());
            } catch (DateTimeParseException e) {
                throw ProblemException.invalid("expiresAt must be the token's expiry as an ISO-8601 instant, e.g. 2026-12-01T18:00:00Z.");
            }
            revocations.revokeToken(revocation.tokenId().strip(), expires, revocation.reason().strip(), actor);
            return Response.status(Response.Status.CREATED).entity(new Revoked("TOKEN", expires.toString())).build();
        }
        Duration keep = Duration.ofHours(maxTokenLifetimeHours);
        revocations.revokeSubject(revocation.subject().strip(), keep, revocation.reason().strip(), actor);
        return Response.status(Response.Status.CREATED).entity(new Revoked("SUBJECT", Instant.now().plus(keep).toString())).build();
    }
}
