package io.guestbridge.audit.api;

/** Appends to the audit trail. */
public interface AuditTrail {

    /**
     * Appends one record. Joins the caller's transaction (and refuses to run without one), so the
     * record exists exactly when the change it describes was committed. Writers are serialised on the
     * head of the chain until they commit: record at the end of a transaction, not at its start.
     */
    AuditReceipt record(AuditEvent event);

    /** Where a record landed in the chain. */
    record AuditReceipt(long sequence, String hash) {
    }
}
