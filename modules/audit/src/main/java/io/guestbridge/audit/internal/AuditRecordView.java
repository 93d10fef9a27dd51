package io.guestbridge.audit.internal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An audit record as the compliance API shows it. */
@Schema(name = "AuditRecord", requiredProperties = {"sequence", "occurredAt", "actor", "action", "module", "details", "hash"})
public record AuditRecordView(@Schema(type = SchemaType.INTEGER, format = "int64") long sequence, Instant occurredAt, String actor,
                              String action, String module,
                              @Schema(description = "Pseudonymous reference of what the record is about; absent for records about the system")
                              String subject,
                              Map<String, String> details,
                              @Schema(description = "Hash of the record before; absent on the first record") String previousHash,
                              String hash) {

    static AuditRecordView of(AuditRecord r) {
        return new AuditRecordView(r.seq(), r.occurredAt(), r.actor(), r.action(), r.module(), r.subjectRef(),
                r.details(), r.prevHash(), r.hash());
    }

    /** A page of records and the cursor of the next page (absent on the last page). */
    @Schema(name = "AuditRecordPage", requiredProperties = "records")
    public record Page(List<AuditRecordView> records, String nextCursor) {
    }
}
