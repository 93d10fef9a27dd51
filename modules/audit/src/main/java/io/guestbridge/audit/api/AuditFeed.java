package io.guestbridge.audit.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The numbered audit log as a feed other modules can follow (the guest change feed is one). Records
 * appear here only once the sequencer has numbered them, in sequence order with no gaps: a reader that
 * continues after the last number it saw misses nothing and sees nothing twice.
 */
public interface AuditFeed {

    /** Numbered records of {@code module} with one of {@code actions}, after {@code sequence}, in order, at most {@code limit}. */
    List<Entry> after(long sequence, String module, Set<String> actions, int limit);

    /** A numbered record: its sequence number, its subject and when it was written. */
    record Entry(long sequence, String subjectRef, Instant occurredAt) {
    }
}
