package io.guestbridge.ingestion.internal.quarantine;

import io.guestbridge.ingestion.api.QuarantineDesk.Quarantined;
import io.guestbridge.ingestion.internal.inbox.InboxBodies;
import io.guestbridge.ingestion.internal.processing.EventReader;
import io.guestbridge.ingestion.internal.processing.GuestEvent;
import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.InstantConverter;
import io.guestbridge.platform.api.Redaction;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An inbox row that could not become guest data, while it waits in quarantine with its reason and its raw body
 * (sealed) for an operator. It leaves quarantine one of two ways: {@link #replay} puts it back in the inbox to be
 * processed again, with a corrected payload or as it is; {@link #discard} gives it up with a reason, emptying the
 * body (it names a guest) and keeping the row as the record of receipt. The inbox itself writes these rows (group
 * commit, set-wise processing: plain JDBC); this entity only reads and moves quarantined ones.
 */
@Entity
@Table(name = "ing_inbox")
@NamedQuery(name = "QuarantinedEvent.byId", query = "SELECT q FROM QuarantinedEvent q WHERE q.id = :id AND q.state = :quarantined")
@NamedQuery(name = "QuarantinedEvent.count", query = "SELECT COUNT(q) FROM QuarantinedEvent q WHERE q.state = :quarantined")
// a page of items without their bodies: the payload's size in clear is a sealed body's length less the nonce and tag
@NamedQuery(name = "QuarantinedEvent.page", query = "SELECT q.id, q.sourceId, q.receivedAt, q.reason, "
        + "CASE WHEN q.bodyKey IS NULL THEN FUNCTION('LENGTH', q.body) ELSE FUNCTION('LENGTH', q.body) - :sealOverhead END "
        + "FROM QuarantinedEvent q WHERE q.state = :quarantined AND q.id > :after ORDER BY q.id")
public class QuarantinedEvent {

    /** The inbox states a quarantined row moves between (the inbox knows more: processed, duplicate, refused). */
    enum State { QUARANTINED, RECEIVED, DISCARDED }

    /** The largest corrected payload a replay takes. */
    static final int MAX_CORRECTED_BYTES = 1_000_000;

    static final int MAX_REASON = 300;

    @Id
    private long id;

    @Column(name = "source_id", nullable = false, insertable = false, updatable = false)
    private String sourceId;

    @Column(name = "received_at", nullable = false, insertable = false, updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant receivedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;

    private String reason;

    @Column(nullable = false)
    private byte[] body;

    @Column(name = "body_key")
    private String bodyKey;

    @Column(name = "body_sha256", nullable = false)
    private String bodySha256;

    @Column(name = "processed_at")
    @Convert(converter = InstantConverter.class)
    private Instant processedAt;

    protected QuarantinedEvent() {
        // for JPA
    }

    /** A row as processing leaves it in quarantine; the inbox writes these rows itself, so only tests make one. */
    QuarantinedEvent(long id, String sourceId, Instant receivedAt, String reason, byte[] body, String bodyKey, String bodySha256) {
        this.id = id;
        this.sourceId = sourceId;
        this.receivedAt = receivedAt;
        this.state = State.QUARANTINED;
        this.reason = reason;
        this.body = body;
        this.bodyKey = bodyKey;
        this.bodySha256 = bodySha256;
    }

    /**
     * Checks a corrected payload before anything is looked up: one JSON object of at most 1 MB. Refuses with
     * {@link TooLarge} or {@link NotAnObject}.
     */
    static void checkCorrection(byte[] corrected) {
        if (corrected.length > MAX_CORRECTED_BYTES) {
            throw new TooLarge("A corrected event is at most 1 MB.");
        }
        try {
            EventReader.parseObject(corrected);
        } catch (GuestEvent.Unusable e) {
            throw new NotAnObject("The corrected payload must be one JSON object.");
        }
    }

    /**
     * Back to the inbox, to be processed again: without a reason, not processed yet. {@code corrected} (sealed, with
     * the hash of its clear text) replaces the stored body when given; null keeps it.
     */
    void replay(InboxBodies.Sealed corrected, String correctedSha256) {
        requireQuarantined();
        state = State.RECEIVED;
        reason = null;
        processedAt = null;
        if (corrected != null) {
            body = corrected.body();
            bodyKey = corrected.keyRef();
            bodySha256 = correctedSha256;
        }
    }

    /**
     * Given up at {@code at}, for {@code why} (1 to 300 characters, no personal data: it goes into the audit trail):
     * the body is emptied, the row stays as the record of receipt with the reason. Returns the reason as recorded.
     */
    String discard(String why, Instant at) {
        requireQuarantined();
        String given = discardReason(why);
        state = State.DISCARDED;
        body = new byte[0];
        bodyKey = null;
        reason = "discarded: " + given;
        processedAt = at;
        return given;
    }

    /** A discard's reason as it is recorded, or {@link IllegalArgumentException} saying what to give instead. */
    static String discardReason(String why) {
        if (why == null || why.isBlank() || why.length() > MAX_REASON) {
            throw new IllegalArgumentException("Give a reason of 1–300 characters, e.g. {\"reason\":\"test event\"}.");
        }
        if (Redaction.containsPersonalData(why)) {
            throw new IllegalArgumentException("The reason goes into the audit trail and must not contain personal data (an email, phone…).");
        }
        return why.strip();
    }

    private void requireQuarantined() {
        if (state != State.QUARANTINED) {
            throw new IllegalStateException("inbox row " + id + " is " + state + ", not quarantined");
        }
    }

    long id() {
        return id;
    }

    String sourceId() {
        return sourceId;
    }

    byte[] body() {
        return body;
    }

    String bodyKey() {
        return bodyKey;
    }

    String bodySha256() {
        return bodySha256;
    }

    State state() {
        return state;
    }

    String reason() {
        return reason;
    }

    Instant processedAt() {
        return processedAt;
    }

    /** What the operator's list shows: no payload, no personal data. */
    Quarantined item() {
        return new Quarantined(id, sourceId, receivedAt, reason, bodyKey == null ? body.length : body.length - DataKey.OVERHEAD);
    }

    /** A corrected payload over the size limit. */
    static final class TooLarge extends IllegalArgumentException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** A corrected payload that is not one JSON object. */
    static final class NotAnObject extends IllegalArgumentException {
        NotAnObject(String message) {
            super(message);
        }
    }
}
