package io.guestbridge.launcher;

import io.guestbridge.tlog.AuditEntry;
import io.guestbridge.tlog.Canonical;
import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.MerkleTree;
import io.guestbridge.tlog.NoteKey;
import io.guestbridge.tlog.RequestCertificate;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command on certificate files in the README's JSON format: a genuine one is valid, one with an edited outcome, a
 * forged proof or the wrong key is not (exit 1, naming what fails), a file that is no certificate is bad input (exit 2).
 */
class VerifyCertificateTest {

    private static final String ORIGIN = "guestbridge.test/audit";
    private static final NoteKey LOG = NoteKey.signer(NoteKey.generate(ORIGIN));
    private static final String REQUEST = "privacy-request:5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aGenuineCertificateIsValid() throws IOException {
        assertEquals(VerifyAudit.OK, verify(json(certificate()), LOG.verifierKey()), err.toString());
        assertTrue(out.toString().contains("certificate valid: ERASURE request " + REQUEST), out.toString());
    }

    @Test
    void anEditedOutcomeIsNotValid() throws IOException {
        String edited = json(certificate()).replace("\"outcome\":\"FAILED\"", "\"outcome\":\"CONFIRMED\"");
        assertEquals(VerifyAudit.FAILED, verify(edited, LOG.verifierKey()));
        assertTrue(out.toString().contains("NOT valid: the certificate was altered after it was signed"), out.toString());
    }

    @Test
    void aForgedProofIsNotValid() throws IOException {
        RequestCertificate genuine = certificate();
        String firstHash = Base64.getEncoder().encodeToString(genuine.records().get(0).auditPath().get(0));
        String forged = json(genuine).replaceFirst(java.util.regex.Pattern.quote(firstHash),
                Base64.getEncoder().encodeToString(MerkleTree.leafHash("forged".getBytes(StandardCharsets.UTF_8))));
        assertEquals(VerifyAudit.FAILED, verify(forged, LOG.verifierKey()));
        assertTrue(out.toString().contains("does not reach the root of the checkpoint"), out.toString());
    }

    @Test
    void anotherKeyDoesNotValidateIt() throws IOException {
        assertEquals(VerifyAudit.FAILED, verify(json(certificate()), NoteKey.signer(NoteKey.generate(ORIGIN)).verifierKey()));
        assertTrue(out.toString().contains("signature does not verify"), out.toString());
    }

    @Test
    void aFileThatIsNoCertificateIsBadInput() throws IOException {
        assertEquals(VerifyAudit.BAD_INPUT, verify("{\"records\":[]}", LOG.verifierKey()));
        assertTrue(err.toString().contains("not a privacy request certificate"), err.toString());
    }

    private int verify(String certificate, String key) throws IOException {
        Path file = Files.writeString(dir.resolve("certificate.json"), certificate);
        Path keyFile = Files.writeString(dir.resolve("audit-verifier.key"), key + "\n");
        return VerifyCertificate.run(file, keyFile, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** A log of 9 records, records 2, 5 and 9 about the request, proven against the checkpoint of tree size 9. */
    private static RequestCertificate certificate() {
        List<String> entries = new ArrayList<>();
        for (int seq = 1; seq <= 9; seq++) {
            boolean ours = seq == 2 || seq == 5 || seq == 9;
            entries.add(new AuditEntry(seq, Instant.parse("2026-11-25T08:00:00.123456Z").plusSeconds(seq), "system:privacy", "PRIVACY_STEP_CONFIRMED",
                    "privacy", ours ? REQUEST : "guest:g-" + seq, Canonical.json(Map.of("system", "crm")), AuditEntry.GENESIS).canonical());
        }
        Map<MerkleTree.Node, byte[]> stored = new HashMap<>(MerkleTree.append(0,
                entries.stream().map(e -> MerkleTree.leafHash(e.getBytes(StandardCharsets.UTF_8))).toList(), Map.of()));
        MerkleTree.Nodes nodes = wanted -> {
            Map<MerkleTree.Node, byte[]> found = new HashMap<>();
            wanted.forEach(node -> found.put(node, stored.get(node)));
            return found;
        };
        List<RequestCertificate.ProvenRecord> records = new ArrayList<>();
        for (long seq : new long[]{2, 5, 9}) {
            records.add(new RequestCertificate.ProvenRecord(seq, entries.get((int) seq - 1), MerkleTree.inclusion(seq - 1, 9, nodes)));
        }
        String checkpoint = LOG.sign(new Checkpoint(ORIGIN, 9, MerkleTree.root(9, nodes)).text());
        return new RequestCertificate(REQUEST, "ERASURE", "PARTIALLY_COMPLETED", Instant.parse("2026-11-25T08:00:00.5Z"),
                Instant.parse("2026-11-25T08:00:09Z"), List.of(
                new RequestCertificate.SystemOutcome("hubspot-main", "CONFIRMED", RequestCertificate.evidenceHash("status 204")),
                new RequestCertificate.SystemOutcome("warehouse", "FAILED", RequestCertificate.evidenceHash("refused: 403"))),
                records, checkpoint, null).signedBy(LOG);
    }

    /** The certificate as the README documents it (and the server writes it). */
    private static String json(RequestCertificate c) {
        JsonArrayBuilder systems = Json.createArrayBuilder();
        c.systems().forEach(s -> systems.add(Json.createObjectBuilder().add("system", s.system()).add("outcome", s.outcome())
                .add("evidenceSha256", s.evidenceHash())));
        JsonArrayBuilder records = Json.createArrayBuilder();
        for (RequestCertificate.ProvenRecord r : c.records()) {
            JsonArrayBuilder path = Json.createArrayBuilder();
            r.auditPath().forEach(h -> path.add(Base64.getEncoder().encodeToString(h)));
            records.add(Json.createObjectBuilder().add("sequence", r.sequence()).add("leafEntry", r.leafEntry()).add("auditPath", path));
        }
        return Json.createObjectBuilder().add("format", VerifyCertificate.FORMAT).add("request", c.request()).add("type", c.type())
                .add("state", c.state()).add("receivedAt", c.receivedAt().toString()).add("completedAt", c.completedAt().toString())
                .add("systems", systems).add("auditRecords", records).add("checkpoint", c.checkpoint()).add("signature", c.signature())
                .add("verifierKey", LOG.verifierKey()).build().toString();
    }
}
