package io.guestbridge.privacy.internal;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Redaction;
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

/**
 * Data-subject requests through the management API. This version runs erasure (Art. 17) requests whose
 * identity staff verified; the subject-portal intake with emailed codes, access exports, objections and
 * the escalations of the statutory clock are not built yet and are refused with a clear answer.
 */
@Path("privacy/requests")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Privacy requests", description = "Erasure across this database and every CRM, step by step, on the statutory clock.")
public class PrivacyResource {

    private static final String VIEW = "{\"id\":\"5d1e…\",\"type\":\"ERASURE\",\"state\":\"IN_PROGRESS\",\"receivedAt\":\"2026-11-25T08:00:00Z\","
            + "\"dueAt\":\"2026-12-25T08:00:00Z\",\"daysLeft\":30,\"verifiedBy\":\"reception: passport checked\",\"steps\":[{\"system\":"
            + "\"hubspot-main\",\"state\":\"CONFIRMED\",\"attempts\":1,\"evidence\":\"status 204, gdpr-delete:204\",\"confirmedAt\":"
            + "\"2026-11-25T08:00:05Z\"},{\"system\":\"local\",\"state\":\"PENDING\",\"attempts\":0}],\"history\":[{\"at\":\"2026-11-25T08:00:00Z\","
            + "\"state\":\"RECEIVED\"}]}";

    @Inject
    ErasureRequests erasures;

    @Context
    SecurityContext security;

    /** A request taken by staff. */
    public record Intake(@Schema(enumeration = {"ERASURE"}, required = true) String type,
                         @Schema(example = "jane@example.com", required = true) String email,
                         @Schema(description = "How staff verified the requester is the data subject (no personal data)",
                                 example = "reception: passport checked", required = true) String verifiedBy) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DPO, Roles.OPERATOR})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR})
    @Operation(operationId = "receivePrivacyRequest", summary = "Receive a staff-verified erasure request and start its steps",
            description = "One step per system of the data map (this database and every enabled CRM connector), each on the work queue "
                    + "with retries and its confirmation kept as evidence. Due one month after receipt (Art. 12(3)). Audited.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Intake.class),
            examples = @ExampleObject(name = "erasure", value = "{\"type\":\"ERASURE\",\"email\":\"jane@example.com\",\"verifiedBy\":\"reception: passport checked\"}")))
    @APIResponse(responseCode = "201", description = "Received and started",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErasureRequests.View.class),
                    examples = @ExampleObject(name = "request", value = VIEW)))
    public Response receive(Intake intake) {
        if (intake == null || intake.type() == null || intake.email() == null || intake.verifiedBy() == null || intake.verifiedBy().isBlank()) {
            throw ProblemException.invalid("Send type, email and verifiedBy (how the requester's identity was checked).");
        }
        if (!"ERASURE".equalsIgnoreCase(intake.type().trim())) {
            throw ProblemException.invalid("Only ERASURE requests run in this version; for a correction use POST /api/v1/guests/{id}/rectifications "
                    + "and for a withdrawal POST /api/v1/guests/{id}/consent/withdrawals. Access exports and objections are not built yet.");
        }
        if (intake.verifiedBy().length() > 200 || Redaction.containsPersonalData(intake.verifiedBy())) {
            throw ProblemException.invalid("verifiedBy says how identity was checked, in at most 200 characters and without personal data.");
        }
        NormalizedEmail email;
        try {
            email = NormalizedEmail.parse(intake.email());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("email: " + e.getMessage());
        }
        ErasureRequests.View view = erasures.receive(email, intake.verifiedBy().strip(), Actor.of(security.getUserPrincipal()));
        return Response.status(201).entity(view).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.DPO, Roles.OPERATOR, Roles.COMPLIANCE_OFFICER})
    @SecurityRequirement(name = "jwt", scopes = {Roles.DPO, Roles.OPERATOR, Roles.COMPLIANCE_OFFICER})
    @Operation(operationId = "getPrivacyRequest", summary = "A request: state, days left, each step with its evidence, the full history")
    @APIResponse(responseCode = "200", description = "The request",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErasureRequests.View.class),
                    examples = @ExampleObject(name = "request", value = VIEW)))
    public ErasureRequests.View get(@Parameter(description = "Request id", required = true) @PathParam("id") String id) {
        return erasures.view(id).orElseThrow(() -> ProblemException.notFound("There is no privacy request " + id + "."));
    }
}
