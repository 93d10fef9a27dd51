package io.guestbridge.app.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where guest data enters: Purple's webhook (URL checks, the payload exactly as documented, refusals that
 * store nothing, a burst) and the Standard Webhooks signed endpoints (generic guest events, bookings).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IngestionIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    @Test
    void answersUrlChecksAndStoresTheDocumentedPayloadExactlyAsSent() throws Exception {
        Deployed app = new Deployed(url);
        String path = register(app, "documented payload");
        HttpResponse<String> get = app.get(path, null);
        assertEquals(200, get.statusCode(), get.body());
        assertEquals("1", get.headers().firstValue("wifiWebhookListener").orElse(""));
        HttpResponse<String> head = app.send("HEAD", path, null);
        assertEquals(200, head.statusCode());
        assertEquals("1", head.headers().firstValue("wifiWebhookListener").orElse(""));

        long before = inboxRows();
        HttpResponse<String> ping = post(app, path, null, null, new byte[0]);
        assertEquals(200, ping.statusCode(), ping.body());
        assertEquals("1", ping.headers().firstValue("wifiWebhookListener").orElse(""));
        assertEquals(before, inboxRows(), "a URL check stores nothing");

        byte[] documented = fixture();
        // exactly as Purple sends it: no Content-Type header at all
        HttpResponse<String> stored = post(app, path, null, null, documented);
        assertEquals(200, stored.statusCode(), stored.body());
        assertEquals("1", stored.headers().firstValue("wifiWebhookListener").orElse(""));
        long id = Deployed.json(stored).getJsonNumber("id").longValue();
        assertArrayEquals(documented, body(id), "the inbox keeps the bytes as received");
        assertTrue(queuedForProcessing(id), "the event is queued for processing in the same transaction");

        String extended = new String(documented, StandardCharsets.UTF_8).replaceFirst("\\{",
                "{\"loyalty\":{\"tier\":\"gold\",\"points\":[1,2,3]},\"newField\":null,");
        assertEquals(200, post(app, path, "application/json", null, extended.getBytes(StandardCharsets.UTF_8)).statusCode(),
                "fields Purple adds later are accepted");

        HttpResponse<String> zipped = post(app, path, "application/json; charset=utf-8", "gzip", gzip(documented));
        assertEquals(200, zipped.statusCode(), zipped.body());
        assertEquals(sha256(documented), bodySha256(Deployed.json(zipped).getJsonNumber("id").longValue()), "gzip bodies are stored decompressed");
    }

    @Test
    void unknownAndRevokedKeysStoreNothingAndAreAuditedWithoutTheKey() throws Exception {
        Deployed app = new Deployed(url);
        String path = register(app, "to be revoked");
        String unknown = "/api/v1/ingest/purple/" + "Zz9_".repeat(10) + "abc";
        long before = inboxRows();
        HttpResponse<String> refused = post(app, unknown, "application/json", null, fixture());
        assertEquals(404, refused.statusCode());
        assertEquals("https://guestbridge.io/problems/not-found", Deployed.json(refused).getString("type"));
        assertFalse(refused.body().contains("Zz9_Zz9_"), "the key is not echoed: " + refused.body());
        assertEquals(before, inboxRows());
        assertTrue(count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'INGEST_UNKNOWN_SOURCE'") >= 1);
        assertEquals(0, count("SELECT COUNT(*) FROM aud_record_written WHERE details LIKE '%Zz9_Zz9_%'"), "the audit keeps no key");

        String sourceId = sourceIdOf(app, path);
        HttpResponse<String> revoked = app.send(app.request("/api/v1/sources/" + sourceId, Deployed.token("operator"))
                .DELETE().build());
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertFalse(Deployed.json(revoked).getBoolean("active"));
        assertEquals(404, post(app, path, null, null, fixture()).statusCode(), "a revoked key no longer opens the door");
        assertEquals(404, app.get(path, null).statusCode());
        assertEquals(before, inboxRows());
        assertTrue(count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'SOURCE_REVOKED' AND details LIKE '%" + sourceId + "%'") == 1);

        HttpResponse<String> listed = app.get("/api/v1/sources", Deployed.token("integration"));
        assertEquals(200, listed.statusCode());
        assertFalse(listed.body().contains(path.substring(path.lastIndexOf('/') + 1)), "listing never shows a key");
    }

    @Test
    void badInputGetsAProblemNeverA5xxAndStoresNothing() throws Exception {
        Deployed app = new Deployed(url);
        String path = register(app, "bad input");
        String valid = new String(fixture(), StandardCharsets.UTF_8);
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("10 MB body", new Object[]{"application/json", null, ("{\"x\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}").getBytes(), 413});
        cases.put("gzip bomb", new Object[]{"application/json", "gzip", gzip(("{\"x\":\"" + "0".repeat(20 * 1024 * 1024) + "\"}").getBytes()), 413});
        cases.put("not gzip", new Object[]{"application/json", "gzip", valid.getBytes(), 400});
        cases.put("brotli", new Object[]{"application/json", "br", valid.getBytes(), 415});
        cases.put("malformed", new Object[]{"application/json", null, "{\"user\": {\"email\": }".getBytes(), 400});
        cases.put("truncated", new Object[]{"application/json", null, valid.substring(0, valid.length() / 2).getBytes(), 400});
        cases.put("invalid UTF-8", new Object[]{"application/json", null, new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 400});
        cases.put("deep nesting", new Object[]{"application/json", null, ("{\"a\":".repeat(100) + "1" + "}".repeat(100)).getBytes(), 400});
        cases.put("array, not object", new Object[]{"application/json", null, "[1,2,3]".getBytes(), 400});
        cases.put("two values", new Object[]{"application/json", null, "{}{}".getBytes(), 400});
        cases.put("raw control character", new Object[]{"application/json", null, "{\"a\":\"x\u0001y\"}".getBytes(), 400});
        cases.put("xml", new Object[]{"text/xml", null, "<user/>".getBytes(), 415});
        cases.put("form", new Object[]{"application/x-www-form-urlencoded", null, "email=a%40b.c".getBytes(), 415});
        long before = inboxRows();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Object[] v = c.getValue();
            HttpResponse<String> response = post(app, path, (String) v[0], (String) v[1], (byte[]) v[2]);
            int expected = (int) v[3];
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (response.statusCode() != expected || !type.startsWith("application/problem+json")) {
                failures.add(c.getKey() + ": expected " + expected + " problem+json, got " + response.statusCode() + " " + type);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(before, inboxRows(), "nothing refused was stored");

        // odd but well-formed content is data, not an attack on us: stored verbatim for processing to judge
        String hostile = "{\"user\":{\"email\":\"x'); DROP TABLE ing_inbox;--@example.com\",\"firstName\":\"<script>alert(1)</script>\","
                + "\"lastName\":\"\\u0000\\u0001\",\"id\":\"" + "9".repeat(5000) + "\"},\"session\":{\"authenticationTime\":\"9999-12-31T23:59:59+0000\"}}";
        HttpResponse<String> accepted = post(app, path, "application/json", null, hostile.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, accepted.statusCode(), accepted.body());
        assertArrayEquals(hostile.getBytes(StandardCharsets.UTF_8), body(Deployed.json(accepted).getJsonNumber("id").longValue()));
    }

    @Test
    void everyAcknowledgedEventOfABurstIsCommitted() throws Exception {
        Deployed app = new Deployed(url);
        String path = register(app, "burst");
        String template = new String(fixture(), StandardCharsets.UTF_8);
        int senders = 32;
        int perSender = 100;
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perSender; i++) {
                    byte[] event = template.replace("2018-01-18T13:27:08+0000", String.format("2018-01-18T13:%02d:%02d+0000", sender, i % 60))
                            .replace("\"id\":888,\"lastName\"", "\"id\":" + (sender * 1000 + i) + ",\"lastName\"").getBytes(StandardCharsets.UTF_8);
                    HttpResponse<String> response = post(app, path, null, null, event);
                    if (response.statusCode() == 200) {
                        acknowledged.put(Deployed.json(response).getJsonNumber("id").longValue(), sha256(event));
                    } else {
                        failures.add(response.statusCode() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(failures.isEmpty(), failures.size() + " failed, e.g. " + (failures.isEmpty() ? "" : failures.get(0)));
        assertEquals(senders * perSender, acknowledged.size(), "every request got its own inbox id");
        String sourceId = sourceIdOf(app, path);
        try (Connection c = Deployed.database();
             PreparedStatement s = c.prepareStatement("SELECT id, body_sha256 FROM ing_inbox WHERE source_id = ?")) {
            s.setString(1, sourceId);
            Map<Long, String> stored = new java.util.HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getLong(1), rs.getString(2));
                }
            }
            assertEquals(acknowledged, stored, "what was acknowledged is exactly what is committed");
        }
    }

    @Test
    void signedGuestEventsAreVerifiedBeforeAnythingIsStored() throws Exception {
        Deployed app = new Deployed(url);
        JsonObject registered = registerSigned(app, "GENERIC", "middleware");
        String secret = registered.getString("signingSecret");
        assertTrue(secret.startsWith("whsec_"));
        assertEquals("/api/v1/ingest/guest-events", registered.getString("webhookPath"));

        String one = "{\"email\":\"guest@example.com\",\"full_name\":\"Jane Smith\",\"connect_time\":\"2025-03-15T14:32:00Z\","
                + "\"venue_name\":\"The Grand Hotel\",\"marketing_consent\":true,\"consent_wording_id\":\"portal\",\"consent_wording_version\":\"4\"}";
        HttpResponse<String> stored = signedPost(app, "/api/v1/ingest/guest-events", secret, "msg_one", one, 0);
        assertEquals(200, stored.statusCode(), stored.body());
        long id = Deployed.json(stored).getJsonArray("ids").getJsonNumber(0).longValue();
        assertArrayEquals(one.getBytes(StandardCharsets.UTF_8), body(id));
        assertEquals("msg_one", deliveryId(id));

        HttpResponse<String> batch = signedPost(app, "/api/v1/ingest/guest-events", secret, "msg_batch", "[" + one + "," + one + "," + one + "]", 0);
        assertEquals(200, batch.statusCode(), batch.body());
        assertEquals(3, Deployed.json(batch).getJsonArray("ids").size());
        assertEquals("msg_batch#2", deliveryId(Deployed.json(batch).getJsonArray("ids").getJsonNumber(2).longValue()));

        long before = inboxRows();
        List<String> failures = new ArrayList<>();
        expectStatus(failures, "unsigned", app.post("/api/v1/ingest/guest-events", null, "application/json", one), 401);
        expectStatus(failures, "other secret", signedPost(app, "/api/v1/ingest/guest-events", "whsec_" + java.util.Base64.getEncoder()
                .encodeToString(new byte[32]), "msg_x", one, 0), 401);
        expectStatus(failures, "six minutes old", signedPost(app, "/api/v1/ingest/guest-events", secret, "msg_old", one, -360), 401);
        expectStatus(failures, "body changed after signing", app.send(app.request("/api/v1/ingest/guest-events", null)
                .header("Content-Type", "application/json").header("webhook-id", "msg_t")
                .header("webhook-timestamp", Long.toString(java.time.Instant.now().getEpochSecond()))
                .header("webhook-signature", io.guestbridge.platform.api.WebhookSignatures.sign(secret, "msg_t",
                        java.time.Instant.now().getEpochSecond(), one.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(one.replace("Jane", "John"))).build()), 401);
        expectStatus(failures, "array of scalars", signedPost(app, "/api/v1/ingest/guest-events", secret, "msg_s", "[1,2]", 0), 400);
        expectStatus(failures, "empty array", signedPost(app, "/api/v1/ingest/guest-events", secret, "msg_e", "[]", 0), 400);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(before, inboxRows(), "nothing unverified or malformed was stored");
        assertTrue(count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'INGEST_SIGNATURE_REFUSED'") >= 1);

        // rotation: the new secret works at once and the old one keeps working during the grace period
        HttpResponse<String> rotated = app.post("/api/v1/sources/" + registered.getJsonObject("source").getString("id")
                + "/secret-rotations", Deployed.token("operator"), null, null);
        assertEquals(200, rotated.statusCode(), rotated.body());
        String newSecret = Deployed.json(rotated).getString("signingSecret");
        Thread.sleep(5200); // the secret cache of the endpoint lives 5 s
        assertEquals(200, signedPost(app, "/api/v1/ingest/guest-events", newSecret, "msg_new", one, 0).statusCode());
        assertEquals(200, signedPost(app, "/api/v1/ingest/guest-events", secret, "msg_old_secret", one, 0).statusCode());
        try (Connection c = Deployed.database(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sealed FROM ing_signing_secret")) {
            while (rs.next()) {
                assertFalse(rs.getString(1).contains(secret.substring(6, 20)), "secrets are stored sealed");
            }
        }
    }

    @Test
    void bookingEventsNeedTheirSourcesKeyAndSignature() throws Exception {
        Deployed app = new Deployed(url);
        JsonObject hotel = registerSigned(app, "BOOKING", "hotel PMS");
        JsonObject other = registerSigned(app, "BOOKING", "other PMS");
        String path = hotel.getString("webhookPath");
        assertTrue(path.startsWith("/api/v1/ingest/bookings/"));
        String booking = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-11-25T08:00:00Z\",\"reservation\":{\"id\":\"R-1\","
                + "\"arrival\":\"2026-03-28T15:00\",\"departure\":\"2026-03-30T11:00\",\"timeZone\":\"Europe/London\"},"
                + "\"guest\":{\"id\":\"G-1\",\"email\":\"jane@example.com\"}}";
        HttpResponse<String> stored = signedPost(app, path, hotel.getString("signingSecret"), "evt_1", booking, 0);
        assertEquals(200, stored.statusCode(), stored.body());
        long before = inboxRows();
        assertEquals(401, signedPost(app, path, other.getString("signingSecret"), "evt_2", booking, 0).statusCode(),
                "another source's secret does not sign for this one");
        assertEquals(404, signedPost(app, "/api/v1/ingest/bookings/" + "A".repeat(43), hotel.getString("signingSecret"), "evt_3", booking, 0).statusCode());
        assertEquals(404, signedPost(app, "/api/v1/ingest/purple/" + path.substring(path.lastIndexOf('/') + 1),
                hotel.getString("signingSecret"), "evt_4", booking, 0).statusCode(), "a booking key is not a Purple key");
        assertEquals(before, inboxRows());
    }

    private static JsonObject registerSigned(Deployed app, String kind, String name) {
        HttpResponse<String> created = app.post("/api/v1/sources", Deployed.token("operator"), "application/json",
                "{\"kind\":\"" + kind + "\",\"name\":\"" + name + "\",\"timeZone\":\"Europe/London\"}");
        assertEquals(201, created.statusCode(), created.body());
        return Deployed.json(created);
    }

    private static HttpResponse<String> signedPost(Deployed app, String path, String secret, String id, String body, long skewSeconds) {
        long timestamp = java.time.Instant.now().getEpochSecond() + skewSeconds;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return app.send(app.request(path, null).header("Content-Type", "application/json")
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", io.guestbridge.platform.api.WebhookSignatures.sign(secret, id, timestamp, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /**
     * Housekeeping on an idle system: nothing is sent or processed while it is watched, and still an expired
     * duplicate key is forgotten and a quarantined event nobody touched for longer than its retention is discarded,
     * its body gone, with the retention run audited by counts.
     */
    @Test
    void housekeepingRunsOnAnIdleSystemAndForgottenQuarantinedEventsAreDiscarded() throws Exception {
        Deployed app = new Deployed(url);
        JsonObject hotel = ProcessingIT.registerSigned(app, "BOOKING", "forgotten quarantine");
        String noDeparture = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-10-01T08:00:00Z\",\"reservation\":{\"id\":\"R-40\","
                + "\"arrival\":\"2026-10-24T15:00\",\"timeZone\":\"Europe/London\"},\"guest\":{\"id\":\"G-40\",\"email\":\"forgotten@example.com\"}}";
        long id = ProcessingIT.stored(ProcessingIT.signedPost(app, hotel.getString("webhookPath"), hotel.getString("signingSecret"), "bk_forgotten", noDeparture));
        assertEquals("QUARANTINED", ProcessingIT.awaitState(id));
        long deadline = System.currentTimeMillis() + 60_000;
        while (ProcessingIT.count("SELECT COUNT(*) FROM ing_inbox WHERE state = 'RECEIVED'") > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, ProcessingIT.count("SELECT COUNT(*) FROM ing_inbox WHERE state = 'RECEIVED'"), "the inbox is idle");
        long auditedBefore = ProcessingIT.count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'RETENTION_PURGED' AND details LIKE '%quarantined-events%'");
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(("expired-" + id).getBytes(StandardCharsets.UTF_8)));
        try (Connection c = Deployed.database()) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ing_dedup (dedup_key, inbox_id, expires_at) VALUES (?, ?, UTC_TIMESTAMP(6) - INTERVAL 1 DAY)")) {
                s.setString(1, key);
                s.setLong(2, id);
                s.executeUpdate();
            }
            // received 40 days ago: past the 30 days quarantined events are kept by default
            try (PreparedStatement s = c.prepareStatement("UPDATE ing_inbox SET received_at = received_at - INTERVAL 40 DAY WHERE id = ?")) {
                s.setLong(1, id);
                assertEquals(1, s.executeUpdate());
            }
        }
        deadline = System.currentTimeMillis() + 20_000;
        while ((ProcessingIT.count("SELECT COUNT(*) FROM ing_dedup WHERE dedup_key = '" + key + "'") > 0 || !"DISCARDED".equals(ProcessingIT.state(id)))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
        }
        assertEquals(0, ProcessingIT.count("SELECT COUNT(*) FROM ing_dedup WHERE dedup_key = '" + key + "'"), "the expired duplicate key is forgotten with nothing processed");
        assertEquals("DISCARDED", ProcessingIT.state(id), "the forgotten quarantined event is discarded");
        assertEquals(0, ProcessingIT.body(id).length, "its raw body is gone");
        assertEquals(0, ProcessingIT.count("SELECT COUNT(*) FROM ing_inbox WHERE id = " + id + " AND reason NOT LIKE 'discarded: quarantined longer than%'"),
                "the reason says why");
        assertTrue(ProcessingIT.count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'RETENTION_PURGED' AND details LIKE '%quarantined-events%'") > auditedBefore,
                "the run is audited");
        JsonObject retention = Deployed.json(app.get("/api/v1/privacy/retention", Deployed.token("dpo")));
        assertTrue(retention.getJsonArray("policies").stream().anyMatch(p -> p.asJsonObject().getString("category").equals("quarantined-events")
                && p.asJsonObject().getInt("retentionDays") == 30), retention.toString());
    }

    private static void expectStatus(List<String> failures, String label, HttpResponse<String> response, int status) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() != status || !type.startsWith("application/problem+json")) {
            failures.add(label + ": expected " + status + " problem+json, got " + response.statusCode() + " " + type + " " + response.body());
        }
    }

    private static String deliveryId(long id) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT delivery_id FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private static String register(Deployed app, String name) {
        HttpResponse<String> created = app.post("/api/v1/sources", Deployed.token("integration"), "application/json",
                "{\"kind\":\"PURPLE\",\"name\":\"" + name + "\",\"venueRef\":\"venue-888\",\"timeZone\":\"Europe/London\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject body = Deployed.json(created);
        assertEquals(43, body.getString("key").length());
        return body.getString("webhookPath");
    }

    private static String sourceIdOf(Deployed app, String path) throws SQLException {
        String key = path.substring(path.lastIndexOf('/') + 1);
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT id FROM ing_source WHERE key_hash = ?")) {
            s.setString(1, sha256(key.getBytes(StandardCharsets.UTF_8)));
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private static HttpResponse<String> post(Deployed app, String path, String contentType, String encoding, byte[] body) {
        HttpRequest.Builder request = app.request(path, null).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return app.send(request.build());
    }

    private static byte[] fixture() throws IOException {
        try (InputStream in = IngestionIT.class.getResourceAsStream("/fixtures/purple-webhook-as-documented.json")) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(data);
        }
        return out.toByteArray();
    }

    private static long inboxRows() throws SQLException {
        return count("SELECT COUNT(*) FROM ing_inbox");
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = Deployed.database(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The row's body opened as the server opens it; the stored bytes must be sealed, not the body in clear. */
    private static byte[] body(long id) throws SQLException {
        try (Connection c = Deployed.database(); Connection keys = ItEnvironment.keysConnection()) {
            AtRestReader atRest = new AtRestReader(c, keys);
            byte[] body = atRest.body(id).orElseThrow(() -> new AssertionError("inbox row " + id + " has a body that opens"));
            assertFalse(java.util.Arrays.equals(body, atRest.stored(id)), "inbox row " + id + " is sealed at rest");
            return body;
        }
    }

    private static String bodySha256(long id) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT body_sha256 FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "inbox row " + id + " exists");
                return rs.getString(1);
            }
        }
    }

    /** Queued in the intake's transaction: the work item is there, or processing already finished the row. */
    private static boolean queuedForProcessing(long id) throws SQLException {
        if (!"RECEIVED".equals(ProcessingIT.state(id))) {
            return true;
        }
        try (Connection c = Deployed.database(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT payload FROM plt_work_item WHERE queue = 'ingestion-inbox'")) {
            while (rs.next()) {
                String payload = rs.getString(1).replace(" ", "");
                if (payload.matches(".*[\\[,]" + id + "[,\\]].*")) {
                    return true;
                }
            }
            return false;
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
