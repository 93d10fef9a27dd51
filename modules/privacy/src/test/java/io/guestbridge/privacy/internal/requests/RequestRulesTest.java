package io.guestbridge.privacy.internal.requests;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of requests that need no server: the state machine, the statutory clock, corrections, CSV quoting. */
class RequestRulesTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-31T10:00:00Z");

    @Test
    void nothingRunsBeforeVerificationAndEndedRequestsStayEnded() {
        assertFalse(RequestState.IDENTITY_UNVERIFIED.canMoveTo(RequestState.IN_PROGRESS), "no step before the identity is verified");
        assertFalse(RequestState.RECEIVED.canMoveTo(RequestState.IN_PROGRESS));
        assertTrue(RequestState.VERIFIED.canMoveTo(RequestState.AWAITING_APPROVAL));
        assertFalse(RequestState.IN_PROGRESS.canMoveTo(RequestState.CANCELLED), "an erasure under way cannot be undone by cancelling");
        for (RequestState end : new RequestState[]{RequestState.COMPLETED, RequestState.PARTIALLY_COMPLETED, RequestState.REJECTED,
                RequestState.CANCELLED, RequestState.EXPIRED}) {
            assertFalse(end.isOpen());
            for (RequestState next : RequestState.values()) {
                assertFalse(end.canMoveTo(next), end + " -> " + next);
            }
        }
        ProblemException refused = assertThrows(ProblemException.class, () -> request(RequestState.COMPLETED, null).requireMove(RequestState.IN_PROGRESS));
        assertEquals(ProblemType.CONFLICT, refused.type());
    }

    @Test
    void aRequestMovesOnlyAsItsStateMachineAllowsAndAnEndingMoveStampsTheCompletion() {
        PrivacyRequest request = PrivacyRequest.received("5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11", RequestType.ERASURE, Regime.GDPR, "STAFF", "h",
                "sealed", null, RECEIVED, null);
        assertEquals(RequestState.RECEIVED, request.state());
        assertEquals(PrivacyRequest.dueFor(RECEIVED), request.dueAt());
        assertEquals(request.dueAt(), request.originalDueAt());
        assertEquals(ProblemType.CONFLICT, assertThrows(ProblemException.class, () -> request.moveTo(RequestState.IN_PROGRESS, RECEIVED)).type(),
                "no step before the identity is verified");
        assertEquals(RequestState.RECEIVED, request.state(), "a refused move changes nothing");

        request.verified("staff member", RECEIVED);
        assertEquals(RequestState.RECEIVED, request.moveTo(RequestState.VERIFIED, RECEIVED), "the move says where it came from");
        assertThrows(IllegalStateException.class, () -> request.verified("someone else", RECEIVED), "verified once");
        request.moveTo(RequestState.IN_PROGRESS, RECEIVED);
        assertNull(request.completedAt());
        Instant done = RECEIVED.plusSeconds(60);
        request.outcome("every system confirmed");
        request.moveTo(RequestState.COMPLETED, done);
        assertEquals(done, request.completedAt());
        assertEquals("every system confirmed", request.outcome());
        assertEquals(ProblemType.CONFLICT, assertThrows(ProblemException.class, () -> request.moveTo(RequestState.IN_PROGRESS, done)).type(),
                "an ended request stays ended");

        request.forgetPersonalData();
        assertNull(request.emailSealed(), "after the last notice nothing can be mailed");
    }

    @Test
    void anExtensionMovesTheDueDateOnceAndAWrongCodeIsCounted() {
        PrivacyRequest open = request(RequestState.IN_PROGRESS, null);
        Instant extended = open.extend(2, null, "archives to search", Instant.parse("2026-02-20T00:00:00Z"));
        assertEquals(Instant.parse("2026-04-28T10:00:00Z"), extended);
        assertEquals(extended, open.dueAt());
        assertEquals(PrivacyRequest.dueFor(RECEIVED), open.originalDueAt(), "the first period stays what the subject was told");
        assertEquals(ProblemType.CONFLICT, assertThrows(ProblemException.class,
                () -> open.extend(1, null, "again", Instant.parse("2026-02-21T00:00:00Z"))).type(), "one extension only");
        assertEquals(extended, open.dueAt());

        PrivacyRequest unverified = request(RequestState.IDENTITY_UNVERIFIED, null);
        unverified.codeSent("hash", RECEIVED.plusSeconds(900));
        assertEquals(1, unverified.codeRejected());
        assertEquals(2, unverified.codeRejected());
        unverified.verified("emailed one-time code", RECEIVED);
        assertNull(unverified.codeHash(), "a code is spent once it verified the subject");
    }

    @Test
    void theClockIsOneMonthAndOneExtensionOfAtMostTwoMonthsNotifiedInTime() {
        assertEquals(Instant.parse("2026-02-28T10:00:00Z"), PrivacyRequest.dueFor(RECEIVED), "one calendar month, clamped to February's end");
        PrivacyRequest open = request(RequestState.IN_PROGRESS, null);
        assertEquals(Instant.parse("2026-04-28T10:00:00Z"), open.extendedDue(2, Instant.parse("2026-02-20T00:00:00Z")));
        assertEquals(ProblemType.VALIDATION, assertThrows(ProblemException.class, () -> open.extendedDue(3, RECEIVED)).type());
        assertEquals(ProblemType.CONFLICT, assertThrows(ProblemException.class, () -> open.extendedDue(1, Instant.parse("2026-03-01T00:00:00Z"))).type(),
                "too late: the subject must be told within the first month");
        assertEquals(ProblemType.CONFLICT, assertThrows(ProblemException.class,
                () -> request(RequestState.IN_PROGRESS, "archives").extendedDue(1, RECEIVED)).type(), "one extension only");
        assertEquals(28, open.daysLeft(RECEIVED));
        assertTrue(open.overdue(Instant.parse("2026-03-01T00:00:00Z")));
        assertFalse(request(RequestState.COMPLETED, null).overdue(Instant.parse("2026-03-01T00:00:00Z")), "an ended request is never overdue");
    }

    @Test
    void correctionsAcceptPersonFieldsOnly() {
        assertEquals("{\"LAST_NAME\":\"Smith\"}", Corrections.parse(Map.of("lastName", "  Smith ")));
        assertEquals("{\"BIRTH_DATE\":\"1990-02-01\"}", Corrections.parse(Map.of("birth_date", "1990-02-01")));
        assertThrows(ProblemException.class, () -> Corrections.parse(Map.of("email", "new@example.com")), "the email is how the person is found");
        assertThrows(ProblemException.class, () -> Corrections.parse(Map.of("lastVenue", "Somewhere")), "behavioural fields come from systems");
        assertThrows(ProblemException.class, () -> Corrections.parse(Map.of("lastName", "x\u0000y")));
        assertThrows(ProblemException.class, () -> Corrections.parse(Map.of()));
        assertThrows(ProblemException.class, () -> Corrections.forType(RequestType.ERASURE, Map.of("lastName", "Smith")));
        assertEquals(null, Corrections.forType(RequestType.ACCESS, null));
    }

    private static PrivacyRequest request(RequestState state, String extendedReason) {
        Instant due = PrivacyRequest.dueFor(RECEIVED);
        return new PrivacyRequest("5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11", RequestType.ERASURE, Regime.GDPR, "STAFF", state, "h", RECEIVED, due, due, extendedReason,
                null, null, null, null, null, null, null, 0);
    }
}
