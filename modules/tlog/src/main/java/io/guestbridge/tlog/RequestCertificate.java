package io.guestbridge.tlog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signed receipt of a privacy request that ended: what was asked, how each system answered (its outcome
 * and a hash of its evidence, never the evidence), when, and the audit log's records of the request, each
 * with an RFC 9162 inclusion proof against a signed checkpoint. It holds ids and hashes only.
 *
 * <p>Two signatures by the log's key make it checkable with the verifier key alone: the checkpoint (a C2SP
 * signed note) vouches for the tree, and the statement (a signed note of {@link #statementText}) binds the
 * request's facts, every record's leaf hash and that checkpoint together. The statement's first line, not a
 * tree size on its second, keeps it from ever being read as a checkpoint.
 *
 * @param request      the request's reference as the audit trail names it (privacy-request:&lt;id&gt;)
 * @param systems      in the order of the statement (by system)
 * @param records      in sequence order
 * @param checkpoint   the signed note of a checkpoint whose tree holds every record
 * @param signature    the signed note of {@link #statementText}
 */
public record RequestCertificate(String request, String type, String state, Instant receivedAt, Instant completedAt,
                                 List<SystemOutcome> systems, List<ProvenRecord> records, String checkpoint, String signature) {

    /** The statement's first line, which names its format. */
    public static final String HEADER = "guestbridge privacy request certificate v1";

    /** One system's part: its final state and SHA-256 (hex) of the evidence it left. */
    public record SystemOutcome(String system, String outcome, String evidenceHash) {
    }

    /** An audit record by its leaf entry (the canonical JSON of {@link AuditEntry}), and its inclusion path (RFC 9162, leaf upwards). */
    public record ProvenRecord(long sequence, String leafEntry, List<byte[]> auditPath) {
    }

    public RequestCertificate {
        systems = List.copyOf(systems);
        records = List.copyOf(records);
    }

    /** SHA-256 of a step's evidence text, in hex: the certificate shows that evidence existed and lets it be matched, without repeating it. */
    public static String evidenceHash(String evidence) {
        return HexFormat.of().formatHex(Sha256.digest().digest((evidence == null ? "" : evidence).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The text the statement signs, one fact a line, every value in canonical JSON so that no value can add a line:
     * the request, each system's outcome, each record's leaf hash, and the checkpoint they are proven against.
     */
    public String statementText() {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        text.append("request ").append(Canonical.object(new String[][]{{"ref", request}, {"type", type}, {"state", state},
                {"received", instant(receivedAt)}, {"completed", instant(completedAt)}})).append('\n');
        for (SystemOutcome system : systems) {
            text.append("system ").append(Canonical.object(new String[][]{{"system", system.system()}, {"outcome", system.outcome()},
                    {"evidence", system.evidenceHash()}})).append('\n');
        }
        for (ProvenRecord record : records) {
            text.append("record ").append(record.sequence()).append(' ')
                    .append(Base64.getEncoder().encodeToString(MerkleTree.leafHash(record.leafEntry().getBytes(StandardCharsets.UTF_8)))).append('\n');
        }
        text.append("checkpoint ").append(checkpointLine()).append('\n');
        return text.toString();
    }

    /** Signs this certificate's statement with the log's key: the certificate as issued. */
    public RequestCertificate signedBy(NoteKey signer) {
        return new RequestCertificate(request, type, state, receivedAt, completedAt, systems, records, checkpoint, signer.sign(statementText()));
    }

    /**
     * Checks everything the certificate claims with nothing but the verifier key: the statement's signature, that the
     * certificate's facts are the ones signed, the checkpoint's signature and origin, and every record's inclusion proof
     * to the checkpoint's root. Empty when it holds; otherwise the first thing that does not, said plainly.
     */
    public Optional<String> verify(NoteKey verifier) {
        if (signature == null || verifier.open(normalised(signature)).isEmpty()) {
            return Optional.of("the certificate's signature does not verify with the key " + verifier.verifierKey()
                    + ": it was signed with another key, or its signed statement was altered");
        }
        String signedText = verifier.open(normalised(signature)).orElseThrow();
        if (!signedText.startsWith(HEADER + "\n")) {
            return Optional.of("what the key signed is not a privacy request certificate (its first line is not '" + HEADER + "')");
        }
        Checkpoint tree;
        if (checkpoint == null) {
            return Optional.of("the certificate holds no checkpoint");
        }
        Optional<String> checkpointText = verifier.open(normalised(checkpoint));
        if (checkpointText.isEmpty()) {
            return Optional.of("the certificate's checkpoint is not signed by the key " + verifier.verifierKey() + ": it was replaced or altered");
        }
        try {
            tree = Checkpoint.parse(checkpointText.get());
        } catch (IllegalArgumentException e) {
            return Optional.of("the certificate's checkpoint is signed but is not a checkpoint: " + e.getMessage());
        }
        if (!tree.origin().equals(verifier.name())) {
            return Optional.of("the certificate's checkpoint is of the log '" + tree.origin() + "', not of '" + verifier.name() + "'");
        }
        String shown = statementText();
        if (!shown.equals(signedText)) {
            return Optional.of(firstDifference(shown, signedText));
        }
        if (records.isEmpty()) {
            return Optional.of("the certificate proves no audit record of the request");
        }
        long previous = 0;
        for (ProvenRecord record : records) {
            Optional<String> wrong = recordProblem(record, previous, tree);
            if (wrong.isPresent()) {
                return wrong;
            }
            previous = record.sequence();
        }
        return Optional.empty();
    }

    /** The checkpoint's tree size and root, for the statement; its signature is checked by {@link #verify}. */
    private String checkpointLine() {
        String text = checkpoint == null ? "" : normalised(checkpoint);
        int split = text.indexOf("\n\n");
        try {
            Checkpoint tree = Checkpoint.parse(split < 0 ? text : text.substring(0, split + 1));
            return tree.size() + " " + Base64.getEncoder().encodeToString(tree.rootHash());
        } catch (IllegalArgumentException e) {
            return "unreadable";
        }
    }

    private Optional<String> recordProblem(ProvenRecord record, long previous, Checkpoint tree) {
        long sequence = record.sequence();
        if (sequence <= previous) {
            return Optional.of("record " + sequence + " comes after record " + previous + ": records are listed in sequence order, each once");
        }
        if (sequence > tree.size()) {
            return Optional.of("record " + sequence + " is beyond the checkpoint's tree of " + tree.size() + " records");
        }
        Map<String, String> entry;
        try {
            entry = Canonical.parseFlat(record.leafEntry());
        } catch (IllegalArgumentException e) {
            return Optional.of("record " + sequence + "'s leaf entry is not an audit record's canonical JSON: " + e.getMessage());
        }
        if (!Long.toString(sequence).equals(entry.get("seq"))) {
            return Optional.of("record " + sequence + "'s leaf entry is the record numbered " + entry.get("seq"));
        }
        if (!request.equals(entry.get("subject"))) {
            return Optional.of("record " + sequence + " is about '" + entry.get("subject") + "', not about the request " + request);
        }
        byte[] leafHash = MerkleTree.leafHash(record.leafEntry().getBytes(StandardCharsets.UTF_8));
        if (!MerkleProofs.verifyInclusion(sequence - 1, tree.size(), leafHash, record.auditPath(), tree.rootHash())) {
            return Optional.of("the inclusion proof of record " + sequence + " does not reach the root of the checkpoint of tree size "
                    + tree.size() + ": the proof was altered, or the record is not the one the log holds");
        }
        return Optional.empty();
    }

    private static String firstDifference(String shown, String signed) {
        String[] shownLines = shown.split("\n");
        String[] signedLines = signed.split("\n");
        for (int i = 0; i < Math.max(shownLines.length, signedLines.length); i++) {
            String a = i < shownLines.length ? shownLines[i] : "(nothing)";
            String b = i < signedLines.length ? signedLines[i] : "(nothing)";
            if (!a.equals(b)) {
                return "the certificate was altered after it was signed: it shows " + a + " where its signed statement says " + b;
            }
        }
        return "the certificate was altered after it was signed";
    }

    private static String instant(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    private static String normalised(String note) {
        return note.replace("\r\n", "\n");
    }
}
