/**
 * The audit log's verifiable form, in plain Java with no server, database or library: the record's
 * canonical entry ({@link io.guestbridge.tlog.AuditEntry}), the RFC 9162 Merkle tree, C2SP signed notes
 * and checkpoints, and the verifiers that hold records to their chain and to signed checkpoints. The audit
 * module builds and serves the log with it; the launcher's {@code verify-audit} checks an export with it offline.
 */
package io.guestbridge.tlog;
