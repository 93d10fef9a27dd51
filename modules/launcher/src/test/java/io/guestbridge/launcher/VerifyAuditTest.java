package io.guestbridge.launcher;

import io.guestbridge.tlog.AuditEntry;
import io.guestbridge.tlog.Canonical;
import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.MerkleTree;
import io.guestbridge.tlog.NoteKey;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The offline verification of an audit export, on exports shaped as GET /api/v1/audit/records answers (records
 * as the API shows them, in pages) and checkpoints signed as the sequencer signs them, with the tree built by
 * the sequencer's own {@link MerkleTree#append}.
 */
class VerifyAuditTest {

    private static final String ORIGIN = "guestbridge.test/audit";
    private static final NoteKey LOG = NoteKey.signer(NoteKey.generate(ORIGIN));
    private static final int SIZE = 20;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A log of n records as the sequencer writes them: chained, each a leaf, and the signed checkpoint of every tree size. */
    private record Log(List<JsonObject> records, Map<Long, String> checkpoints, Map<Long, byte[]> roots) {
    }

    private static Log log(int n) {
        List<AuditEntry> entries = new ArrayList<>();
        String prev = AuditEntry.GENESIS;
        for (int i = 1; i <= n; i++) {
            Map<String, String> details = new TreeMap<>(Map.of("purpose", "marketing_email", "n", Integer.toString(i), "note", "quote \" and \\ and é"));
            AuditEntry entry = new AuditEntry(i, Instant.parse("2026-11-25T08:00:00.123456Z").plusSeconds(i), "system:test",
                    i % 3 == 0 ? "CONSENT_WITHDRAWN" : "CONSENT_GRANTED", "consent", i % 4 == 0 ? null : "guest:g-" + i,
                    Canonical.json(details), prev);
            entries.add(entry);
            prev = entry.hash();
        }
        return build(entries);
    }

    private static Log build(List<AuditEntry> entries) {
        Map<MerkleTree.Node, byte[]> store = new HashMap<>();
        MerkleTree.Nodes nodes = wanted -> wanted.stream().collect(Collectors.toMap(w -> w, store::get));
        Map<Long, String> checkpoints = new HashMap<>();
        Map<Long, byte[]> roots = new HashMap<>();
        List<JsonObject> records = new ArrayList<>();
        for (int size = 0; size < entries.size(); size++) {
            AuditEntry entry = entries.get(size);
            store.putAll(MerkleTree.append(size, List.of(MerkleTree.leafHash(entry.leafEntry())), nodes.read(MerkleTree.frontier(size))));
            byte[] root = MerkleTree.root(size + 1, nodes);
            roots.put((long) size + 1, root);
            checkpoints.put((long) size + 1, LOG.sign(new Checkpoint(ORIGIN, size + 1, root).text()));
            records.add(asTheApiShowsIt(entry, entry.hash()));
        }
        return new Log(records, checkpoints, roots);
    }

    /** As JSON-B writes AuditRecordView: absent nulls, the instant in ISO-8601, the details an object of strings. */
    private static JsonObject asTheApiShowsIt(AuditEntry entry, String hash) {
        JsonObjectBuilder details = Json.createObjectBuilder();
        Canonical.parseFlat(entry.detailsJson()).forEach(details::add);
        JsonObjectBuilder record = Json.createObjectBuilder().add("sequence", entry.seq()).add("occurredAt", entry.occurredAt().toString())
                .add("actor", entry.actor()).add("action", entry.action()).add("module", entry.module());
        if (entry.subject() != null) {
            record.add("subject", entry.subject());
        }
        record.add("details", details);
        if (entry.prevHash() != null) {
            record.add("previousHash", entry.prevHash());
        }
        return record.add("hash", hash).build();
    }

