package io.guestbridge.ingestion.api;

import io.guestbridge.platform.api.Roles;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Quarantined events for channels other than the JSON API (the console): the same reads, the same replay and
 * discard, the same checks and audit records as the management API's quarantine resource, which allows the same
 * role ({@link #ROLES}). Every call names the person acting (their audit actor) and their roles; one without an
 * allowed role is refused with a forbidden {@code ProblemException} before anything happens.
 */
public interface QuarantineDesk {

    /** The roles the quarantine's API allows. */
    Set<String> ROLES = Set.of(Roles.OPERATOR);

    /** A quarantined event without its payload: no personal data. */
    record Quarantined(long id, String sourceId, Instant receivedAt, String reason, int bytes) {
    }

    /** A quarantined event with its payload's structure; personal values masked. */
    record Inspection(Quarantined item, JsonValue maskedPayload) {
    }

    /** How many events wait in quarantine; for anyone with a console role (a count holds no personal data). */
    long count();

    /** Oldest first, after the id {@code after} (0 to start); {@code limit} 1 to 500. */
    List<Quarantined> list(long after, int limit, String actor, Set<String> roles);

    /** Audited (QUARANTINE_INSPECTED). */
    Inspection inspect(long id, String actor, Set<String> roles);

    /**
     * Processes the event again, with {@code corrected} (one JSON object, at most 1 MB) replacing the stored payload
     * when given. Audited (QUARANTINE_REPLAYED, whether corrected).
     */
    void replay(long id, byte[] corrected, String actor, Set<String> roles);

    /** Deletes the payload; the row keeps the reason (1 to 300 characters, no personal data). Audited (QUARANTINE_DISCARDED). */
    void discard(long id, String reason, String actor, Set<String> roles);
}
