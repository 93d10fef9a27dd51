package io.guestbridge.ingestion.internal.quarantine;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.ingestion.internal.inbox.InboxBodies;
import io.guestbridge.ingestion.internal.inbox.InboxRowsReceived;
import io.guestbridge.ingestion.internal.inbox.WebhookBody;
import io.guestbridge.ingestion.internal.processing.EventReader;
import io.guestbridge.ingestion.internal.processing.GuestEvent;
import io.guestbridge.ingestion.internal.processing.LenientJson;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.Params;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
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

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

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

    /** Keys whose values are personal data whatever they look like (compared after LenientJson.normalize). */
    private static final Set<String> PERSONAL_KEYS = Set.of("email", "emailaddress", "fullname", "name", "firstname", "lastname",
            "phone", "mobile", "phonenumber", "dateofbirth", "dob", "birthdate", "gender", "mac", "macaddress", "useragent", "id",
            "latitude", "longitude", "address", "ip");

    private static final String ITEM = "{\"id\":1042,\"sourceId\":\"7d1f…\",\"receivedAt\":\"2026-11-25T08:00:00Z\",\"reason\":"
            + "\"the email is not a valid address: the domain of the email address is not a valid host name\",\"bytes\":512}";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    @Inject
    WorkQueue queue;

    @Inject
    InboxBodies bodies;

    /** The payload's size in clear: a sealed body is longer by the nonce and tag. */
    private static final String PAYLOAD_BYTES = "CASE WHEN body_key IS NULL THEN LENGTH(body) ELSE LENGTH(body) - "
            + io.guestbridge.platform.api.DataKey.OVERHEAD + " END";

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
        List<Item> items = Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, source_id, received_at, reason, " + PAYLOAD_BYTES + " FROM ing_inbox "
                    + "WHERE state = 'QUARANTINED' AND id > ? ORDER BY id LIMIT ?")) {
                s.setLong(1, after);
                s.setInt(2, max);
                List<Item> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(item(rs));
                    }
                }
                return found;
            }
        });
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
        long inboxId = id(id);
        record Found(Item item, byte[] body, String unreadable) {
        }
        Found found = Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, source_id, received_at, reason, " + PAYLOAD_BYTES + ", body, body_sha256, "
                    + "body_key FROM ing_inbox WHERE id = ? AND state = 'QUARANTINED'")) {
                s.setLong(1, inboxId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Item item = item(rs);
                    try {
                        return new Found(item, bodies.open(item.id(), item.sourceId(), rs.getString(7), rs.getBytes(6), rs.getString(8), null), null);
                    } catch (InboxBodies.Unreadable e) {
                        return new Found(item, null, e.getMessage());
                    }
                }
            }
        });
        if (found == null) {
            throw ProblemException.notFound("No quarantined event has id " + inboxId + ".");
        }
        trail.record(audit("QUARANTINE_INSPECTED", inboxId).build());
        JsonValue payload;
        try {
            if (found.body() == null) {
                throw new GuestEvent.Unusable(found.unreadable());
            }
            payload = mask(EventReader.parseObject(found.body()));
        } catch (GuestEvent.Unusable e) {
            payload = Jsonp.JSON.createObjectBuilder().add("unreadable", found.body() == null ? "«" + found.unreadable() + "»"
                    : "«not a JSON object, " + found.body().length + " bytes»").build();
        }
        return new Inspection(found.item(), payload);
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
        boolean withCorrection = corrected != null && corrected.length > 0;
        if (withCorrection) {
            if (corrected.length > 1_000_000) {
                throw new ProblemException(io.guestbridge.platform.api.ProblemType.PAYLOAD_TOO_LARGE, "A corrected event is at most 1 MB.");
            }
            try {
                EventReader.parseObject(corrected);
            } catch (GuestEvent.Unusable e) {
                throw new ProblemException(io.guestbridge.platform.api.ProblemType.MALFORMED_BODY, "The corrected payload must be one JSON object.");
            }
        }
        int updated = Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ing_inbox SET state = 'RECEIVED', reason = NULL, processed_at = NULL"
                    + (withCorrection ? ", body = ?, body_key = ?, body_sha256 = ?" : "") + " WHERE id = ? AND state = 'QUARANTINED'")) {
                int p = 1;
                if (withCorrection) {
                    String sha256 = WebhookBody.sha256(corrected);
                    InboxBodies.Sealed sealed = bodies.seal(sourceOf(c, inboxId), sha256, corrected,
                            InboxBodies.day(java.time.Instant.now()));
                    s.setBytes(p++, sealed.body());
                    s.setString(p++, sealed.keyRef());
                    s.setString(p++, sha256);
                }
                s.setLong(p, inboxId);
                return s.executeUpdate();
            }
        });
        if (updated == 0) {
            throw ProblemException.notFound("No quarantined event has id " + inboxId + ".");
        }
        queue.publish(new InboxRowsReceived(List.of(inboxId)));
        trail.record(audit("QUARANTINE_REPLAYED", inboxId).with("corrected", withCorrection).build());
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
        if (body == null || body.reason() == null || body.reason().isBlank() || body.reason().length() > 300) {
            throw ProblemException.invalid("Give a reason of 1–300 characters, e.g. {\"reason\":\"test event\"}.");
        }
        if (Redaction.containsPersonalData(body.reason())) {
            throw ProblemException.invalid("The reason goes into the audit trail and must not contain personal data (an email, phone…).");
        }
        int updated = Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ing_inbox SET state = 'DISCARDED', body = '', body_key = NULL, reason = ?, processed_at = ? "
                    + "WHERE id = ? AND state = 'QUARANTINED'")) {
                s.setString(1, "discarded: " + body.reason().strip());
                s.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
                s.setLong(3, inboxId);
                return s.executeUpdate();
            }
        });
        if (updated == 0) {
            throw ProblemException.notFound("No quarantined event has id " + inboxId + ".");
        }
        trail.record(audit("QUARANTINE_DISCARDED", inboxId).with("reason", body.reason().strip()).build());
        return "{\"id\":" + inboxId + ",\"state\":\"DISCARDED\"}";
    }

    private AuditEvent.Builder audit(String action, long inboxId) {
        return AuditEvent.of("ingestion", action).by(Actor.of(security.getUserPrincipal())).about("inbox:" + inboxId);
    }

    /** The source of an inbox row (a corrected body is sealed bound to it); an empty string for no such row. */
    private static String sourceOf(java.sql.Connection c, long inboxId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT source_id FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, inboxId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw ProblemException.invalid("the id must be an inbox id (a whole number), e.g. 1042");
        }
    }

    private static Item item(ResultSet rs) throws SQLException {
        return new Item(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getString(4), rs.getInt(5));
    }

    static JsonValue mask(JsonValue value) {
        return mask(null, value);
    }

    private static JsonValue mask(String key, JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                JsonObjectBuilder object = Jsonp.JSON.createObjectBuilder();
                ((JsonObject) value).forEach((k, v) -> object.add(k, mask(k, v)));
                return object.build();
            }
            case ARRAY -> {
                JsonArrayBuilder array = Jsonp.JSON.createArrayBuilder();
                value.asJsonArray().forEach(v -> array.add(mask(key, v)));
                return array.build();
            }
            case STRING, NUMBER -> {
                String text = value instanceof JsonString s ? s.getString() : value.toString();
                if (key != null && PERSONAL_KEYS.contains(LenientJson.normalize(key))) {
                    return Jsonp.JSON.createValue("«masked, " + text.length() + " characters»");
                }
                if (value instanceof JsonString) {
                    String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
                    return Jsonp.JSON.createValue(Redaction.redact(shown));
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }
}