    /** Pages of the API, appended one after another as repeated curl calls leave them (no separator). */
    private static String pages(List<JsonObject> records, int perPage) {
        StringBuilder file = new StringBuilder();
        for (int from = 0; from < records.size(); from += perPage) {
            JsonArrayBuilder page = Json.createArrayBuilder();
            records.subList(from, Math.min(records.size(), from + perPage)).forEach(page::add);
            JsonObjectBuilder body = Json.createObjectBuilder().add("records", page);
            if (from + perPage < records.size()) {
                body.add("nextCursor", "YWZ0ZXI6" + from);
            }
            file.append(body.build());
        }
        return file.toString();
    }

    private int verify(String records, List<String> checkpointNotes, String verifierKey) throws IOException {
        Path recordsFile = Files.writeString(dir.resolve("records.json"), records);
        List<Path> checkpointFiles = new ArrayList<>();
        for (int i = 0; i < checkpointNotes.size(); i++) {
            checkpointFiles.add(Files.writeString(dir.resolve("checkpoint-" + i), checkpointNotes.get(i)));
        }
        Path key = Files.writeString(dir.resolve("audit-verifier.key"), verifierKey + "\n");
        return VerifyAudit.run(recordsFile, checkpointFiles, key, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int verify(String records, Log log) throws IOException {
        return verify(records, List.of(log.checkpoints().get((long) SIZE)), LOG.verifierKey());
    }

    private String said() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aGoodExportVerifiesWithItsTreeSizeAndRoot() throws IOException {
        Log log = log(SIZE);
        assertEquals(VerifyAudit.OK, verify(pages(log.records(), 7), log), said());
        assertTrue(said().contains("verified: records 1 to 20 hash to the root "
                + Base64.getEncoder().encodeToString(log.roots().get(20L)) + " of the checkpoint of tree size 20"), said());
    }

    @Test
    void aJsonArrayOfRecordsAndPagesOnePerLineVerifyToo() throws IOException {
        Log log = log(SIZE);
        JsonArrayBuilder array = Json.createArrayBuilder();
        log.records().forEach(array::add);
        assertEquals(VerifyAudit.OK, verify(array.build().toString(), log), said());
        String onePerLine = log.records().stream().map(JsonObject::toString).collect(Collectors.joining("\n", "", "\n"));
        assertEquals(VerifyAudit.OK, verify(onePerLine, log), said());
    }

    @Test
    void recordsAfterTheCheckpointAreReportedAsCheckedByTheirChainOnly() throws IOException {
        Log log = log(SIZE);
        assertEquals(VerifyAudit.OK, verify(pages(log.records(), 7), List.of(log.checkpoints().get(12L)), LOG.verifierKey()), said());
        assertTrue(said().contains("records 13 to 20 come after the largest checkpoint"), said());
    }

    @Test
    void anEditedRecordIsNamed() throws IOException {
        Log log = log(SIZE);
        List<JsonObject> records = new ArrayList<>(log.records());
        records.set(6, Json.createObjectBuilder(records.get(6)).add("action", "CONSENT_GRANTED_FORGED").build());
        assertEquals(VerifyAudit.FAILED, verify(pages(records, 7), log), said());
        assertTrue(said().contains("NOT verified: record 7: its content does not match its hash: the record was changed"), said());
    }

    @Test
    void anEditWithEveryHashRecomputedIsFoundByTheCheckpoints() throws IOException {
        Log log = log(SIZE);
        List<AuditEntry> rewritten = new ArrayList<>();
        String prev = AuditEntry.GENESIS;
        for (JsonObject record : log.records()) {
            long seq = record.getJsonNumber("sequence").longValue();
            AuditEntry entry = new AuditEntry(seq, Instant.parse(record.getString("occurredAt")), record.getString("actor"),
                    seq == 7 ? "CONSENT_ERASED" : record.getString("action"), record.getString("module"), record.getString("subject", null),
                    Canonical.json(record.getJsonObject("details").entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> ((jakarta.json.JsonString) e.getValue()).getString()))), prev);
            rewritten.add(entry);
            prev = entry.hash();
        }
        String forged = pages(build(rewritten).records(), 7);

        assertEquals(VerifyAudit.FAILED, verify(forged, log), said());
        assertTrue(said().contains("records 1 to 20 no longer hash to the root the checkpoint of tree size 20 signed"), said());

        out.reset();
        List<String> everyCheckpoint = new ArrayList<>(new TreeMap<>(log.checkpoints()).values());
        assertEquals(VerifyAudit.FAILED, verify(forged, everyCheckpoint, LOG.verifierKey()), said());
        assertTrue(said().contains("record 7 is not the record the checkpoint of tree size 7 signed"), said());
    }

