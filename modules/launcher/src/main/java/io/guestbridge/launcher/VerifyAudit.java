package io.guestbridge.launcher;

import io.guestbridge.tlog.AuditEntry;
import io.guestbridge.tlog.Canonical;
import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.LogBreak;
import io.guestbridge.tlog.LogVerifier;
import io.guestbridge.tlog.NoteKey;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code verify-audit}: holds an export of the audit log to signed checkpoints with nothing but the files,
 * so that someone outside the deployment (an auditor, a regulator) needs neither our database nor our
 * server, only the verifier key. The checks are the server's own ({@link ChainVerifier}, {@link LogVerifier}):
 * every checkpoint's signature, every record's hash chain, and the RFC 9162 Merkle root of records 1 to N
 * against the checkpoint of tree size N.
 */
final class VerifyAudit {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    /** Input that cannot be verified at all, as opposed to input that does not hold. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    /** One record of the export: what is hashed, and the chain hash exported with it. */
    record ExportedRecord(AuditEntry entry, String hash) {
    }

    private VerifyAudit() {
    }

    /** Runs the command; the outcome goes to {@code out}, bad input to {@code err}; returns the exit status. */
    static int run(Path records, List<Path> checkpoints, Path key, PrintStream out, PrintStream err) {
        try {
            NoteKey verifier = readKey(key);
            TreeMap<Long, Checkpoint> signed = new TreeMap<>();
            for (Path file : checkpoints) {
                Checkpoint checkpoint;
                try {
                    checkpoint = openCheckpoint(verifier, read(file, "checkpoint"));
                } catch (VerificationFailure e) {
                    out.println("guestbridge: audit export NOT verified: checkpoint " + file + " " + e.getMessage());
                    return FAILED;
                }
                Checkpoint other = signed.putIfAbsent(checkpoint.size(), checkpoint);
                if (other != null && !java.util.Arrays.equals(other.rootHash(), checkpoint.rootHash())) {
                    out.println("guestbridge: audit export NOT verified: two checkpoints signed by this key for tree size "
                            + checkpoint.size() + " disagree on its root: the log was forked");
                    return FAILED;
                }
            }
            List<ExportedRecord> exported = parseRecords(read(records, "records"));
            return verify(exported, signed, verifier, out);
        } catch (BadInput e) {
            err.println("guestbridge: verify-audit: " + e.getMessage());
            return BAD_INPUT;
        }
    }

    /** A checkpoint that does not hold: not signed by the key, or not of this log. */
    static final class VerificationFailure extends Exception {
        VerificationFailure(String message) {
            super(message);
        }
    }

    static NoteKey readKey(Path file) throws BadInput {
        String text = read(file, "key").trim();
        if (text.startsWith("PRIVATE+KEY+")) {
            throw new BadInput(file + " is the private signing key: give the public verifier key (audit-verifier.key), "
                    + "which is all a verifier needs and may be handed out");
        }
        try {
            return NoteKey.verifier(text);
        } catch (IllegalArgumentException e) {
            throw new BadInput(file + " is not a signed-note verifier key (<name>+<key id>+<base64 key>, as in audit-verifier.key): "
                    + e.getMessage());
        }
    }

