package io.guestbridge.privacy.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a data subject can do without an account: ask, prove the address is theirs with the mailed one-time
 * code, see where the request stands, take the access export once. The one way in for every channel the
 * subject uses (the JSON portal and the privacy center's pages), so intake, its limits and verification exist once.
 *
 * <p>Answers are the same whether or not the email is known, so no caller can learn who is a guest. Input that
 * cannot be taken and limits that are reached are refused with a {@code ProblemException} (validation, or
 * rate-limited with {@code retryAfterSeconds}), which each channel shows in its own way.
 */
public interface SubjectPortal {

    /** The rights a subject can exercise here, with the GDPR article that gives them. */
    enum Right {
        /** Art. 17. */
        ERASURE,
        /** Art. 15 and 20. */
        ACCESS,
        /** Art. 16: the subject names the fields and their new values. */
        RECTIFICATION,
        /** Art. 21: no more direct marketing. */
        OBJECTION
    }

    /** Where a request stands, as its requester may see it: no personal data. {@code state} is the request's state name. */
    record RequestStatus(String id, Right right, String state, Instant dueAt) {
    }

    /** What entering a code did. */
    enum CodeOutcome {
        /** The request is confirmed and runs (or waits for approval, or was closed as a duplicate: see its state). */
        VERIFIED,
        /** Not the code; {@code attemptsLeft} more tries before the request is closed. */
        WRONG_CODE,
        /** The code expired before it was entered: the request is closed. */
        EXPIRED,
        /** The last attempt was wrong: the request is closed. */
        TOO_MANY_WRONG_CODES,
        /** The request is not waiting for a code (already confirmed, or closed). */
        NOT_WAITING,
        /** The mail with the code has not gone out yet: try again in a minute. */
        CODE_NOT_SENT_YET,
        /** No such request. */
        UNKNOWN_REQUEST
    }

    /** The result of entering a code; {@code request} is present once verified. */
    record CodeCheck(CodeOutcome outcome, int attemptsLeft, Optional<RequestStatus> request) {
    }

    /**
     * Takes a request and mails a one-time code to the address; nothing runs until it comes back. Counts
     * against the limits per email and per client address. {@code corrections} (field name to new value:
     * firstName, lastName, phone, birthDate, gender) only for a rectification.
     *
     * @return the request's id, the requester's reference
     */
    String submit(Right right, String email, Map<String, String> corrections, String clientAddress);

    /** Checks an entered code; wrong codes count against the request's attempts and the client address's limit. */
    CodeCheck verify(String requestId, String code, String clientAddress);

    /** Where a request stands. */
    Optional<RequestStatus> status(String requestId);

    /**
     * The access export behind a one-time link, as JSON: the link is spent by this call. Empty for an unknown,
     * used or expired link (one answer for all three); such tries count against the client address's limit.
     */
    Optional<String> takeExport(String token, String clientAddress);
}
