package io.guestbridge.tlog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A certificate that holds is accepted, and each way of altering one is refused with a reason that names it: a
 * signature by another key, a changed outcome or evidence hash, a changed proof, a record of another request, a
 * checkpoint swapped for another one.
 */
class RequestCertificateTest {

    private static final String REQUEST = "privacy-request:7f3c";
    private static final int TREE_SIZE = 13;
    private static final long[] REQUEST_RECORDS = {3, 8, 11};

    private final NoteKey signer = NoteKey.signer(NoteKey.generate("log.test"));
    private final NoteKey verifier = NoteKey.verifier(signer.verifierKey());
    private List<String> entries;
    private Map<MerkleTree.Node, byte[]> stored;

    @BeforeEach
    void buildLog() {
        entries = new ArrayList<>();
        for (int seq = 1; seq <= TREE_SIZE; seq++) {
            boolean ours = seq == 3 || seq == 8 || seq == 11;
            entries.add(new AuditEntry(seq, Instant.parse("2026-12-01T10:00:00Z").plusSeconds(seq), "system:privacy",
                    ours ? "PRIVACY_STEP_CONFIRMED" : "GUEST_CREATED", ours ? "privacy" : "identity", ours ? REQUEST : "guest:" + seq,
                    Canonical.json(Map.of("n", Integer.toString(seq))), AuditEntry.GENESIS).canonical());
        }
        List<byte[]> leaves = entries.stream().map(e -> MerkleTree.leafHash(e.getBytes(StandardCharsets.UTF_8))).toList();
        stored = new HashMap<>(MerkleTree.append(0, leaves, Map.of()));
    }

    @Test
    void aCertificateAsIssuedVerifies() {
        assertEquals(Optional.empty(), issued(signer).verify(verifier));
    }

    @Test
    void aCertificateSignedByAnotherKeyIsRefused() {
        NoteKey other = NoteKey.signer(NoteKey.generate("log.test"));
        assertFailure(issued(other), "signature does not verify");
    }

    @Test
    void aChangedOutcomeIsRefused() {
        RequestCertificate genuine = issued(signer);
        List<RequestCertificate.SystemOutcome> systems = new ArrayList<>(genuine.systems());
        systems.set(1, new RequestCertificate.SystemOutcome("warehouse", "CONFIRMED", systems.get(1).evidenceHash()));
        assertFailure(with(genuine, systems, genuine.records(), genuine.checkpoint()), "altered after it was signed");
    }

    @Test
    void aChangedEvidenceHashIsRefused() {
        RequestCertificate genuine = issued(signer);
        List<RequestCertificate.SystemOutcome> systems = new ArrayList<>(genuine.systems());
        systems.set(0, new RequestCertificate.SystemOutcome("crm", "CONFIRMED", RequestCertificate.evidenceHash("status 204")));
        assertFailure(with(genuine, systems, genuine.records(), genuine.checkpoint()), "altered after it was signed");
    }

    @Test
    void aChangedCompletionTimeIsRefused() {
        RequestCertificate genuine = issued(signer);
        RequestCertificate changed = new RequestCertificate(genuine.request(), genuine.type(), genuine.state(), genuine.receivedAt(),
                genuine.completedAt().minusSeconds(86_400), genuine.systems(), genuine.records(), genuine.checkpoint(), genuine.signature());
        assertFailure(changed, "altered after it was signed");
    }

    @Test
    void aProofThatDoesNotReachTheRootIsRefused() {
        RequestCertificate genuine = issued(signer);
        List<RequestCertificate.ProvenRecord> records = new ArrayList<>(genuine.records());
        RequestCertificate.ProvenRecord second = records.get(1);
        List<byte[]> path = new ArrayList<>(second.auditPath());
        byte[] flipped = path.get(0).clone();
        flipped[5] ^= 1;
        path.set(0, flipped);
        records.set(1, new RequestCertificate.ProvenRecord(second.sequence(), second.leafEntry(), path));
        assertFailure(with(genuine, genuine.systems(), records, genuine.checkpoint()), "inclusion proof of record 8 does not reach the root");
    }

