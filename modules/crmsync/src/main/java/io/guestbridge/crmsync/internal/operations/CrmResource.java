package io.guestbridge.crmsync.internal.operations;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.crmsync.internal.connectors.SyncTrigger;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
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

import java.time.Instant;
import java.util.List;

/**
 * Operators' view of CRM sync: each connector's state and figures, and the dead letters (contacts a CRM
 * refused for good) to replay after a fix or discard. Replays and discards are audited.
 */
@Path("crm")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
@Tag(name = "CRM sync", description = "Connector states and triggers, dead letters, replay and discard.")
public class CrmResource {

    @Inject
    CrmConnectorStatus status;

    @Inject
    CrmOperations operations;

    @Context
    SecurityContext security;

    /**
     * Contacts a CRM refused for good: one as a rule ({@code guest}); the contacts of a whole request when the CRM refused
     * the request itself or it kept failing ({@code guests} lists them all, one guest included).
     */
    @Schema(requiredProperties = {"id", "connector", "guests", "attempts", "firstQueuedAt"}, description = "Contacts a CRM refused for good: "
            + "guests lists every guest whose contact the letter holds (one as a rule; a whole request's when the CRM refused the request "
            + "itself or it kept failing), guest names the guest when there is one")
    public record DeadLetter(@Schema(type = SchemaType.INTEGER, format = "int64") long id, String connector, String guest, List<String> guests,
                             int attempts, Instant firstQueuedAt, String reason) {
    }

    /** What became of a dead letter. */
    @Schema(name = "DeadLetterState", requiredProperties = {"id", "state"})
    public record LetterState(@Schema(type = SchemaType.INTEGER, format = "int64") long id, @Schema(enumeration = {"PENDING", "DISCARDED"}) String state) {
    }

