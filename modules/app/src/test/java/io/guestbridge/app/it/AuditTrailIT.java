package io.guestbridge.app.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail in the running server: recorded in the caller's transaction, paged, filtered, verified, tamper-evident. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditTrailIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    @Test
    void verificationIsItselfAuditedAndTheTrailPagesWithoutGapsOrRepeats() {
        Deployed app = new Deployed(url);
        String officer = Deployed.tokenFor("officer-7", "compliance-officer");
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> verified = app.post("/api/v1/audit/verifications", officer, null, null);
            assertEquals(200, verified.statusCode(), verified.body());
            assertTrue(Deployed.json(verified).getBoolean("intact"));
        }
        awaitNumbered(app, officer, "user:officer-7", 7);
        Set<Long> seen = new HashSet<>();
        long previous = 0;
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = app.get("/api/v1/audit/records?action=AUDIT_CHAIN_VERIFIED&actor=user:officer-7&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), officer);
            assertEquals(200, page.statusCode(), page.body());
            JsonObject body = Deployed.json(page);
            for (JsonObject record : body.getJsonArray("records").getValuesAs(JsonObject.class)) {
                long seq = record.getJsonNumber("sequence").longValue();
                assertTrue(seq > previous, "pages are in sequence order");
                assertTrue(seen.add(seq), "no record appears twice");
                previous = seq;
                assertEquals("audit", record.getString("module"));
                assertEquals(64, record.getString("hash").length());
            }
            cursor = body.containsKey("nextCursor") && !body.isNull("nextCursor") ? body.getString("nextCursor") : null;
            pages++;
        } while (cursor != null && pages < 20);
        assertEquals(7, seen.size());
        assertEquals(3, pages);
    }

    @Test
    void anEditedRowIsNamedByVerification() throws SQLException {
        Deployed app = new Deployed(url);
        String officer = Deployed.token("compliance-officer");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, app.post("/api/v1/audit/verifications", officer, null, null).statusCode());
        }
        awaitNumbered(app, officer, "user:it-compliance-officer", 3);
        long target;
        String original;
        String witnessed;
        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT MAX(seq) - 1 FROM aud_record")) {
                rs.next();
                target = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT details FROM aud_record WHERE seq = " + target)) {
                rs.next();
                original = rs.getString(1);
            }
            // the triggers refuse the edit, also of a record's number…
            SQLException refused = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE aud_record SET details = '{}' WHERE seq = " + target));
            assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            assertTrue(assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE aud_record SET seq = seq + 1000000 WHERE seq = " + target))
                    .getMessage().contains("append-only"));
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM aud_record WHERE seq = " + target));
            // …so an attacker with DDL rights drops them first; the hash chain and the signed checkpoints still give it away
            witnessed = witnessedCheckpointCovering(target);
            tamper(s, target, "{\"intact\":\"false\"}");
        }
        try {
            HttpResponse<String> verified = app.post("/api/v1/audit/verifications", officer, null, null);
            assertEquals(200, verified.statusCode(), verified.body());
            JsonObject result = Deployed.json(verified);
            assertFalse(result.getBoolean("intact"));
            assertEquals(target, result.getJsonObject("firstBroken").getJsonNumber("sequence").longValue());
            assertTrue(result.getJsonObject("firstBroken").getString("reason").contains("does not match its hash"));
            HttpResponse<String> againstWitness = app.post("/api/v1/audit/verifications/checkpoint", officer, "text/plain", witnessed);
            assertEquals(200, againstWitness.statusCode(), againstWitness.body());
            assertFalse(Deployed.json(againstWitness).getBoolean("intact"));
            assertEquals(target, Deployed.json(againstWitness).getJsonObject("firstBroken").getJsonNumber("sequence").longValue());
        } finally {
            try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
                tamper(s, target, original);
            }
        }
        JsonObject restored = Deployed.json(app.post("/api/v1/audit/verifications", officer, null, null));
        assertTrue(restored.getBoolean("intact"), "restoring the original content restores the chain: " + restored);
        assertTrue(restored.getJsonNumber("checkpointsChecked").longValue() >= 1, restored.toString());
        JsonObject againstWitness = Deployed.json(app.post("/api/v1/audit/verifications/checkpoint", officer, "text/plain", witnessed));
        assertTrue(againstWitness.getBoolean("intact"), againstWitness.toString());
        // a checkpoint that was changed, or signed by another key, proves nothing and is refused
        String changed = witnessed.replaceFirst("\n\\d+\n", "\n1\n");
        HttpResponse<String> forged = app.post("/api/v1/audit/verifications/checkpoint", officer, "text/plain", changed);
        assertEquals(400, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("not signed by this audit log's key"), forged.body());
    }

    @Test
    void theWitnessAddressIsMailedASignedCheckpointThatVerifiesAgainstTheLog() throws Exception {
        Deployed app = new Deployed(url);
        String officer = Deployed.token("compliance-officer");
        // an audited act, so there is a tree to sign even when this class runs alone
        assertEquals(200, app.post("/api/v1/audit/verifications", officer, null, null).statusCode());
        String address = "audit-witness@dpo.example";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        jakarta.mail.internet.MimeMessage[] received = ItEnvironment.mail().getReceivedMessagesForDomain(address);
        while (received.length == 0 && System.nanoTime() < deadline) {
            sleep(200);
            received = ItEnvironment.mail().getReceivedMessagesForDomain(address);
        }
        // one per deployment of the application (each test class deploys it anew), the first checkpoint after its start
        assertTrue(received.length >= 1, "the first checkpoint after the start is mailed");
        jakarta.mail.internet.MimeMessage latest = received[received.length - 1];
        String text = ((String) latest.getContent()).replace("\r\n", "\n");
        assertTrue(latest.getSubject().startsWith("guestbridge audit log checkpoint, tree size "), latest.getSubject());
        String begin = "-----BEGIN AUDIT CHECKPOINT-----\n";
        String note = text.substring(text.indexOf(begin) + begin.length(), text.indexOf("-----END AUDIT CHECKPOINT-----"));
        HttpResponse<String> verified = app.post("/api/v1/audit/verifications/checkpoint", officer, "text/plain", note);
        assertEquals(200, verified.statusCode(), verified.body());
        assertTrue(Deployed.json(verified).getBoolean("intact"), "the mailed checkpoint is signed by the log's key and the log still extends it: "
                + verified.body());
        // later checkpoints of the same day are not mailed: more audited acts, a checkpoint covering them, no new mail
        for (int i = 0; i < 3; i++) {
            assertEquals(200, app.post("/api/v1/audit/verifications", officer, null, null).statusCode());
        }
        long covered;
        try (Connection c = Deployed.database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM aud_record")) {
            rs.next();
            covered = rs.getLong(1);
        }
        witnessedCheckpointCovering(covered);
        sleep(1000);
        assertEquals(received.length, ItEnvironment.mail().getReceivedMessagesForDomain(address).length,
                "one witness mail a day: the checkpoints signed since were not mailed");
    }

    /** The latest checkpoint in the witness directory once it covers {@code sequence} (at most 10 s). */
    private static String witnessedCheckpointCovering(long sequence) {
        java.nio.file.Path latest = ItEnvironment.home().resolve("audit-witness").resolve("checkpoint");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String note = "";
        while (System.nanoTime() < deadline) {
            try {
                note = java.nio.file.Files.exists(latest) ? java.nio.file.Files.readString(latest) : "";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (!note.isEmpty() && Long.parseLong(note.split("\n")[1]) >= sequence) {
                return note;
            }
            sleep(100);
        }
        throw new AssertionError("no witnessed checkpoint covers record " + sequence + " within 10 s: " + note);
    }

    @Test
    void filtersNarrowTheTrail() {
        Deployed app = new Deployed(url);
        String officer = Deployed.tokenFor("officer-filter", "compliance-officer");
        assertEquals(200, app.post("/api/v1/audit/verifications", officer, null, null).statusCode());
        awaitNumbered(app, officer, "user:officer-filter", 1);
        String future = URLEncoder.encode("2999-01-01T00:00:00Z", StandardCharsets.UTF_8);
        JsonObject none = Deployed.json(app.get("/api/v1/audit/records?from=" + future, officer));
        assertEquals(0, none.getJsonArray("records").size());
        JsonObject byActor = Deployed.json(app.get("/api/v1/audit/records?actor=user:officer-filter", officer));
        assertEquals(1, byActor.getJsonArray("records").size());
        JsonObject first = byActor.getJsonArray("records").getJsonObject(0);
        JsonObject one = Deployed.json(app.get("/api/v1/audit/records/" + first.getJsonNumber("sequence"), officer));
        assertEquals(first.getString("hash"), one.getString("hash"));
        assertNotNull(one.getJsonObject("details"));
    }

    @Test
    void signedCheckpointsAndProofsCheckOutWithAnIndependentRfc9162Verifier() throws Exception {
        Deployed app = new Deployed(url);
        String officer = Deployed.tokenFor("officer-proofs", "compliance-officer");
        java.util.Random random = new java.util.Random(20261201);
        int written = 0;
        long before = latestCheckpointSize(app, officer);
        for (int round = 0; round < 4; round++) {
            int records = 1 + random.nextInt(5);
            for (int i = 0; i < records; i++) {
                assertEquals(200, app.post("/api/v1/audit/verifications", officer, null, null).statusCode());
            }
            written += records;
            awaitNumbered(app, officer, "user:officer-proofs", written);
            long newest = newestSequence(app, officer, "user:officer-proofs");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (latestCheckpointSize(app, officer) < newest && System.nanoTime() < deadline) {
                sleep(100);
            }
            assertTrue(latestCheckpointSize(app, officer) >= newest, "a checkpoint covers record " + newest + " within 10 s");
        }
        // the verifier key made for this deployment, read from its file: not from the server
        String verifierKey = java.nio.file.Files.readString(ItEnvironment.home().resolve("dev-keys").resolve("audit-verifier.key")).trim();
        java.util.TreeMap<Long, byte[]> roots = new java.util.TreeMap<>();
        Long after = before > 0 ? before - 1 : 0L;
        do {
            JsonObject page = Deployed.json(app.get("/api/v1/audit/checkpoints?limit=2&after=" + after, officer));
            assertEquals(verifierKey, page.getString("verifierKey"));
            for (JsonObject checkpoint : page.getJsonArray("checkpoints").getValuesAs(JsonObject.class)) {
                String[] text = Rfc9162.openNote(checkpoint.getString("note"), verifierKey).split("\n");
                assertEquals(io.guestbridge.launcher.DevTokens.DEV_AUDIT_LOG, text[0]);
                long size = Long.parseLong(text[1]);
                assertEquals(checkpoint.getJsonNumber("treeSize").longValue(), size);
                assertEquals(checkpoint.getString("rootHash"), text[2]);
                roots.put(size, java.util.Base64.getDecoder().decode(text[2]));
            }
            after = page.containsKey("nextCursor") && !page.isNull("nextCursor") ? page.getJsonNumber("nextCursor").longValue() : null;
        } while (after != null);
        assertTrue(roots.size() >= 4, "a checkpoint per round at least: " + roots.keySet());
        assertTrue(roots.keySet().stream().anyMatch(n -> Long.bitCount(n) != 1), "sizes that are not powers of two: " + roots.keySet());
        String latest = app.get("/api/v1/audit/checkpoint", officer).body();
        assertTrue(Long.parseLong(Rfc9162.openNote(latest, verifierKey).split("\n")[1]) >= roots.lastKey());
        assertThrows(AssertionError.class, () -> Rfc9162.openNote(latest.replaceFirst("\n\\d+\n", "\n1\n"), verifierKey),
                "a changed checkpoint does not verify");

        Long previousSize = null;
        for (Map.Entry<Long, byte[]> checkpoint : roots.entrySet()) {
            long size = checkpoint.getKey();
            for (int probe = 0; probe < 5; probe++) {
                long sequence = 1 + (long) (random.nextDouble() * size);
                JsonObject proof = Deployed.json(app.get("/api/v1/audit/records/" + sequence + "/inclusion?treeSize=" + size, officer));
                JsonObject entry = (JsonObject) Deployed.parse(proof.getString("leafEntry"));
                assertEquals(Long.toString(sequence), entry.getString("seq"), "the entry is the record's own");
                JsonObject record = Deployed.json(app.get("/api/v1/audit/records/" + sequence, officer));
                assertEquals(record.getString("action"), entry.getString("action"));
                assertEquals(record.getString("hash"), Rfc9162.hex(Rfc9162.sha256(proof.getString("leafEntry").getBytes(StandardCharsets.UTF_8))),
                        "the chain hash and the leaf are computed over the same canonical entry");
                byte[] leafHash = Rfc9162.leafHash(proof.getString("leafEntry").getBytes(StandardCharsets.UTF_8));
                assertTrue(Rfc9162.verifyInclusion(sequence - 1, size, leafHash, base64s(proof), checkpoint.getValue()),
                        "record " + sequence + " in the signed tree of " + size);
                assertFalse(Rfc9162.verifyInclusion(sequence - 1, size, Rfc9162.leafHash("forged".getBytes(StandardCharsets.UTF_8)), base64s(proof),
                        checkpoint.getValue()), "the same path does not prove another entry");
            }
            for (Long from : previousSize == null ? List.<Long>of() : List.of(previousSize, 1 + (long) (random.nextDouble() * previousSize))) {
                JsonObject proof = Deployed.json(app.get("/api/v1/audit/consistency?from=" + from + "&to=" + size, officer));
                byte[] fromRoot = roots.containsKey(from) ? roots.get(from) : java.util.Base64.getDecoder().decode(proof.getString("fromRootHash"));
                assertTrue(Rfc9162.verifyConsistency(from, size, fromRoot, checkpoint.getValue(), base64s(proof.getJsonArray("proof"))),
                        "tree of " + from + " is a prefix of the signed tree of " + size);
            }
            previousSize = size;
        }
        long beyond = latestCheckpointSize(app, officer) + 1_000_000;
        for (String bad : List.of("/api/v1/audit/records/5/inclusion?treeSize=" + beyond, "/api/v1/audit/records/5/inclusion?treeSize=4",
                "/api/v1/audit/records/0/inclusion?treeSize=4", "/api/v1/audit/records/x/inclusion", "/api/v1/audit/consistency?from=5&to=4",
                "/api/v1/audit/consistency?from=0&to=4", "/api/v1/audit/consistency?from=1&to=" + beyond, "/api/v1/audit/consistency?from=1")) {
            HttpResponse<String> refused = app.get(bad, officer);
            assertEquals(400, refused.statusCode(), bad + ": " + refused.body());
            assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), bad);
        }
        assertEquals(403, app.get("/api/v1/audit/checkpoint", Deployed.token("operator")).statusCode());
    }

    private static long latestCheckpointSize(Deployed app, String officer) {
        HttpResponse<String> latest = app.get("/api/v1/audit/checkpoint", officer);
        if (latest.statusCode() == 404) {
            return 0;
        }
        assertEquals(200, latest.statusCode(), latest.body());
        return Long.parseLong(latest.body().split("\n")[1]);
    }

    private static long newestSequence(Deployed app, String officer, String actor) {
        List<JsonObject> records = Deployed.json(app.get("/api/v1/audit/records?limit=1000&actor=" + actor, officer))
                .getJsonArray("records").getValuesAs(JsonObject.class);
        return records.get(records.size() - 1).getJsonNumber("sequence").longValue();
    }

    private static List<byte[]> base64s(JsonObject inclusion) {
        return base64s(inclusion.getJsonArray("auditPath"));
    }

    private static List<byte[]> base64s(jakarta.json.JsonArray hashes) {
        return hashes.getValuesAs(jakarta.json.JsonString.class).stream().map(h -> java.util.Base64.getDecoder().decode(h.getString())).toList();
    }

    private static void tamper(Statement s, long seq, String details) throws SQLException {
        withoutTrigger(s, "aud_record_no_update", () -> {
            try (PreparedStatement update = s.getConnection().prepareStatement("UPDATE aud_record SET details = ? WHERE seq = ?")) {
                update.setString(1, details);
                update.setLong(2, seq);
                assertEquals(1, update.executeUpdate());
            }
        });
    }

    /** What an administrator with DDL rights can do: drop a trigger, do the forbidden thing, put the trigger back as it was. */
    static void withoutTrigger(Statement s, String trigger, SqlWork work) throws SQLException {
        String definition;
        try (ResultSet rs = s.executeQuery("SHOW CREATE TRIGGER " + trigger)) {
            assertTrue(rs.next(), trigger);
            // as the table's owner defined it, without the DEFINER clause that only a SET USER privilege may write
            definition = rs.getString("SQL Original Statement").replaceFirst("DEFINER=\\S+ ", "");
        }
        s.execute("DROP TRIGGER " + trigger);
        try {
            work.run();
        } finally {
            s.execute(definition);
        }
    }

    @FunctionalInterface
    interface SqlWork {
        void run() throws SQLException;
    }

    /** Records appear in the trail once the sequencer numbered them: waits (at most 10 s) for {@code count} of the actor's. */
    static void awaitNumbered(Deployed app, String officer, String actor, int count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            JsonObject page = Deployed.json(app.get("/api/v1/audit/records?limit=1000&actor=" + actor, officer));
            seen = page.getJsonArray("records").size();
            if (seen >= count) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError(count + " records of " + actor + " expected in the numbered trail within 10 s, " + seen + " seen");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
