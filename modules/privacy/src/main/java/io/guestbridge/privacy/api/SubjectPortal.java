package io.guestbridge.privacy.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
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

    /** The rights a subject can exercise, with the provision that gives them; which apply depends on the law ({@link #rights()}). */
    enum Right {
        /** Art. 17. */
        ERASURE,
        /** Art. 15 and 20. */
        ACCESS,
        /** Art. 16: the subject names the fields and their new values. */
        RECTIFICATION,
        /** Art. 21: no more direct marketing. */
        OBJECTION,
        /** CCPA: no more sale or sharing of the subject's personal information (with sponsors). */
        OPT_OUT
    }

    /** The rights requests made here are taken for: those of the law portal requests are answered under. */
    List<Right> rights();

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
     * firstName, lastName, phone, birthDate, gender) only for a rectification. The code and every notice about the request are
     * mailed in {@code language} where the module writes it (English and French; null or another language: English).
     *
     * @return the request's id, the requester's reference
     */
    String submit(Right right, String email, Map<String, String> corrections, Locale language, String clientAddress);

    /** Checks an entered code; wrong codes count against the request's attempts and the client address's limit. */
    CodeCheck verify(String requestId, String code, String clientAddress);

    /** Where a request stands. */
    Optional<RequestStatus> status(String requestId);

    /**
     * The access export behind a one-time link, as JSON: the link is spent by this call. Empty for an unknown,
     * used or expired link (one answer for all three); such tries count against the client address's limit.
     */
    Optional<String> takeExport(String token, String clientAddress);

    /** Why a subject proves an address without making a new request. */
    enum Purpose {
        /** To see where a request stands, by its reference. */
        FOLLOW,
        /** To see and withdraw the consents given with the address. */
        CONSENT
    }

    /** One system's part of a request, as its requester may see it; {@code keptBecause} only for data kept under Art. 17(3). */
    record SystemStep(String system, String state, Instant doneAt, Instant dueAt, String keptBecause) {
    }

    /** A request in full, for its requester: its clock, its extension and why, each system's step, the outcome. No personal data. */
    record RequestDetail(String id, Right right, String state, Instant receivedAt, Instant dueAt, boolean extended, String extendedReason,
                         Instant completedAt, String outcome, List<SystemStep> steps) {
    }

    /**
     * A consent purpose of the subject as the ledger holds it: the decision in force and the record it comes from (when, through
     * which channel, with what evidence of how it was collected), and the exact wording the subject was shown, when one was.
     */
    record ConsentOnRecord(String purpose, String decision, Instant capturedAt, String channel, Map<String, String> evidence, String wordingId,
                           String wordingVersion, String wordingLanguage, String wordingText, boolean withdrawable) {
    }

    /**
     * Starts a proof that {@code email} is the subject's: a one-time code is mailed to it, in {@code language}, when it may see what
     * {@code purpose} shows (for {@link Purpose#FOLLOW}, only when the address is the one request {@code requestId} was made with,
     * matched by the keyed hash the request keeps). The answer is the same in every case: an id to enter the code against. Counts
     * against the same limits as {@link #submit}.
     */
    String challenge(Purpose purpose, String requestId, String email, Locale language, String clientAddress);

    /** Checks the code of a proof; wrong codes count as they do for requests. {@code request} of the answer stays empty. */
    CodeCheck confirm(String challengeId, String code, String clientAddress);

    /** The request a proof of {@link Purpose#FOLLOW} was for, while the proof is fresh; empty otherwise. */
    Optional<RequestDetail> follow(String challengeId);

    /** The subject's consents, one per purpose, while a proof of {@link Purpose#CONSENT} is fresh; empty when it is not. */
    Optional<List<ConsentOnRecord>> consents(String challengeId);

    /**
     * Withdraws a consent in force through the consent ledger (which audits it and queues the CRMs' update), while a proof of
     * {@link Purpose#CONSENT} is fresh. False when the proof is not fresh or nothing was in force for the purpose.
     */
    boolean withdraw(String challengeId, String purpose);
}
