package io.guestbridge.launcher;

import io.guestbridge.tlog.NoteKey;
import io.guestbridge.tlog.RequestCertificate;
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
import java.util.Optional;

/**
 * {@code verify-certificate}: checks a privacy request's certificate with nothing but the file and the verifier key,
 * by the checks of {@link RequestCertificate#verify}. The key embedded in the certificate is ignored: a certificate
 * is only as good as the key its holder was given by other means.
 */
final class VerifyCertificate {

    static final String FORMAT = "guestbridge-privacy-request-certificate/1";

    private VerifyCertificate() {
    }

    static int run(Path certificateFile, Path keyFile, PrintStream out, PrintStream err) {
        try {
            NoteKey verifier = VerifyAudit.readKey(keyFile);
            RequestCertificate certificate = parse(read(certificateFile));
            Optional<String> failure = certificate.verify(verifier);
            if (failure.isPresent()) {
                out.println("guestbridge: certificate NOT valid: " + failure.get());
                return VerifyAudit.FAILED;
            }
            out.println("guestbridge: certificate valid: " + certificate.type() + " request " + certificate.request() + " " + certificate.state()
                    + " at " + certificate.completedAt() + ", " + certificate.systems().size() + " system outcome(s) as signed by "
                    + verifier.verifierKey() + ", " + certificate.records().size() + " audit record(s) proven in the checkpoint's tree");
            return VerifyAudit.OK;
        } catch (VerifyAudit.BadInput e) {
            err.println("guestbridge: verify-certificate: " + e.getMessage());
            return VerifyAudit.BAD_INPUT;
        }
    }

    static RequestCertificate parse(String text) throws VerifyAudit.BadInput {
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            json = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new VerifyAudit.BadInput("the certificate file is not a JSON object: " + e.getMessage());
        }
        if (!(json.get("format") instanceof JsonString format) || !FORMAT.equals(format.getString())) {
            throw new VerifyAudit.BadInput("the file is not a privacy request certificate (its \"format\" is not " + FORMAT + ")");
        }
        List<RequestCertificate.SystemOutcome> systems = new ArrayList<>();
        for (JsonObject system : objects(json, "systems")) {
            systems.add(new RequestCertificate.SystemOutcome(string(system, "system"), string(system, "outcome"), string(system, "evidenceSha256")));
        }
        List<RequestCertificate.ProvenRecord> records = new ArrayList<>();
        for (JsonObject record : objects(json, "auditRecords")) {
            if (!(record.get("sequence") instanceof JsonNumber sequence) || !sequence.isIntegral()) {
                throw new VerifyAudit.BadInput("an audit record of the certificate has no whole-number \"sequence\"");
            }
            List<byte[]> path = new ArrayList<>();
            if (!(record.get("auditPath") instanceof JsonArray hashes)) {
                throw new VerifyAudit.BadInput("audit record " + sequence + " of the certificate has no \"auditPath\" array");
            }
            for (JsonValue hash : hashes) {
                if (!(hash instanceof JsonString base64)) {
                    throw new VerifyAudit.BadInput("the audit path of record " + sequence + " holds a non-string");
                }
                try {
                    path.add(Base64.getDecoder().decode(base64.getString()));
                } catch (IllegalArgumentException e) {
                    throw new VerifyAudit.BadInput("the audit path of record " + sequence + " holds a hash that is not base64");
                }
            }
            records.add(new RequestCertificate.ProvenRecord(sequence.longValue(), string(record, "leafEntry"), path));
        }
        return new RequestCertificate(string(json, "request"), string(json, "type"), string(json, "state"), instant(json, "receivedAt"),
                instant(json, "completedAt"), systems, records, string(json, "checkpoint"), string(json, "signature"));
    }

    private static List<JsonObject> objects(JsonObject json, String name) throws VerifyAudit.BadInput {
        if (!(json.get(name) instanceof JsonArray array)) {
            throw new VerifyAudit.BadInput("the certificate has no \"" + name + "\" array");
        }
        List<JsonObject> objects = new ArrayList<>();
        for (JsonValue value : array) {
            if (!(value instanceof JsonObject object)) {
                throw new VerifyAudit.BadInput("the certificate's \"" + name + "\" holds something other than objects");
            }
            objects.add(object);
        }
        return objects;
    }

    private static String string(JsonObject json, String name) throws VerifyAudit.BadInput {
        if (!(json.get(name) instanceof JsonString value)) {
            throw new VerifyAudit.BadInput("the certificate has no \"" + name + "\" string where one belongs");
        }
        return value.getString();
    }

    private static Instant instant(JsonObject json, String name) throws VerifyAudit.BadInput {
        try {
            return Instant.parse(string(json, name));
        } catch (DateTimeParseException e) {
            throw new VerifyAudit.BadInput("the certificate's \"" + name + "\" is not an ISO-8601 instant");
        }
    }

    private static String read(Path file) throws VerifyAudit.BadInput {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VerifyAudit.BadInput("cannot read the certificate file " + file + ": " + e);
        }
    }
}