    static Checkpoint openCheckpoint(NoteKey verifier, String note) throws BadInput, VerificationFailure {
        String normalised = note.replace("\r\n", "\n");
        if (!normalised.contains("\n\n") || !normalised.endsWith("\n")) {
            throw new BadInput("a checkpoint file holds a signed note: the checkpoint's lines, a blank line and signature lines, "
                    + "as GET /api/v1/audit/checkpoint returns it");
        }
        String text = verifier.open(normalised).orElseThrow(() -> new VerificationFailure(
                "is not signed by the key " + verifier.verifierKey() + ": it was signed with another key, or its text or signature was altered"));
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw new VerificationFailure("is signed by the key but is not a checkpoint: " + e.getMessage());
        }
        if (!checkpoint.origin().equals(verifier.name())) {
            throw new VerificationFailure("is of the log '" + checkpoint.origin() + "', not of '" + verifier.name() + "'");
        }
        return checkpoint;
    }

    private static int verify(List<ExportedRecord> records, TreeMap<Long, Checkpoint> checkpoints, NoteKey key, PrintStream out) {
        ChainVerifier chain = new ChainVerifier();
        LogVerifier log = new LogVerifier();
        checkpoints.forEach((size, checkpoint) -> log.expect(size, checkpoint.rootHash()));
        boolean chainHolds = true;
        boolean logHolds = true;
        for (ExportedRecord record : records) {
            chainHolds = chainHolds && chain.accept(record.entry(), record.hash());
            logHolds = logHolds && log.accept(record.entry().seq(), record.entry().leafEntry());
            if (!chainHolds && !logHolds) {
                break;
            }
        }
        LogBreak logBreak = log.firstBreak();
        LogBreak first = chain.firstBreak();
        // as the server does: the chain names a record exactly, the tree a range between checkpoints; the earlier wins
        if (logBreak != null && (first == null || log.brokenUpTo() < first.sequence())) {
            first = logBreak;
        }
        if (first != null) {
            String reason = explain(first, records);
            out.println("guestbridge: audit export NOT verified: "
                    + (reason.startsWith("record") ? reason : "record " + first.sequence() + ": " + reason));
            return FAILED;
        }
        Checkpoint largest = checkpoints.lastEntry().getValue();
        out.println("guestbridge: audit export verified: records 1 to " + largest.size() + " hash to the root "
                + Base64.getEncoder().encodeToString(largest.rootHash()) + " of the checkpoint of tree size " + largest.size()
                + " signed by " + key.verifierKey() + " (" + checkpoints.size() + " checkpoint" + (checkpoints.size() == 1 ? "" : "s")
                + " checked), and their hash chain holds");
        if (records.size() > largest.size()) {
            out.println("guestbridge: records " + (largest.size() + 1) + " to " + records.size() + " come after the largest checkpoint: "
                    + "only their hash chain was checked; verify them again with a later checkpoint");
        }
        return OK;
    }

    /** A missing record that is in the export after all was moved: say so rather than "missing". */
    private static String explain(LogBreak broken, List<ExportedRecord> records) {
        if (broken.reason().startsWith("record " + broken.sequence() + " is missing")) {
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).entry().seq() == broken.sequence() && i > 0) {
                    return "record " + broken.sequence() + " is out of order in the export: it comes after record " + records.get(i - 1).entry().seq()
                            + " (records must be in sequence order, as the API returns them)";
                }
            }
        }
        return broken.reason();
    }

    // ----- reading the export

    /**
     * The records of an export: the JSON values of the file one after another (pages of GET /audit/records as
     * they come, or one per line), each a page ({@code {"records": [...]}}), a record, or an array of those.
     */
    static List<ExportedRecord> parseRecords(String text) throws BadInput {
        List<ExportedRecord> records = new ArrayList<>();
        for (String value : topLevelValues(text)) {
            JsonValue json;
            try (JsonReader reader = Json.createReader(new StringReader(value))) {
                json = reader.readValue();
            } catch (JsonException e) {
                throw new BadInput("the records file is not JSON near '" + abbreviate(value) + "': " + e.getMessage());
            }
            collect(json, records);
        }
        if (records.isEmpty()) {
            throw new BadInput("the records file holds no audit records");
        }
        return records;
    }

    private static void collect(JsonValue json, List<ExportedRecord> into) throws BadInput {
        if (json instanceof JsonArray array) {
            for (JsonValue item : array) {
                collect(item, into);
            }
        } else if (json instanceof JsonObject object && object.containsKey("records")) {
            if (!(object.get("records") instanceof JsonArray)) {
                throw new BadInput("a page's \"records\" is not an array");
            }
            collect(object.get("records"), into);
        } else if (json instanceof JsonObject object) {
            into.add(record(object, into.size() + 1));
        } else {
            throw new BadInput("the records file holds " + json.getValueType().toString().toLowerCase() + " where pages or records belong");
        }
    }

    private static ExportedRecord record(JsonObject json, int position) throws BadInput {
        String where = "record #" + position + " of the file";
        if (!(json.get("sequence") instanceof JsonNumber sequence) || !sequence.isIntegral()) {
            throw new BadInput(where + " has no whole-number \"sequence\": is this an audit record export?");
        }
        where = "record " + sequence.longValue();
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(required(json, "occurredAt", where));
        } catch (DateTimeParseException e) {
            throw new BadInput(where + ": \"occurredAt\" is not an ISO-8601 instant");
        }
        Map<String, String> details = new TreeMap<>();
        JsonValue detailsJson = json.get("details");
        if (!(detailsJson instanceof JsonObject detailsObject)) {
            throw new BadInput(where + " has no \"details\" object");
        }
        for (Map.Entry<String, JsonValue> detail : detailsObject.entrySet()) {
            if (!(detail.getValue() instanceof JsonString value)) {
                throw new BadInput(where + ": detail \"" + detail.getKey() + "\" is not a string, as every exported detail is");
            }
            details.put(detail.getKey(), value.getString());
        }
        AuditEntry entry = new AuditEntry(sequence.longValue(), occurredAt, required(json, "actor", where), required(json, "action", where),
                required(json, "module", where), optional(json, "subject", where), Canonical.json(details),
                optional(json, "previousHash", where));
        return new ExportedRecord(entry, required(json, "hash", where));
    }

    private static String required(JsonObject json, String name, String where) throws BadInput {
        String value = optional(json, name, where);
        if (value == null) {
            throw new BadInput(where + " has no \"" + name + "\"");
        }
        return value;
    }

    private static String optional(JsonObject json, String name, String where) throws BadInput {
        JsonValue value = json.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonString string)) {
            throw new BadInput(where + ": \"" + name + "\" is not a string");
        }
        return string.getString();
    }

    /**
     * The file's top-level JSON values: pages fetched one after another and appended to a file are not one JSON
     * document, so the file is cut where each value closes (outside strings) before it is parsed.
     */
    static List<String> topLevelValues(String text) throws BadInput {
        List<String> values = new ArrayList<>();
        int depth = 0;
        int start = -1;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (Character.isWhitespace(c) && depth == 0) {
                continue;
            }
            if (depth == 0) {
                if (c != '{' && c != '[') {
                    throw new BadInput("the records file holds '" + abbreviate(text.substring(i)) + "' where a JSON object or array "
                            + "(a page of records, or an array) belongs");
                }
                start = i;
            }
            switch (c) {
                case '"' -> inString = true;
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    depth--;
                    if (depth == 0) {
                        values.add(text.substring(start, i + 1));
                    }
                }
                default -> {
                }
            }
        }
        if (depth != 0 || inString) {
            throw new BadInput("the records file ends inside a JSON value: it was cut short (a download that did not finish?)");
        }
        return values;
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 40 ? line : line.substring(0, 40) + "…";
    }

    private static String read(Path file, String what) throws BadInput {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInput("cannot read the " + what + " file " + file + ": " + e);
        }
    }
}
