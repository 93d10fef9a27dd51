package io.guestbridge.audit.api;

import java.time.Instant;

/** Appends to the audit trail. */
public interface AuditTrail {

    /**
     * Appends one record. Joins the caller's transaction (and refuses to run without one), so the
     * record exists exactly when the change it describes was committed. No lock is shared with other
     * writers: the record is numbered after the commit, by the audit log's sequencer, and only then
     * appears in the trail's queries, proofs and checkpoints.
     */
    AuditReceipt record(AuditEvent event);

    /**
     * Appends many records, as {@link #record} does each (same transaction, one record per event, each found by its
     * subject): one call through the container's interceptors for a whole batch instead of one per record.
     */
    default void recordAll(java.util.List<AuditEvent> events) {
        events.forEach(this::record);
    }

    /** The record was written in the caller's transaction at this instant; its sequence number comes after the commit. */
    record AuditReceipt(Instant occurredAt) {
    }
}
