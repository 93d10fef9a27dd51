package io.guestbridge.privacy.internal;

import io.guestbridge.platform.api.ProblemException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * One data-subject request as stored, with the rules of its clock and its states. No personal data:
 * the email and any corrections stay sealed in the table and are opened only by the steps that need them.
 */
record PrivacyRequest(String id, RequestType type, String channel, RequestState state, String subjectHash, Instant receivedAt,
                      Instant dueAt, Instant originalDueAt, String extendedReason, String verifiedBy, Instant verifiedAt,
                      Instant completedAt, String duplicateOf, String outcome, String codeHash, Instant codeExpiresAt, int codeAttempts) {

    /** Art. 12(3): one month from receipt. */
    static Instant dueFor(Instant received) {
        return LocalDateTime.ofInstant(received, ZoneOffset.UTC).plusMonths(1).toInstant(ZoneOffset.UTC);
    }

    long daysLeft(Instant now) {
        return Math.max(0, ChronoUnit.DAYS.between(LocalDate.ofInstant(now, ZoneOffset.UTC), LocalDate.ofInstant(dueAt, ZoneOffset.UTC)));
    }

    boolean overdue(Instant now) {
        return state.isOpen() && now.isAfter(dueAt);
    }

    /** Refuses a move the state machine does not allow, with a reason a person can act on. */
    void requireMove(RequestState next) {
        if (!state.canMoveTo(next)) {
            throw ProblemException.conflict("Request " + id + " is " + state + "; it cannot become " + next + ".");
        }
    }

    /**
     * Art. 12(3): the period may be extended by up to two further months, and the subject must be told
     * within the first month; so an extension is refused after the original due date and beyond two months in all.
     */
    Instant extendedDue(int months, Instant now) {
        if (!state.isOpen()) {
            throw ProblemException.conflict("Request " + id + " is " + state + ": only an open request can be extended.");
        }
        if (extendedReason != null) {
            throw ProblemException.conflict("Request " + id + " was already extended (to " + dueAt + "); the law allows one extension of at most two months.");
        }
        if (months < 1 || months > 2) {
            throw ProblemException.invalid("months must be 1 or 2 (Art. 12(3) allows up to two further months).");
        }
        if (now.isAfter(originalDueAt)) {
            throw ProblemException.conflict("The first month ended on " + originalDueAt + "; an extension must be notified before then.");
        }
        return LocalDateTime.ofInstant(originalDueAt, ZoneOffset.UTC).plusMonths(months).toInstant(ZoneOffset.UTC);
    }
}