    @Test
    void aTruncatedProofIsRefused() {
        RequestCertificate genuine = issued(signer);
        List<RequestCertificate.ProvenRecord> records = new ArrayList<>(genuine.records());
        RequestCertificate.ProvenRecord first = records.get(0);
        records.set(0, new RequestCertificate.ProvenRecord(first.sequence(), first.leafEntry(), first.auditPath().subList(0, first.auditPath().size() - 1)));
        assertFailure(with(genuine, genuine.systems(), records, genuine.checkpoint()), "inclusion proof of record 3");
    }

    @Test
    void aChangedRecordIsRefused() {
        RequestCertificate genuine = issued(signer);
        List<RequestCertificate.ProvenRecord> records = new ArrayList<>(genuine.records());
        RequestCertificate.ProvenRecord last = records.get(2);
        records.set(2, new RequestCertificate.ProvenRecord(last.sequence(), last.leafEntry().replace("PRIVACY_STEP_CONFIRMED", "PRIVACY_STEP_FAILED"),
                last.auditPath()));
        assertFailure(with(genuine, genuine.systems(), records, genuine.checkpoint()), "altered after it was signed");
    }

    @Test
    void aRecordOfAnotherSubjectIsRefusedEvenWhenSigned() {
        RequestCertificate certificate = certificate(new long[]{3, 5}, checkpointNote(signer, TREE_SIZE)).signedBy(signer);
        assertFailure(certificate, "record 5 is about 'guest:5'");
    }

    @Test
    void aSwappedCheckpointIsRefused() {
        RequestCertificate genuine = issued(signer);
        // a genuine checkpoint of the same log, of another size: the signed statement names the one the proofs were made for
        assertFailure(with(genuine, genuine.systems(), genuine.records(), checkpointNote(signer, TREE_SIZE - 1)), "altered after it was signed");
    }

    @Test
    void aCheckpointOfAnotherKeyIsRefused() {
        RequestCertificate genuine = issued(signer);
        NoteKey other = NoteKey.signer(NoteKey.generate("log.test"));
        assertFailure(with(genuine, genuine.systems(), genuine.records(), checkpointNote(other, TREE_SIZE)), "checkpoint is not signed by the key");
    }

    private void assertFailure(RequestCertificate certificate, String expected) {
        Optional<String> failure = certificate.verify(verifier);
        assertTrue(failure.isPresent(), "the altered certificate was accepted");
        assertTrue(failure.get().contains(expected), failure.get());
    }

    private RequestCertificate issued(NoteKey key) {
        return certificate(REQUEST_RECORDS, checkpointNote(signer, TREE_SIZE)).signedBy(key);
    }

    private RequestCertificate certificate(long[] sequences, String checkpoint) {
        MerkleTree.Nodes nodes = this::read;
        List<RequestCertificate.ProvenRecord> records = new ArrayList<>();
        for (long seq : sequences) {
            records.add(new RequestCertificate.ProvenRecord(seq, entries.get((int) seq - 1), MerkleTree.inclusion(seq - 1, TREE_SIZE, nodes)));
        }
        return new RequestCertificate(REQUEST, "ERASURE", "PARTIALLY_COMPLETED", Instant.parse("2026-12-01T09:00:00.123456Z"),
                Instant.parse("2026-12-01T10:05:00Z"), List.of(
                        new RequestCertificate.SystemOutcome("crm", "CONFIRMED", RequestCertificate.evidenceHash("status 204, gdpr-delete:204")),
                        new RequestCertificate.SystemOutcome("warehouse", "FAILED", RequestCertificate.evidenceHash("gave up after 5 attempts"))),
                records, checkpoint, null);
    }

    private static RequestCertificate with(RequestCertificate c, List<RequestCertificate.SystemOutcome> systems,
                                           List<RequestCertificate.ProvenRecord> records, String checkpoint) {
        return new RequestCertificate(c.request(), c.type(), c.state(), c.receivedAt(), c.completedAt(), systems, records, checkpoint, c.signature());
    }

    private String checkpointNote(NoteKey key, long size) {
        return key.sign(new Checkpoint("log.test", size, MerkleTree.root(size, this::read)).text());
    }

    private Map<MerkleTree.Node, byte[]> read(java.util.Set<MerkleTree.Node> wanted) {
        Map<MerkleTree.Node, byte[]> found = new HashMap<>();
        for (MerkleTree.Node node : wanted) {
            found.put(node, stored.get(node));
        }
        return found;
    }
}
