package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SubjectAccess;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import javax.sql.DataSource;

import static io.guestbridge.platform.api.Jsonp.JSON;

/**
 * The subject's part of an access export (Art. 15 and 20): the inbox rows {@link InboxErasure} deletes,
 * found the same way (by guest, or by email index for events that never became a guest, such as
 * quarantined ones), each with its payload exactly as the sender sent it, opened with its day key and its
 * guest's key ({@link InboxBodies}). The inbox keeps payloads only until processing and replay no longer
 * need them, so what is there is shown as is.
 *
 * <p>Keys (times are ISO-8601 UTC instants):
 * <ul>
 *   <li>{@code inboxEvents}: array, oldest first, of {@code {id, sourceId, sourceName, sourceKind, sourceVenueRef,
 *       receivedAt, processedAt, state, reason, contentType, deliveryId, bodySha256, guestId, subjectIndex, payload,
 *       payloadEncoding}}; {@code state} is RECEIVED, PROCESSED, DUPLICATE, QUARANTINED, REFUSED or DISCARDED, with
 *       {@code reason} when the event did not become guest data; {@code deliveryId} is the sender's id of the delivery
 *       (for CSV imports the row's content hash); {@code guestId} and {@code subjectIndex} are how the row is tied to the
 *       person; {@code payload} is the body as UTF-8 text ({@code payloadEncoding} "utf-8"), base64 if it is not valid
 *       UTF-8 ("base64"), or null once it was discarded (duplicates, refused and discarded events keep no body) or its
 *       retention ended.</li>
 *   <li>{@code quarantine}: array of {@code {id, sourceId, receivedAt, reason}}, the events of {@code inboxEvents} waiting
 *       in quarantine for an operator's fix, with why they could not be processed.</li>
 * </ul>
 * An empty object when the inbox holds nothing of the subject.
 */
@ApplicationScoped
public class InboxAccess implements SubjectAccess {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @jakarta.inject.Inject
    InboxBodies bodies;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public JsonObject export(SubjectErasure.Subject subject) {
        if (subject.guestId() == null && subject.emailIndex() == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        return Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT i.id, i.source_id, src.name, src.kind, src.venue_ref, i.received_at, "
                    + "i.processed_at, i.state, i.reason, i.content_type, i.delivery_id, i.body_sha256, i.guest_id, i.subject_index, i.body, i.body_key "
                    + "FROM ing_inbox i LEFT JOIN ing_source src ON src.id = i.source_id "
                    + "WHERE i.guest_id = ? OR i.subject_index = ? ORDER BY i.id")) {
                s.setString(1, subject.guestId());
                s.setString(2, subject.emailIndex());
                JsonArrayBuilder events = JSON.createArrayBuilder();
                JsonArrayBuilder quarantine = JSON.createArrayBuilder();
                int count = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        events.add(event(rs, bodies));
                        if ("QUARANTINED".equals(rs.getString(8))) {
                            JsonObjectBuilder item = JSON.createObjectBuilder().add("id", rs.getLong(1));
                            add(item, "sourceId", rs.getString(2));
                            add(item, "receivedAt", time(rs, 6));
                            add(item, "reason", rs.getString(9));
                            quarantine.add(item);
                        }
                        count++;
                    }
                }
                return count == 0 ? JsonValue.EMPTY_JSON_OBJECT
                        : JSON.createObjectBuilder().add("inboxEvents", events).add("quarantine", quarantine).build();
            }
        });
    }

    @Override
    public String module() {
        return "ingestion";
    }

    private static JsonObjectBuilder event(ResultSet rs, InboxBodies bodies) throws SQLException {
        JsonObjectBuilder event = JSON.createObjectBuilder().add("id", rs.getLong(1));
        add(event, "sourceId", rs.getString(2));
        add(event, "sourceName", rs.getString(3));
        add(event, "sourceKind", rs.getString(4));
        add(event, "sourceVenueRef", rs.getString(5));
        add(event, "receivedAt", time(rs, 6));
        add(event, "processedAt", time(rs, 7));
        add(event, "state", rs.getString(8));
        add(event, "reason", rs.getString(9));
        add(event, "contentType", rs.getString(10));
        add(event, "deliveryId", rs.getString(11));
        add(event, "bodySha256", rs.getString(12));
        add(event, "guestId", rs.getString(13));
        add(event, "subjectIndex", rs.getString(14));
        byte[] body;
        try {
            body = bodies.open(rs.getLong(1), rs.getString(2), rs.getString(12), rs.getBytes(15), rs.getString(16), rs.getString(13));
        } catch (InboxBodies.Unreadable e) {
            body = null; // past its retention: its day key is gone
        }
        return payload(event, body);
    }

    /**
     * The body as the person can read it: senders must send UTF-8 JSON (the webhooks refuse anything else), but a stored
     * body is shown whatever it holds, so bytes that are not UTF-8 go out as base64 rather than as replacement characters.
     */
    static JsonObjectBuilder payload(JsonObjectBuilder event, byte[] body) {
        if (body == null || body.length == 0) {
            return event.addNull("payload").addNull("payloadEncoding");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return event.add("payload", text).add("payloadEncoding", "utf-8");
        } catch (CharacterCodingException e) {
            return event.add("payload", Base64.getEncoder().encodeToString(body)).add("payloadEncoding", "base64");
        }
    }

    private static void add(JsonObjectBuilder out, String key, String value) {
        if (value == null) {
            out.addNull(key);
        } else {
            out.add(key, value);
        }
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        Instant time = Jdbc.instant(rs, column);
        return time == null ? null : time.toString();
    }
}
