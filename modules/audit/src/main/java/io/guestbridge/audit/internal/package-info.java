/**
 * The audit log: records written unnumbered in the business transaction ({@link io.guestbridge.audit.internal.JdbcAuditTrail}),
 * the sequencer that numbers, chains and moves them into the log and appends them to the RFC 9162 Merkle tree and signs C2SP checkpoints
 * ({@link io.guestbridge.audit.internal.AuditSequencer}), the witness sinks, and the compliance endpoints that
 * query, prove and verify it (JPA and JDBC on the {@code aud_*} tables).
 */
package io.guestbridge.audit.internal;
