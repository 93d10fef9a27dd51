package io.guestbridge.ingestion.internal.quarantine;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.ingestion.api.QuarantineDesk;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
 * Events that could not become guest data, with the reason, for operators: list them (no personal
 * data), inspect one (its structure, personal values masked), replay it after a fix (of the
 * configuration, or with a corrected payload), or discard it with a reason. Every action is audited.
 */
@Path("ingest/quarantine")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
@Tag(name = "Ingestion: quarantine", description = "Events that could not be processed, with the reason; inspect, replay, discard.")
public class QuarantineResource {


    private static final String ITEM = "{\"id\":1042,\"sourceId\":\"7d1f…\",\"receivedAt\":\"2026-11-25T08:00:00Z\",\"reason\":"
            + "\"the email is not a valid address: the domain of the email address is not a valid host name\",\"bytes\":512}";






    @Inject
    Quarantine quarantine;

    @Context
    SecurityContext security;

    /** A quarantined event without its payload. */
    @Schema(name = "QuarantinedEvent", requiredProperties = {"id", "sourceId", "receivedAt", "bytes"})
    public record Item(@Schema(type = SchemaType.INTEGER, format = "int64") long id, String sourceId, Instant receivedAt, String reason, int bytes) {
    }

    @Schema(name = "QuarantinePage", requiredProperties = {"items", "nextCursor"})
    public record Page(List<Item> items, @Schema(type = SchemaType.INTEGER, format = "int64") long nextCursor) {
    }

    /** What became of a quarantined event. */
    @Schema(name = "QuarantineState", requiredProperties = {"id", "state"})
    public record State(@Schema(type = SchemaType.INTEGER, format = "int64") long id, @Schema(enumeration = {"RECEIVED", "DISCARDED"}) String state) {
    }

    /** A quarantined event with its payload's structure; personal values are masked. */
    @Schema(name = "QuarantineInspection", requiredProperties = {"item", "payload"})
    public record Inspection(Item item,
                             @Schema(type = SchemaType.OBJECT, description = "The payload with personal values masked; a payload that is "
                                     + "not a JSON object shows as {\"unreadable\": \"«not a JSON object, N bytes»\"}") JsonValue payload) {
    }

    public record Discard(@Schema(description = "Why the event is given up (no personal data)", example = "test event from the venue's setup")
                          String reason) {
    }

    @GET
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "listQuarantine", summary = "Quarantined events, oldest first, with their reasons (no payloads)")
    @APIResponse(responseCode = "200", description = "A page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Page.class),
                    examples = @ExampleObject(name = "page", value = "{\"items\":[" + ITEM + "],\"nextCursor\":1042}")))
    public Page list(@Parameter(description = "nextCursor of the previous page; 0 to start", example = "0") @QueryParam("cursor") String cursor,
                     @Parameter(description = "Page size (1–500, default 100)") @QueryParam("limit") String limit) {
        long after = Params.intInRange("cursor", cursor, 0, 0, Integer.MAX_VALUE);
        int max = Params.intInRange("limit", limit, 100, 1, 500);
        List<Item> items = quarantine.list(after, max).stream().map(QuarantineResource::item).toList();
        return new Page(items, items.isEmpty() ? after : items.get(items.size() - 1).id());
    }

    @GET
    @Path("{id}")
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "inspectQuarantined", summary = "One quarantined event with its payload, personal values masked",
            description = "Shows the payload's structure and its non-personal values (times, venue, flags) so the cause can be "
                    + "found; emails, names, phones, MACs and the like are masked. Audited (QUARANTINE_INSPECTED).")
    @APIResponse(responseCode = "200", description = "The event",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Inspection.class),
                    examples = @ExampleObject(name = "event", value = "{\"item\":" + ITEM + ",\"payload\":{\"email\":\"«masked, 17 characters»\","
                            + "\"connect_time\":\"2025-03-15T14:32:00Z\",\"venue_name\":\"The Grand Hotel - Manchester\"}}")))
    public Inspection inspect(@Parameter(description = "Inbox id", required = true) @PathParam("id") String id) {
        QuarantineDesk.Inspection found = quarantine.inspect(id(id), Actor.of(security.getUserPrincipal()));
        return new Inspection(item(found.item()), found.maskedPayload());
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "replayQuarantined", summary = "Process a quarantined event again, after a fix",
            description = "Without a body the stored payload is processed again (after a configuration fix, e.g. the venue's wording "
                    + "or time zone). With a JSON object body, that corrected payload replaces the stored one and is processed. "
                    + "Audited (QUARANTINE_REPLAYED, whether corrected).")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT,
                    description = "The corrected event, in the format of the source it came from"),
            examples = @ExampleObject(name = "corrected", value = "{\"email\":\"jane@example.com\",\"connect_time\":\"2025-03-15T14:32:00Z\"}")))
    @APIResponse(responseCode = "202", description = "Queued for processing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "QuarantineState"),
                    examples = @ExampleObject(name = "queued", value = "{\"id\":1042,\"state\":\"RECEIVED\"}")))
    public jakarta.ws.rs.core.Response replay(@Parameter(description = "Inbox id", required = true) @PathParam("id") String id, byte[] corrected) {
        long inboxId = id(id);
        quarantine.replay(inboxId, corrected, Actor.of(security.getUserPrincipal()));
        return jakarta.ws.rs.core.Response.accepted("{\"id\":" + inboxId + ",\"state\":\"RECEIVED\"}").type(MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("{id}/discard")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "jwt", scopes = Roles.OPERATOR)
    @Transactional
    @Operation(operationId = "discardQuarantined", summary = "Give up a quarantined event, with a reason",
            description = "The payload is deleted; the row stays with its reason. Audited (QUARANTINE_DISCARDED, with the reason).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Discard"),
            examples = @ExampleObject(name = "reason", value = "{\"reason\":\"test event from the venue's setup\"}")))
    @APIResponse(responseCode = "200", description = "Discarded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "QuarantineState"),
                    examples = @ExampleObject(name = "discarded", value = "{\"id\":1042,\"state\":\"DISCARDED\"}")))
    public String discard(@Parameter(description = "Inbox id", required = true) @PathParam("id") String id, Discard body) {
        long inboxId = id(id);
        quarantine.discard(inboxId, body == null ? null : body.reason(), Actor.of(security.getUserPrincipal()));
        return "{\"id\":" + inboxId + ",\"state\":\"DISCARDED\"}";
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw ProblemException.invalid("the id must be an inbox id (a whole number), e.g. 1042");
        }
    }

    private static Item item(QuarantineDesk.Quarantined q) {
        return new Item(q.id(), q.sourceId(), q.receivedAt(), q.reason(), q.bytes());
    }

    static JsonValue mask(JsonValue value) {
        return Quarantine.mask(value);
    }
}
