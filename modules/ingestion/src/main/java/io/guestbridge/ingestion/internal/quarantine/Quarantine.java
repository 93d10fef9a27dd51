package io.guestbridge.ingestion.internal.quarantine;

import io.guestbridge.ingestion.api.QuarantineDesk;
import jakarta.enterprise.context.ApplicationScoped;
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
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;

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
 * The quarantine's one implementation, for the management API's {@link QuarantineResource} and the console (as
 * {@link QuarantineDesk}): list, inspect with personal values masked, replay (with a corrected payload or not),
 * discard with a reason; every action audited with the person acting. The desk's methods are transactional
 * themselves: they call the package's methods on this instance, which no interceptor sees.
 */
@ApplicationScoped
public class Quarantine implements QuarantineDesk {

    /** Keys whose values are personal data whatever they look like (compared after LenientJson.normalize). */
    private static final Set<String> PERSONAL_KEYS = Set.of("email", "emailaddress", "fullname", "name", "firstname", "lastname",
            "phone", "mobile", "phonenumber", "dateofbirth", "dob", "birthdate", "gender", "mac", "macaddress", "useragent", "id",
            "latitude", "longitude", "address", "ip");

    /** The payload's size in clear: a sealed body is longer by the nonce and tag. */
    private static final String PAYLOAD_BYTES = "CASE WHEN body_key IS NULL THEN LENGTH(body) ELSE LENGTH(body) - "
            + io.guestbridge.platform.api.DataKey.OVERHEAD + " END";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    @Inject
    WorkQueue queue;

    @Inject
    InboxBodies bodies;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public long count() {
        return Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM ing_inbox WHERE state = 'QUARANTINED'");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    @Transactional
    public List<Quarantined> list(long after, int limit, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "work on the quarantine");
        if (limit < 1 || limit > 500) {
            throw ProblemException.invalid("limit must be 1 to 500");
        }
        return list(after, limit);
    }

    @Override
    @Transactional
    public Inspection inspect(long id, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "work on the quarantine");
        return inspect(id, actor);
    }

    @Override
    @Transactional
    public void replay(long id, byte[] corrected, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "work on the quarantine");
        replay(id, corrected, actor);
    }

    @Override
    @Transactional
    public void discard(long id, String reason, String actor, Set<String> roles) {
        Roles.requireAny(ROLES, roles, "work on the quarantine");
        discard(id, reason, actor);
    }

    @Transactional
    List<Quarantined> list(long after, int max) {
        return Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, source_id, received_at, reason, " + PAYLOAD_BYTES + " FROM ing_inbox "
                    + "WHERE state = 'QUARANTINED' AND id > ? ORDER BY id LIMIT ?")) {
                s.setLong(1, after);
                s.setInt(2, max);
                List<Quarantined> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(item(rs));
                    }
                }
                return found;
            }
        });
    }

    @Transactional
    Inspection inspect(long inboxId, String actor) {
        record Found(Quarantined item, byte[] body, String unreadable) {
        }
        Found found = Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, source_id, received_at, reason, " + PAYLOAD_BYTES + ", body, body_sha256, "
                    + "body_key FROM ing_inbox WHERE id = ? AND state = 'QUARANTINED'")) {
                s.setLong(1, inboxId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Quarantined item = item(rs);
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
        trail.record(audit("QUARANTINE_INSPECTED", inboxId, actor).build());
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

    @Transactional
    void replay(long inboxId, byte[] corrected, String actor) {
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
        trail.record(audit("QUARANTINE_REPLAYED", inboxId, actor).with("corrected", withCorrection).build());
    }

    @Transactional
    void discard(long inboxId, String reason, String actor) {
        if (reason == null || reason.isBlank() || reason.length() > 300) {
            throw ProblemException.invalid("Give a reason of 1–300 characters, e.g. {\"reason\":\"test event\"}.");
        }
        if (Redaction.containsPersonalData(reason)) {
            throw ProblemException.invalid("The reason goes into the audit trail and must not contain personal data (an email, phone…).");
        }
        int updated = Jdbc.inConnection(dataSource, "ingestion", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE ing_inbox SET state = 'DISCARDED', body = '', body_key = NULL, reason = ?, processed_at = ? "
                    + "WHERE id = ? AND state = 'QUARANTINED'")) {
                s.setString(1, "discarded: " + reason.strip());
                s.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
                s.setLong(3, inboxId);
                return s.executeUpdate();
            }
        });
        if (updated == 0) {
            throw ProblemException.notFound("No quarantined event has id " + inboxId + ".");
        }
        trail.record(audit("QUARANTINE_DISCARDED", inboxId, actor).with("reason", reason.strip()).build());
    }


    private AuditEvent.Builder audit(String action, long inboxId, String actor) {
        return AuditEvent.of("ingestion", action).by(actor).about("inbox:" + inboxId);
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

    private static Quarantined item(ResultSet rs) throws SQLException {
        return new Quarantined(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getString(4), rs.getInt(5));
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
