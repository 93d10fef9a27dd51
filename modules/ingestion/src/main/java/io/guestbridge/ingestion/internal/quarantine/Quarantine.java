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
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Set;

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

    @PersistenceContext(unitName = "ingestion")
    EntityManager em;

    @Inject
    AuditTrail trail;

    @Inject
    WorkQueue queue;

    @Inject
    InboxBodies bodies;

    @Override
    @Transactional
    public long count() {
        return em.createNamedQuery("QuarantinedEvent.count", Long.class)
                .setParameter("quarantined", QuarantinedEvent.State.QUARANTINED).getSingleResult();
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
        List<Object[]> rows = em.createNamedQuery("QuarantinedEvent.page", Object[].class)
                .setParameter("quarantined", QuarantinedEvent.State.QUARANTINED).setParameter("after", after)
                .setParameter("sealOverhead", DataKey.OVERHEAD).setMaxResults(max).getResultList();
        return rows.stream().map(r -> new Quarantined((Long) r[0], (String) r[1], (Instant) r[2], (String) r[3], ((Number) r[4]).intValue()))
                .toList();
    }

    @Transactional
    Inspection inspect(long inboxId, String actor) {
        QuarantinedEvent event = find(inboxId, LockModeType.NONE);
        byte[] body;
        String unreadable = null;
        try {
            body = bodies.open(event.id(), event.sourceId(), event.bodySha256(), event.body(), event.bodyKey(), null);
        } catch (InboxBodies.Unreadable e) {
            body = null;
            unreadable = e.getMessage();
        }
        trail.record(audit("QUARANTINE_INSPECTED", inboxId, actor).build());
        JsonValue payload;
        try {
            if (body == null) {
                throw new GuestEvent.Unusable(unreadable);
            }
            payload = mask(EventReader.parseObject(body));
        } catch (GuestEvent.Unusable e) {
            payload = Jsonp.JSON.createObjectBuilder().add("unreadable", body == null ? "«" + unreadable + "»"
                    : "«not a JSON object, " + body.length + " bytes»").build();
        }
        return new Inspection(event.item(), payload);
    }

    @Transactional
    void replay(long inboxId, byte[] corrected, String actor) {
        boolean withCorrection = corrected != null && corrected.length > 0;
        if (withCorrection) {
            try {
                QuarantinedEvent.checkCorrection(corrected);
            } catch (QuarantinedEvent.TooLarge e) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage());
            } catch (QuarantinedEvent.NotAnObject e) {
                throw new ProblemException(ProblemType.MALFORMED_BODY, e.getMessage());
            }
        }
        // locked while it moves: a retention purge or a second operator waits, then finds it no longer quarantined
        QuarantinedEvent event = find(inboxId, LockModeType.PESSIMISTIC_WRITE);
        if (withCorrection) {
            String sha256 = WebhookBody.sha256(corrected);
            event.replay(bodies.seal(event.sourceId(), sha256, corrected, InboxBodies.day(Instant.now())), sha256);
        } else {
            event.replay(null, null);
        }
        em.flush();
        queue.publish(new InboxRowsReceived(List.of(inboxId)));
        trail.record(audit("QUARANTINE_REPLAYED", inboxId, actor).with("corrected", withCorrection).build());
    }

    @Transactional
    void discard(long inboxId, String reason, String actor) {
        String given;
        try {
            given = QuarantinedEvent.discardReason(reason);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage());
        }
        find(inboxId, LockModeType.PESSIMISTIC_WRITE).discard(given, Instant.now());
        em.flush();
        trail.record(audit("QUARANTINE_DISCARDED", inboxId, actor).with("reason", given).build());
    }

    /** The quarantined event {@code inboxId}, or a not-found problem (also for a row that left quarantine). */
    private QuarantinedEvent find(long inboxId, LockModeType lock) {
        return em.createNamedQuery("QuarantinedEvent.byId", QuarantinedEvent.class).setParameter("id", inboxId)
                .setParameter("quarantined", QuarantinedEvent.State.QUARANTINED).setLockMode(lock)
                .getResultStream().findFirst()
                .orElseThrow(() -> ProblemException.notFound("No quarantined event has id " + inboxId + "."));
    }

    private AuditEvent.Builder audit(String action, long inboxId, String actor) {
        return AuditEvent.of("ingestion", action).by(actor).about("inbox:" + inboxId);
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
