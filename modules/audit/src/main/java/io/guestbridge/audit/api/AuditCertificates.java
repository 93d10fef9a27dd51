package io.guestbridge.audit.api;

import java.time.Instant;
import java.util.List;

/**
 * Signed certificates of what was done about one audit subject (a privacy request), checkable offline with the
 * audit log's verifier key: the caller's facts, and every record about the subject with an RFC 9162 inclusion proof
 * against a signed checkpoint. The format is the README's "privacy request certificates".
 */
public interface AuditCertificates {

    /** How one system ended: its state's name, and the evidence it left (only its SHA-256 goes into the certificate). */
    record SystemOutcome(String system, String outcome, String evidence) {
    }

    /** What the certificate states about the subject; ids, states and times only. */
    record Facts(String type, String state, Instant receivedAt, Instant completedAt, List<SystemOutcome> systems) {
    }

    /**
     * The certificate as JSON, once every record about {@code subject} is numbered and a signed checkpoint covers them.
     * Until then a conflict {@code ProblemException} saying which is missing, with {@code retryAfterSeconds}; without a
     * signing key on this deployment an unavailable one. The certificate is checked against the verifier key before it
     * is returned: one that would not verify is never handed out.
     */
    String certify(String subject, Facts facts);
}
