package io.guestbridge.audit.api;

import io.guestbridge.platform.api.ProblemException;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reads and verifies the audit trail for compliance, for channels other than the JSON API (the console): the same
 * queries and the same verification as the audit API, the verification recorded in the trail with the person who
 * asked for it. Callers check that the person may read the trail (compliance officers).
 */
public interface AuditReader {

    /** A filter field holds at most this many values: a longer list is a different question (narrow it, or export in parts). */
    int MAX_VALUES = 20;

    /**
     * What to find: a record matches when it has one of the values of every field given (an empty list: any), from
     * {@code from} inclusive to {@code to} exclusive (null: unbounded). More than {@link #MAX_VALUES} values in a field
     * is refused with an invalid {@code ProblemException}.
     */
    record Filter(List<String> subjects, List<String> actors, List<String> actions, List<String> modules, Instant from, Instant to) {

        public Filter {
            subjects = values("subject", subjects);
            actors = values("actor", actors);
            actions = values("action", actions);
            modules = values("module", modules);
        }

        /** Blank values dropped, each value stripped, repeats removed in order. */
        private static List<String> values(String field, List<String> given) {
            if (given == null) {
                return List.of();
            }
            List<String> values = given.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).distinct().toList();
            if (values.size() > MAX_VALUES) {
                throw ProblemException.invalid(field + ": at most " + MAX_VALUES + " values, " + values.size() + " given; narrow the filter "
                        + "(a time range, fewer values) and ask again");
            }
            return values;
        }
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
