package io.guestbridge.privacy.internal.requests;

import io.guestbridge.platform.api.InstantConverter;
import io.guestbridge.platform.api.ProblemException;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * One data-subject request, with the rules of its clock and its states: every change of state is a checked move
 * ({@link #moveTo}), so no caller can skip verification or reopen an ended request. No personal data leaves it: the
 * email and any corrections stay sealed and are opened only by the steps that need them.
 */
@Entity
@Table(name = "prv_request")
public class PrivacyRequest {

    /** The channels a request comes in by: staff took it on the subject's behalf, or the subject used the portal. */
    public static final String STAFF = "STAFF";
    public static final String PORTAL = "PORTAL";
    /** Erasures the retention policy starts itself (inactive profiles): nobody to verify, nobody to mail. */
    public static final String RETENTION = "RETENTION";

    @Id
    private String id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private RequestType type;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private Regime regime;

    @Column(nullable = false, updatable = false)
    private String channel;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RequestState state;

    @Column(name = "subject_hash", nullable = false, updatable = false)
    private String subjectHash;

    @Column(name = "email_sealed")
    private String emailSealed;

    @Column(name = "details_sealed")
    private String detailsSealed;

    @Column(name = "received_at", nullable = false, updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant receivedAt;

    @Column(name = "due_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant dueAt;

    @Column(name = "original_due_at", updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant originalDueAt;

    @Column(name = "extended_reason")
    private String extendedReason;

    @Column(name = "verified_by")
    private String verifiedBy;

    @Column(name = "verified_at")
    @Convert(converter = InstantConverter.class)
    private Instant verifiedAt;

    @Column(name = "completed_at")
    @Convert(converter = InstantConverter.class)
    private Instant completedAt;

    @Column(name = "duplicate_of")
    private String duplicateOf;

    private String outcome;

    @Column(name = "code_hash")
    private String codeHash;

    @Column(name = "code_expires_at")
    @Convert(converter = InstantConverter.class)
    private Instant codeExpiresAt;

    @Column(name = "code_attempts", nullable = false)
    private int codeAttempts;

    @Column(updatable = false)
    private String language;

    /** The due date the DPO was last warned of; set by the clock's compare-and-set (another instance may race it), read here. */
    @Column(name = "escalated_due_at", insertable = false, updatable = false)
    @Convert(converter = InstantConverter.class)
    private Instant escalatedDueAt;

    protected PrivacyRequest() {
        // for JPA
    }

    /** A request in a given state, as the rules see it (the tests build them this way; the store reads them). */
    PrivacyRequest(String id, RequestType type, Regime regime, String channel, RequestState state, String subjectHash, Instant receivedAt,
                   Instant dueAt, Instant originalDueAt, String extendedReason, String verifiedBy, Instant verifiedAt, Instant completedAt,
                   String duplicateOf, String outcome, String codeHash, Instant codeExpiresAt, int codeAttempts) {
        this.id = id;
        this.type = type;
        this.regime = regime;
        this.channel = channel;
        this.state = state;
        this.subjectHash = subjectHash;
        this.receivedAt = receivedAt;
        this.dueAt = dueAt;
        this.originalDueAt = originalDueAt;
        this.extendedReason = extendedReason;
        this.verifiedBy = verifiedBy;
        this.verifiedAt = verifiedAt;
        this.completedAt = completedAt;
        this.duplicateOf = duplicateOf;
        this.outcome = outcome;
        this.codeHash = codeHash;
        this.codeExpiresAt = codeExpiresAt;
        this.codeAttempts = codeAttempts;
    }

    /** A request just received: its regime must give the right, and its clock starts now (the due date the law sets). */
    static PrivacyRequest received(String id, RequestType type, Regime regime, String channel, String subjectHash, String emailSealed,
                                   String detailsSealed, Instant receivedAt, String language) {
        regime.require(type);
        Instant received = kept(receivedAt);
        Instant due = regime.due(type, received);
        PrivacyRequest r = new PrivacyRequest(id, type, regime, channel, RequestState.RECEIVED, subjectHash, received, due, due, null, null, null,
                null, null, null, null, null, 0);
        r.emailSealed = emailSealed;
        r.detailsSealed = detailsSealed;
        r.language = language;
        return r;
    }

    /** The sealed columns and the language of a request read by SQL ({@link RequestRecords#row}), which the constructor leaves out. */
    PrivacyRequest sealed(String emailSealed, String detailsSealed, String language) {
        this.emailSealed = emailSealed;
        this.detailsSealed = detailsSealed;
        this.language = language;
        return this;
    }

    /** Art. 12(3): one month from receipt. */
    static Instant dueFor(Instant received) {
        return Regime.GDPR.due(RequestType.ERASURE, received);
    }

    public long daysLeft(Instant now) {
        return Math.max(0, ChronoUnit.DAYS.between(LocalDate.ofInstant(now, ZoneOffset.UTC), LocalDate.ofInstant(dueAt, ZoneOffset.UTC)));
    }

    public boolean overdue(Instant now) {
        return state.isOpen() && now.isAfter(dueAt);
    }

    /** Refuses a move the state machine does not allow, with a reason a person can act on. */
    public void requireMove(RequestState next) {
        if (!state.canMoveTo(next)) {
            throw ProblemException.conflict("Request " + id + " is " + state + "; it cannot become " + next + ".");
        }
    }

    /** The checked move; an ending move stamps the completion. Returns the state it left. */
    RequestState moveTo(RequestState next, Instant now) {
        requireMove(next);
        RequestState from = state;
        state = next;
        if (!next.isOpen()) {
            completedAt = kept(now);
        }
        return from;
    }

    /**
     * A moment as its column keeps it (to the microsecond): a request answered from memory in the transaction that
     * changed it shows what a read of it shows afterwards.
     */
    private static Instant kept(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MICROS);
    }

    /** The subject's identity was verified (by staff, or by the emailed code, which is then spent). */
    public void verified(String by, Instant at) {
        if (state != RequestState.RECEIVED && state != RequestState.IDENTITY_UNVERIFIED) {
            throw new IllegalStateException("request " + id + " is " + state + ": its identity is not waiting to be verified");
        }
        verifiedBy = by;
        verifiedAt = kept(at);
        codeHash = null;
    }

    /** The one-time code mailed to the subject, as its hash, and until when it may be entered. */
    public void codeSent(String hash, Instant expiresAt) {
        codeHash = hash;
        codeExpiresAt = expiresAt;
    }

    /** Counts a wrong code; returns how many have been entered. */
    public int codeRejected() {
        return ++codeAttempts;
    }

    /** Nothing more will be mailed: the sealed address, any corrections and a code still valid are dropped. */
    public void forgetPersonalData() {
        emailSealed = null;
        detailsSealed = null;
        codeHash = null;
    }

    /** What the subject is told the request came to (the reasons of a partial completion, a rejection's ground). */
    public void outcome(String outcome) {
        this.outcome = RequestRecords.truncate(outcome);
    }

    /** Another request of the same type for the same subject is already running: this one closes as its duplicate. */
    void duplicateOf(String running) {
        duplicateOf = running;
        outcome("a request of the same type is already running");
    }

    /** The one extension the law allows, with the reason the subject is given; returns the new due date. */
    public Instant extend(Integer months, Integer days, String reason, Instant now) {
        Instant extended = extendedDue(months, days, now);
        dueAt = extended;
        extendedReason = reason;
        return extended;
    }

    /**
     * The one extension the request's law allows (GDPR: up to two further months; CCPA: 45 days), refused once extended,
     * and after the original due date: the subject must be told within the first period.
     */
    public Instant extendedDue(Integer months, Integer days, Instant now) {
        if (!state.isOpen()) {
            throw ProblemException.conflict("Request " + id + " is " + state + ": only an open request can be extended.");
        }
        if (extendedReason != null) {
            throw ProblemException.conflict("Request " + id + " was already extended (to " + dueAt + "); " + regime.label + " allows one extension"
                    + (regime == Regime.CCPA ? " of " + Regime.CCPA_DAYS + " days." : " of at most two months."));
        }
        Instant extended = regime.extendedDue(type, originalDueAt, months, days);
        if (now.isAfter(originalDueAt)) {
            throw ProblemException.conflict("The first period ended on " + originalDueAt + "; an extension must be notified before then.");
        }
        return extended;
    }

    /** As {@link #extendedDue(Integer, Integer, Instant)} by months (GDPR, UK GDPR). */
    Instant extendedDue(int months, Instant now) {
        return extendedDue(months, null, now);
    }

    public String id() {
        return id;
    }

    public RequestType type() {
        return type;
    }

    public Regime regime() {
        return regime;
    }

    public String channel() {
        return channel;
    }

    public RequestState state() {
        return state;
    }

    public String subjectHash() {
        return subjectHash;
    }

    /** The subject's address, sealed; null once the request no longer needs it. */
    public String emailSealed() {
        return emailSealed;
    }

    /** A rectification's corrections, sealed; null when none or dropped. */
    public String detailsSealed() {
        return detailsSealed;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public Instant dueAt() {
        return dueAt;
    }

    public Instant originalDueAt() {
        return originalDueAt;
    }

    public String extendedReason() {
        return extendedReason;
    }

    public String verifiedBy() {
        return verifiedBy;
    }

    public Instant verifiedAt() {
        return verifiedAt;
    }

    public Instant completedAt() {
        return completedAt;
    }

    public String duplicateOf() {
        return duplicateOf;
    }

    public String outcome() {
        return outcome;
    }

    public String codeHash() {
        return codeHash;
    }

    public Instant codeExpiresAt() {
        return codeExpiresAt;
    }

    public int codeAttempts() {
        return codeAttempts;
    }

    /** The language the subject made the request in (null: none given, mail goes in English). */
    public String language() {
        return language;
    }

    public Instant escalatedDueAt() {
        return escalatedDueAt;
    }
}
