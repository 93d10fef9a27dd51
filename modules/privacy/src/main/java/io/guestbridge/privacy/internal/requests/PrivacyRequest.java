package io.guestbridge.privacy.internal.requests;

import io.guestbridge.platform.api.ProblemException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * One data-subject request as stored, with the rules of its clock and its states. No personal data:
 * the email and any corrections stay sealed in the table and are opened only by the steps that need them.
 */
public record PrivacyRequest(String id, RequestType type, Regime regime, String channel, RequestState state, String subjectHash, Instant receivedAt,
                             Instant dueAt, Instant originalDueAt, String extendedReason, String verifiedBy, Instant verifiedAt,
                             Instant completedAt, String duplicateOf, String outcome, String codeHash, Instant codeExpiresAt, int codeAttempts) {

    /** The channels a request comes in by: staff took it on the subject's behalf, or the subject used the portal. */
    public static final String STAFF = "STAFF";
    public static final String PORTAL = "PORTAL";
    /** Erasures the retention policy starts itself (inactive profiles): nobody to verify, nobody to mail. */
    public static final String RETENTION = "RETENTION";

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
}