    @GET
    @Path("connectors")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "listCrmConnectors", summary = "Each CRM connector's state and figures",
            description = "State UP, DEGRADED (over 1 % of records failed in the last 15 minutes) or DISABLED (invalid configuration, "
                    + "with the problems); records and failures in 15 minutes, contacts created and updated today, request latency; "
                    + "the request budget every instance shares: requests allowed per window and per UTC day, how many are used, when each "
                    + "count starts again, and the earliest moment of the next request when it must wait; the triggers that sync a guest to it.")
    @APIResponse(responseCode = "200", description = "The connectors", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CrmConnectorStatus.Status[].class),
            examples = @ExampleObject(name = "connectors", value = "[{\"connector\":\"hubspot-main\",\"type\":\"hubspot\",\"state\":\"UP\",\"circuit\":\"CLOSED\","
                    + "\"problems\":[],\"records15m\":1200,\"failed15m\":3,\"errorRate15m\":0.0025,\"createdToday\":310,\"updatedToday\":890,"
                    + "\"p50RequestMs\":140,\"p95RequestMs\":420,\"budget\":{\"requestsPerWindow\":100,\"windowMs\":10000,\"usedInWindow\":37,"
                    + "\"windowResetsAt\":\"2026-11-25T08:00:10Z\",\"requestsPerDay\":250000,\"usedToday\":12040,"
                    + "\"dayResetsAt\":\"2026-11-26T00:00:00Z\"},\"triggers\":[\"FIRST_LOGIN\",\"RETURN_VISIT\",\"STAY\",\"CONSENT_CHANGE\"]}]")))
    public List<CrmConnectorStatus.Status> connectors() {
        return status.all();
    }

    /**
     * A connector's triggers. The list member carries no schema annotation: the generator copies a member's array type
     * onto its items.
     */
    @Schema(name = "CrmConnectorTriggers", requiredProperties = "triggers", description = "triggers: one or more of FIRST_LOGIN (the guest's "
            + "first WiFi login; a guest the connector never received, with a login, counts as one), RETURN_VISIT (a visit on another day or "
            + "at another venue), STAY (a booking event: reservation, check-in, check-out, cancellation), CONSENT_CHANGE (the marketing "
            + "consent in force changed)")
    public record Triggers(List<String> triggers) {
    }

    @PUT
    @Path("connectors/{name}/triggers")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "changeCrmConnectorTriggers", summary = "Choose which events sync a guest to a connector",
            description = "Replaces the connector's triggers (configured with crm.<name>.triggers; default all four) on every instance, from its "
                    + "next batch. A guest is sent when one of them fired since the connector last stored the guest: the facts at that sync (visits, "
                    + "the latest booking event, the marketing consent in force) are compared with today's, so changes coalesced in the queue "
                    + "still count. Whatever the triggers, a withdrawal of marketing consent (an objection is one) reaches every connector that may "
                    + "hold the guest, and an erasure every connector: those are promises to the guest. Guests not sent are counted "
                    + "(guestbridge_crm_records_skipped on /metrics), not audited. Audited (CRM_CONNECTOR_TRIGGERS_CHANGED).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Triggers.class),
            examples = {@ExampleObject(name = "bookings only", value = "{\"triggers\":[\"STAY\"]}"),
                    @ExampleObject(name = "new guests and their consent", value = "{\"triggers\":[\"FIRST_LOGIN\",\"CONSENT_CHANGE\"]}")}))
    @APIResponse(responseCode = "200", description = "The connector's triggers now", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "CrmConnectorTriggers"), examples = @ExampleObject(name = "bookings only", value = "{\"triggers\":[\"STAY\"]}")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/validation")
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public Triggers changeTriggers(@Parameter(description = "Connector name", required = true) @PathParam("name") String name, Triggers body) {
        if (body == null || body.triggers() == null) {
            throw ProblemException.invalid("Send {\"triggers\": [...]} with one or more of " + SyncTrigger.allowed() + ".");
        }
        return new Triggers(operations.changeTriggers(name, body.triggers(), Actor.of(security.getUserPrincipal())));
    }

    @GET
    @Path("dead-letters")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Operation(operationId = "listCrmDeadLetters", summary = "Contacts a CRM refused for good, with its reason")
    @APIResponse(responseCode = "200", description = "Dead letters, oldest first", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeadLetter[].class),
            examples = @ExampleObject(name = "dead letters", value = "[{\"id\":5012,\"connector\":\"hubspot-main\",\"guest\":"
                    + "\"0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\",\"guests\":[\"0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d\"],\"attempts\":1,\"firstQueuedAt\":\"2026-11-25T08:00:00Z\",\"reason\":"
                    + "\"VALIDATION_ERROR: Property values were not valid\"}]")))
    @APIResponse(responseCode = "404", ref = "#/components/responses/not-found")
    public List<DeadLetter> deadLetters(@Parameter(description = "Connector name", required = true) @QueryParam("connector") String connector,
                                        @Parameter(description = "Only after this id (paging)") @QueryParam("after") String after,
                                        @Parameter(description = "Page size (1–500, default 100)") @QueryParam("limit") String limit) {
        return operations.deadLetters(connector, Params.intInRange("after", after, 0, 0, Integer.MAX_VALUE), Params.intInRange("limit", limit, 100, 1, 500))
                .stream().map(d -> new DeadLetter(d.id(), d.connector(), d.guest(), d.guests(), d.attempts(), d.waitingSince(), d.reason())).toList();
    }

    @POST
    @Path("dead-letters/{id}/replay")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "replayCrmDeadLetter", summary = "Send a dead-lettered contact again (after fixing the mapping or the data)",
            description = "The contact is rebuilt from the current profile when it is sent. Audited (CRM_DEAD_LETTER_REPLAYED).")
    @APIResponse(responseCode = "200", description = "Queued again", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "DeadLetterState"), examples = @ExampleObject(name = "queued", value = "{\"id\":5012,\"state\":\"PENDING\"}")))
    public String replay(@Parameter(description = "Dead letter id", required = true) @PathParam("id") String id,
                         @Parameter(description = "Connector name", required = true) @QueryParam("connector") String connector) {
        long itemId = id(id);
        operations.replay(connector, itemId, Actor.of(security.getUserPrincipal()));
        return "{\"id\":" + itemId + ",\"state\":\"PENDING\"}";
    }

    @POST
    @Path("dead-letters/{id}/discard")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "discardCrmDeadLetter", summary = "Give up a dead-lettered contact",
            description = "The contact's next change queues it again. Audited (CRM_DEAD_LETTER_DISCARDED).")
    @APIResponse(responseCode = "200", description = "Discarded", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "DeadLetterState"), examples = @ExampleObject(name = "discarded", value = "{\"id\":5012,\"state\":\"DISCARDED\"}")))
    public String discard(@Parameter(description = "Dead letter id", required = true) @PathParam("id") String id,
                          @Parameter(description = "Connector name", required = true) @QueryParam("connector") String connector) {
        long itemId = id(id);
        operations.discard(connector, itemId, Actor.of(security.getUserPrincipal()));
        return "{\"id\":" + itemId + ",\"state\":\"DISCARDED\"}";
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("the id must be a dead letter id (a whole number)");
        }
    }
}
