package io.guestbridge.audit.internal;

import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.LogBreak;
import io.guestbridge.tlog.LogVerifier;
import io.guestbridge.tlog.MerkleTree;
import io.guestbridge.tlog.NoteKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database administrator rewrites the log so that it holds together again (every chain hash and the
 * stored tree recomputed); the checkpoints signed before, which the administrator cannot sign again,
 * still give the change away and name the first record that no longer holds.
 */
class LogVerifierTest {

    private static final NoteKey LOG = NoteKey.signer(NoteKey.generate("guestbridge.test/audit"));

    private record Content(String action, String subject, String details) {
    }

    @Test
    void anUntouchedLogHoldsToEveryCheckpoint() {
        List<Content> contents = contents(40);
        Map<Long, String> checkpoints = checkpoints(chain(contents), 1);
        LogVerifier verifier = verify(chain(contents), checkpoints);
        assertNull(verifier.firstBreak());
        assertEquals(40, verifier.checkpointsChecked());
    }

    @Test
    void aChangedRecordWithEveryHashRecomputedIsNamed() {
        List<Content> contents = contents(40);
        Map<Long, String> checkpoints = checkpoints(chain(contents), 1);
        contents.set(16, new Content("CONSENT_GRANTED", "guest:g-17", "{\"purpose\":\"marketing_email\"}")); // was a withdrawal
        List<AuditRecord> rewritten = chain(contents);
        assertTrue(rewritten.stream().allMatch(AuditRecord::isIntact), "the chain itself holds again");
        assertBreak(verify(rewritten, checkpoints), 17, "record 17 is not the record the checkpoint of tree size 17 signed");
    }

    @Test
    void aDeletedRecordWithTheLaterOnesRenumberedIsNamed() {
        List<Content> contents = contents(40);
        Map<Long, String> checkpoints = checkpoints(chain(contents), 1);
        contents.remove(22);
        assertBreak(verify(chain(contents), checkpoints), 23, "record 23 is not the record");
    }

    @Test
    void aReorderedPairIsNamedAtItsFirstRecord() {
        List<Content> contents = contents(40);
        Map<Long, String> checkpoints = checkpoints(chain(contents), 1);
        contents.add(30, contents.remove(29));
        assertEquals(contents(40).get(29), contents.get(30), "records 30 and 31 swapped");
        assertBreak(verify(chain(contents), checkpoints), 30, "record 30 is not the record");
    }

    @Test
    void withCheckpointsSeveralRecordsApartTheBreakIsNamedAsARange() {
        List<Content> contents = contents(40);
        Map<Long, String> checkpoints = checkpoints(chain(contents), 5);
        contents.set(12, new Content("GUEST_ERASED", "guest:g-13", "{}"));
        assertBreak(verify(chain(contents), checkpoints), 11, "records 11 to 15 no longer hash to the root the checkpoint of tree size 15 signed");
    }

    @Test
    void recordsCutOffTheEndAreMissing() {
        List<Content> contents = contents(40);
        Map<Long, String> checkpoints = checkpoints(chain(contents), 7);
        assertBreak(verify(chain(contents.subList(0, 33)), checkpoints), 34, "records 34 to 35 are missing");
        // cut after the last checkpoint: nothing signed is missing
        assertNull(verify(chain(contents.subList(0, 35)), checkpoints).firstBreak());
    }

    @Test
    void aCheckpointWithAWrongSignatureIsNotTakenForEvidence() {
        List<Content> contents = contents(20);
        Map<Long, String> checkpoints = checkpoints(chain(contents), 4);
        NoteKey impostor = NoteKey.signer(NoteKey.generate("guestbridge.test/audit"));
        checkpoints.put(8L, impostor.sign(Checkpoint.parse(LOG.open(checkpoints.get(8L)).orElseThrow()).text()));
        assertBreak(verify(chain(contents), checkpoints), 8, "the checkpoint stored for tree size 8 is not signed by this log's key");
    }

    private static void assertBreak(LogVerifier verifier, long sequence, String reason) {
        LogBreak broken = verifier.firstBreak();
        assertNotNull(broken, "the change is found");
        assertEquals(sequence, broken.sequence(), broken.reason());
        assertTrue(broken.reason().startsWith(reason), broken.reason());
    }

    /** What AuditRecords does: open each checkpoint with the log's key, then offer the records in order. */
    private static LogVerifier verify(List<AuditRecord> records, Map<Long, String> notes) {
        LogVerifier verifier = new LogVerifier();
        notes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(note -> {
            Optional<String> text = LOG.open(note.getValue());
            if (text.isEmpty()) {
                verifier.forged(note.getKey());
            } else {
                Checkpoint checkpoint = Checkpoint.parse(text.get());
                verifier.expect(checkpoint.size(), checkpoint.rootHash());
            }
        });
        for (AuditRecord record : records) {
            if (!verifier.accept(record.seq(), record.leafEntry())) {
                break;
            }
        }
        return verifier;
    }

    /** Checkpoints every {@code every} records, signed as the sequencer signs them, roots computed from the stored-node tree. */
    private static Map<Long, String> checkpoints(List<AuditRecord> records, int every) {
        Map<MerkleTree.Node, byte[]> store = new HashMap<>();
        MerkleTree.Nodes nodes = wanted -> {
            Map<MerkleTree.Node, byte[]> out = new HashMap<>();
            wanted.forEach(n -> out.put(n, store.get(n)));
            return out;
        };
        Map<Long, String> notes = new HashMap<>();
        for (int size = 0; size < records.size(); size++) {
            store.putAll(MerkleTree.append(size, List.of(MerkleTree.leafHash(records.get(size).leafEntry())), nodes.read(MerkleTree.frontier(size))));
            if ((size + 1) % every == 0) {
                notes.put((long) size + 1, LOG.sign(new Checkpoint(LOG.name(), size + 1, MerkleTree.root(size + 1, nodes)).text()));
            }
        }
        return notes;
    }

    private static List<AuditRecord> chain(List<Content> contents) {
        List<AuditRecord> records = new ArrayList<>();
        String prev = AuditRecord.GENESIS;
        for (int i = 0; i < contents.size(); i++) {
            Content c = contents.get(i);
            AuditRecord record = AuditRecord.numbered(i + 1, prev, Instant.parse("2026-11-25T08:00:00.123456Z").plusSeconds(i),
                    "system:test", c.action(), "consent", c.subject(), c.details());
            records.add(record);
            prev = record.hash();
        }
        return records;
    }

    private static List<Content> contents(int n) {
        List<Content> contents = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            contents.add(new Content(i % 3 == 0 ? "CONSENT_GRANTED" : "CONSENT_WITHDRAWN", "guest:g-" + i, "{\"purpose\":\"marketing_email\",\"n\":\"" + i + "\"}"));
        }
        return contents;
    }
}
