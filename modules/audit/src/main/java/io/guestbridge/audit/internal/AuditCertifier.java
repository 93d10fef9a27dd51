package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditCertificates;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.MerkleTree;
import io.guestbridge.tlog.NoteKey;
import io.guestbridge.tlog.RequestCertificate;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds certificates from the stored tree and the latest signed checkpoint. Reads only: numbered records, stored
 * complete subtrees and checkpoints never change, so no transaction is needed and nothing waits on the sequencer.
 */
@ApplicationScoped
public class AuditCertifier implements AuditCertificates {

    /** The sequencer numbers a batch and signs a checkpoint within about a second under load; asking sooner is wasted. */
    static final int RETRY_AFTER_SECONDS = 2;
    /** A privacy request leaves tens of records; a subject with more than this is not one this certificate is for. */
    static final int MAX_RECORDS = 1_000;
    static final String FORMAT = "guestbridge-privacy-request-certificate/1";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditLogKey key;

    @Override
    public String certify(String subject, Facts facts) {
        NoteKey signer = key.signer().orElseThrow(() -> new ProblemException(ProblemType.UNAVAILABLE, "Certificates are not issued on this "
                + "deployment: no audit signing key is configured (AUDIT_SIGNING_KEY_FILE), so there is no checkpoint to prove records against."));
        RequestCertificate certificate = Jdbc.inConnection(dataSource, "audit", c -> build(c, subject, facts, signer));
        Optional<String> fault = certificate.verify(NoteKey.verifier(signer.verifierKey()));
        if (fault.isPresent()) {
            throw new IllegalStateException("the certificate of " + subject + " would not verify, so it is not issued: " + fault.get());
        }
        return json(certificate, signer.verifierKey());
    }

    private static RequestCertificate build(Connection c, String subject, Facts facts, NoteKey signer) throws SQLException {
        long unnumbered = unnumbered(c, subject);
        if (unnumbered > 0) {
            throw notYet(unnumbered + " audit record(s) of " + subject + " are not numbered yet by the audit sequencer");
        }
        List<AuditRecord> records = numbered(c, subject);
        if (records.isEmpty()) {
            throw notYet("no audit record of " + subject + " is numbered yet");
        }
        if (records.size() > MAX_RECORDS) {
            throw ProblemException.conflict(subject + " has more than " + MAX_RECORDS + " audit records: too many for one certificate.");
        }
        long last = records.get(records.size() - 1).seq();
        Optional<String> note = checkpointCovering(c, last);
        if (note.isEmpty()) {
            throw notYet("no signed checkpoint covers audit record " + last + " of " + subject + " yet");
        }
        String checkpointNote = note.get();
        long treeSize = Checkpoint.parse(checkpointNote.substring(0, checkpointNote.indexOf("\n\n") + 1)).size();
        MerkleTree.Nodes nodes = TreeStore.on(c);
        List<RequestCertificate.ProvenRecord> proven = new ArrayList<>();
        for (AuditRecord record : records) {
            proven.add(new RequestCertificate.ProvenRecord(record.seq(), new String(record.leafEntry(), StandardCharsets.UTF_8),
                    MerkleTree.inclusion(record.seq() - 1, treeSize, nodes)));
        }
        List<RequestCertificate.SystemOutcome> systems = facts.systems().stream()
                .sorted(Comparator.comparing(SystemOutcome::system))
                .map(s -> new RequestCertificate.SystemOutcome(s.system(), s.outcome(), RequestCertificate.evidenceHash(s.evidence())))
                .toList();
        return new RequestCertificate(subject, facts.type(), facts.state(), facts.receivedAt(), facts.completedAt(), systems, proven,
                checkpointNote, null).signedBy(signer);
    }

    private static ProblemException notYet(String why) {
        return new ProblemException(ProblemType.CONFLICT, "The certificate cannot be issued yet: " + why + ". Records are numbered and "
                + "signed within seconds of their transaction; ask again in " + RETRY_AFTER_SECONDS + " seconds.",
                Map.of("retryAfterSeconds", RETRY_AFTER_SECONDS));
    }

    private static long unnumbered(Connection c, String subject) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM aud_pending WHERE subject_ref = ?")) {
            s.setString(1, subject);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<AuditRecord> numbered(Connection c, String subject) throws SQLException {
        List<AuditRecord> records = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT seq, prev_hash, occurred_at, actor, action, module, subject_ref, details "
                + "FROM aud_record WHERE subject_ref = ? ORDER BY seq LIMIT " + (MAX_RECORDS + 1))) {
            s.setString(1, subject);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    records.add(AuditRecord.numbered(rs.getLong(1), rs.getString(2), Jdbc.instant(rs, 3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return records;
    }

    /** The latest signed checkpoint, when its tree holds record {@code sequence}. */
    private static Optional<String> checkpointCovering(Connection c, long sequence) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT tree_size, note FROM aud_checkpoint ORDER BY tree_size DESC LIMIT 1");
             ResultSet rs = s.executeQuery()) {
            return rs.next() && rs.getLong(1) >= sequence ? Optional.of(rs.getString(2)) : Optional.empty();
        }
    }

    /** The certificate's JSON, as the README documents it; hashes in base64 as in checkpoints, evidence hashes in hex. */
    static String json(RequestCertificate certificate, String verifierKey) {
        JsonArrayBuilder systems = Json.createArrayBuilder();
        certificate.systems().forEach(s -> systems.add(Json.createObjectBuilder().add("system", s.system()).add("outcome", s.outcome())
                .add("evidenceSha256", s.evidenceHash())));
        JsonArrayBuilder records = Json.createArrayBuilder();
        for (RequestCertificate.ProvenRecord record : certificate.records()) {
            JsonArrayBuilder path = Json.createArrayBuilder();
            record.auditPath().forEach(hash -> path.add(Base64.getEncoder().encodeToString(hash)));
            records.add(Json.createObjectBuilder().add("sequence", record.sequence()).add("leafEntry", record.leafEntry()).add("auditPath", path));
        }
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("format", FORMAT)
                .add("request", certificate.request())
                .add("type", certificate.type())
                .add("state", certificate.state())
                .add("receivedAt", instant(certificate.receivedAt()))
                .add("completedAt", instant(certificate.completedAt()))
                .add("systems", systems)
                .add("auditRecords", records)
                .add("checkpoint", certificate.checkpoint())
                .add("signature", certificate.signature())
                .add("verifierKey", verifierKey);
        return json.build().toString();
    }

    private static String instant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
