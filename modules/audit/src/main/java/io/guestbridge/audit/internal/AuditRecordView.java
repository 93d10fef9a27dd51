package io.guestbridge.audit.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An audit record as the compliance API shows it. */
public record AuditRecordView(long sequence, Instant occurredAt, String actor, String action, String module,
                              String subject, Map<String, String> details, String previousHash, String hash) {

    static AuditRecordView of(AuditRecord r) {
        return new AuditRecordView(r.seq(), r.occurredAt(), r.actor(), r.action(), r.module(), r.subjectRef(),
                r.details(), r.prevHash(), r.hash());
    }

    /** A page of records and the cursor of the next page (absent on the last page). */
    public record Page(List<AuditRecordView> records, String nextCursor) {
    }
}
