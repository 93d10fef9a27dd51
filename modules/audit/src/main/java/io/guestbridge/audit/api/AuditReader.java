package io.guestbridge.audit.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads and verifies the audit trail for compliance, for channels other than the JSON API (the console): the same
 * queries and the same verification as the audit API, the verification recorded in the trail with the person who
 * asked for it. Callers check that the person may read the trail (compliance officers).
 */
public interface AuditReader {

    /** What to find; every field optional; {@code from} inclusive, {@code to} exclusive. */
    record Filter(String subject, String actor, String action, String module, Instant from, Instant to) {
    }

    /** One record as it is chained: no personal data by construction of the trail. */
    record Entry(long sequence, Instant occurredAt, String actor, String action, String module, String subject, Map<String, String> details,
                 String previousHash, String hash) {
    }

    /** A page of entries in sequence order, and the cursor of the next one (null on the last page). */
    record Page(List<Entry> entries, String nextCursor) {
    }

    /** The result of checking every record's hash and link from the first to the head. */
    record Verification(boolean intact, long checkedRecords, long headSequence, Long firstBrokenSequence, String firstBrokenReason) {
    }

    /** The chain's head and the latest verification anyone ran (null when none has), for a status at a glance. */
    record ChainStatus(long headSequence, Entry lastVerification) {
    }

    /** {@code limit} 1 to 1000. */
    Page find(Filter filter, String cursor, int limit);

    /** Reads the status without verifying: cheap enough for every overview, however long the trail. */
    ChainStatus status();

    /** Verifies the whole chain and records that {@code actor} did (AUDIT_CHAIN_VERIFIED). */
    Verification verify(String actor);
}