    @Test
    void aDeletedRecordIsNamed() throws IOException {
        Log log = log(SIZE);
        List<JsonObject> records = new ArrayList<>(log.records());
        records.remove(4);
        assertEquals(VerifyAudit.FAILED, verify(pages(records, 7), log), said());
        assertTrue(said().contains("NOT verified: record 5 is missing (the next record found is 6)"), said());
    }

    @Test
    void aReorderedPairIsNamed() throws IOException {
        Log log = log(SIZE);
        List<JsonObject> records = new ArrayList<>(log.records());
        records.set(8, log.records().get(9));
        records.set(9, log.records().get(8));
        assertEquals(VerifyAudit.FAILED, verify(pages(records, 7), log), said());
        assertTrue(said().contains("NOT verified: record 9 is out of order in the export: it comes after record 10"), said());
    }

    @Test
    void aCheckpointSignedWithAnotherKeyFails() throws IOException {
        Log log = log(SIZE);
        NoteKey impostor = NoteKey.signer(NoteKey.generate(ORIGIN));
        String forged = impostor.sign(new Checkpoint(ORIGIN, SIZE, log.roots().get((long) SIZE)).text());
        assertEquals(VerifyAudit.FAILED, verify(pages(log.records(), 7), List.of(forged), LOG.verifierKey()), said());
        assertTrue(said().contains("is not signed by the key " + LOG.verifierKey()), said());

        out.reset();
        assertEquals(VerifyAudit.FAILED, verify(pages(log.records(), 7), List.of(log.checkpoints().get((long) SIZE)), impostor.verifierKey()),
                said());
        assertTrue(said().contains("is not signed by the key " + impostor.verifierKey()), said());
    }

    @Test
    void aTruncatedExportFails() throws IOException {
        Log log = log(SIZE);
        assertEquals(VerifyAudit.FAILED, verify(pages(log.records().subList(0, 15), 7), log), said());
        assertTrue(said().contains("records 16 to 20 are missing: a checkpoint signed a tree of 20 records"), said());

        out.reset();
        String whole = pages(log.records(), 7);
        assertEquals(VerifyAudit.BAD_INPUT, verify(whole.substring(0, whole.length() * 2 / 3), log), said());
        assertTrue(said().contains("the records file ends inside a JSON value: it was cut short"), said());
    }

    @Test
    void badInputIsExitStatusTwoWithAReason() throws IOException {
        Log log = log(3);
        String checkpoint = log.checkpoints().get(3L);
        assertEquals(VerifyAudit.BAD_INPUT, verify(pages(log.records(), 7), List.of(checkpoint), NoteKey.generate(ORIGIN)), said());
        assertTrue(said().contains("is the private signing key"), said());
        err.reset();
        assertEquals(VerifyAudit.BAD_INPUT, verify("{\"records\":[{\"id\":1}]}", List.of(checkpoint), LOG.verifierKey()), said());
        assertTrue(said().contains("has no whole-number \"sequence\""), said());
        err.reset();
        assertEquals(VerifyAudit.BAD_INPUT, verify(pages(log.records(), 7), List.of("guestbridge.test/audit\n3\n"), LOG.verifierKey()), said());
        assertTrue(said().contains("a checkpoint file holds a signed note"), said());
    }
}
