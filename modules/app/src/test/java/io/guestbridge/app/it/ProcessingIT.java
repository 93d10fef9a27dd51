package io.guestbridge.app.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inbox becoming guest data inside the server: Purple logins, generic guest events and bookings
 * turned into guests, visits, devices, stays and consent; duplicates dropped; unusable events in
 * quarantine with their reason, replayed after a fix or discarded.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
// the burst runs last: the records of its 17,000 events are numbered by the audit sequencer for a while after it
// drained, and the change feed shows a change only once numbered, so after it the feed's test would wait on them
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessingIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    @Test
    void theDocumentedPurpleLoginBecomesAGuestWithAVisitADeviceAndThePortalTerms() throws Exception {
        Deployed app = new Deployed(url);
        String path = registerPurple(app, "documented login");
        String documented = new String(fixture(), StandardCharsets.UTF_8).replace("webhook@test.com", "purple-documented@example.com");
        long first = stored(post(app, path, documented));
        assertEquals("PROCESSED", awaitState(first));

        String guest = find(app, "purple-documented@example.com");
        JsonObject profile = Deployed.json(app.get("/api/v1/guests/" + guest, Deployed.token("operator")));
        JsonObject fields = profile.getJsonObject("fields");
        assertEquals("Webhook", fields.getJsonObject("FIRST_NAME").getString("value"));
        assertEquals("1970-01-01", fields.getJsonObject("BIRTH_DATE").getString("value"), "\" dateOfBirth\" with its stray space is mapped");
        assertEquals("F", fields.getJsonObject("GENDER").getString("value"));
        assertEquals("Linux", fields.getJsonObject("OS").getString("value"), "the user agent is parsed into the OS");
        assertEquals("WIFI", fields.getJsonObject("FIRST_NAME").getString("source"));

        JsonObject activity = Deployed.json(app.get("/api/v1/guests/" + guest + "/visits", Deployed.token("operator")));
        assertEquals(1, activity.getJsonObject("summary").getInt("visits"));
        assertEquals("Your venue name", activity.getJsonArray("visits").getJsonObject(0).getString("venueName"));
        assertEquals("2018-01-18", activity.getJsonArray("visits").getJsonObject(0).getString("day"));
        JsonObject device = activity.getJsonArray("devices").getJsonObject(0);
        assertFalse(device.getBoolean("randomised"), "00-01-02-… is a universally administered MAC");
        assertFalse(activity.toString().contains("00-01-02") || activity.toString().contains("000102"), "no MAC leaves the module");
        assertEquals(0, count("SELECT COUNT(*) FROM idn_device WHERE mac_hash_sealed LIKE '%000102030405%'"), "the MAC is stored only hashed and sealed");

        // Purple's retry of the same login three hours later: a duplicate, nothing counted twice
        long retry = stored(post(app, path, documented));
        assertEquals("DUPLICATE", awaitState(retry));
        assertEquals(1, Deployed.json(app.get("/api/v1/guests/" + guest + "/visits", Deployed.token("operator")))
                .getJsonObject("summary").getInt("visits"));
        assertEquals(0, body(retry).length, "a duplicate's payload is not kept");

        // the venue's portal wording is configured; the next login records the terms against it
        String venue = venueId(app, "purple:888");
        HttpResponse<String> patched = app.send(app.request("/api/v1/venues/" + venue, Deployed.token("operator"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"timeZone\":\"Europe/London\",\"terms\":{\"id\":\"portal-terms\",\"version\":\"2\"}}")).build());
        assertEquals(200, patched.statusCode(), patched.body());
        long nextDay = stored(post(app, path, documented.replace("2018-01-18T13:27:08", "2018-01-19T09:00:00")));
        assertEquals("QUARANTINED", awaitState(nextDay), "the venue's terms wording is not published yet: held, not lost");
        publishWording(app, "portal-terms", "2", "terms");
        HttpResponse<String> replayed = app.send(app.request("/api/v1/ingest/quarantine/" + nextDay + "/replay", Deployed.token("operator"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(202, replayed.statusCode(), replayed.body());
        assertEquals("PROCESSED", awaitState(nextDay), "replayed after the fix, as it was");
        JsonObject consent = Deployed.json(app.get("/api/v1/guests/" + guest + "/consent", Deployed.token("dpo")));
        assertEquals("GRANTED", consent.getJsonObject("currentState").getString("terms"));
        assertEquals("The text of portal-terms version 2.", consent.getJsonObject("wordings").getJsonObject("portal-terms@2").getString("text"),
                "the evidence carries the exact text the guest saw");
        assertEquals(2, Deployed.json(app.get("/api/v1/guests/" + guest + "/visits", Deployed.token("operator")))
                .getJsonObject("summary").getInt("visits"), "another day is another visit");
    }

    @Test
    void genericGuestEventsRecordConsentWithTheWordingAndNeverCountPreTickedBoxes() throws Exception {
        Deployed app = new Deployed(url);
        JsonObject source = registerSigned(app, "GENERIC", "portal events");
        publishWording(app, "portal-marketing", "4", "marketing_email");
        String secret = source.getString("signingSecret");
        String event = "{\"email\":\"%s\",\"full_name\":\"Jane Smith\",\"phone\":\"+44 7911 123456\",\"device_type\":\"iPhone\","
                + "\"os\":\"iOS 17\",\"connect_time\":\"2025-03-15T14:32:00Z\",\"dwell_time_minutes\":47,\"visit_count\":3,"
                + "\"venue_name\":\"The Grand Hotel - Manchester\",\"access_point_zone\":\"Lobby\",\"marketing_consent\":true,"
                + "\"consent_wording_id\":\"portal-marketing\",\"consent_wording_version\":\"4\"%s}";
        String batch = "[" + String.format(event, "granted@example.com", "") + ","
                + String.format(event, "preticked@example.com", ",\"consent_pre_ticked\":true") + ","
                + String.format(event, "nowording@example.com", "").replace(",\"consent_wording_id\":\"portal-marketing\",\"consent_wording_version\":\"4\"", "")
                + "]";
        HttpResponse<String> response = signedPost(app, "/api/v1/ingest/guest-events", secret, "msg_consent_1", batch);
        assertEquals(200, response.statusCode(), response.body());
        for (var id : Deployed.json(response).getJsonArray("ids")) {
            assertEquals("PROCESSED", awaitState(((jakarta.json.JsonNumber) id).longValue()));
        }
        assertEquals("GRANTED", currentMarketing(app, "granted@example.com"));
        assertEquals("INVALID", currentMarketing(app, "preticked@example.com"), "a pre-ticked box is never consent");
        assertEquals("INVALID", currentMarketing(app, "nowording@example.com"), "a grant without the wording shown cannot be proven");

        String guest = find(app, "granted@example.com");
        JsonObject activity = Deployed.json(app.get("/api/v1/guests/" + guest + "/visits", Deployed.token("operator")));
        assertEquals(1, activity.getJsonObject("summary").getInt("visits"), "visit_count 3 from the sender is not trusted");
        assertEquals(47, activity.getJsonObject("summary").getInt("totalDwellMinutes"));
        assertEquals("Lobby", activity.getJsonArray("visits").getJsonObject(0).getString("zone"));
        JsonObject fields = Deployed.json(app.get("/api/v1/guests/" + guest, Deployed.token("operator"))).getJsonObject("fields");
        assertEquals("+447911123456", fields.getJsonObject("PHONE").getString("value"));
        assertEquals("Smith", fields.getJsonObject("LAST_NAME").getString("value"));

        // the same delivery again (the sender did not see our 200): all three are duplicates
        HttpResponse<String> again = signedPost(app, "/api/v1/ingest/guest-events", secret, "msg_consent_1", batch);
        for (var id : Deployed.json(again).getJsonArray("ids")) {
            assertEquals("DUPLICATE", awaitState(((jakarta.json.JsonNumber) id).longValue()));
        }
    }

    @Test
    void unusableEventsWaitInQuarantineWithTheirReasonUntilReplayedOrDiscarded() throws Exception {
        Deployed app = new Deployed(url);
        JsonObject hotel = registerSigned(app, "BOOKING", "quarantine hotel");
        String path = hotel.getString("webhookPath");
        String secret = hotel.getString("signingSecret");
        String noDeparture = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-10-01T08:00:00Z\",\"reservation\":{\"id\":\"R-9\","
                + "\"arrival\":\"2026-10-24T15:00\",\"timeZone\":\"Europe/London\"},\"guest\":{\"id\":\"G-9\",\"email\":\"quarantined@example.com\","
                + "\"firstName\":\"Quinn\"}}";
        long id = stored(signedPost(app, path, secret, "bk_q_1", noDeparture));
        assertEquals("QUARANTINED", awaitState(id));

        HttpResponse<String> list = app.get("/api/v1/ingest/quarantine?limit=500", Deployed.token("operator"));
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("\"id\":" + id), list.body());
        assertTrue(list.body().contains("departure"), "the reason names what is missing: " + list.body());
        assertFalse(list.body().contains("quarantined@example.com") || list.body().contains("Quinn"), "the list holds no personal data");
        assertEquals(403, app.get("/api/v1/ingest/quarantine", Deployed.token("integration")).statusCode());

        HttpResponse<String> inspected = app.get("/api/v1/ingest/quarantine/" + id, Deployed.token("operator"));
        assertEquals(200, inspected.statusCode(), inspected.body());
        assertTrue(inspected.body().contains("2026-10-24T15:00"), "non-personal values stay visible: " + inspected.body());
        assertFalse(inspected.body().contains("quarantined@example.com") || inspected.body().contains("Quinn"), inspected.body());

        String fixed = noDeparture.replace("\"arrival\":\"2026-10-24T15:00\"", "\"arrival\":\"2026-10-24T15:00\",\"departure\":\"2026-10-26T11:00\"");
        HttpResponse<String> replayed = app.send(app.request("/api/v1/ingest/quarantine/" + id + "/replay", Deployed.token("operator"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(fixed)).build());
        assertEquals(202, replayed.statusCode(), replayed.body());
        assertEquals("PROCESSED", awaitState(id));
        String guest = find(app, "quarantined@example.com");
        JsonObject stay = Deployed.json(app.get("/api/v1/guests/" + guest + "/visits", Deployed.token("operator")))
                .getJsonArray("stays").getJsonObject(0);
        assertEquals("2026-10-24T14:00:00Z", stay.getString("arrival"), "15:00 in London summer time");
        assertEquals("2026-10-26T11:00:00Z", stay.getString("departure"), "11:00 in London winter time");

        long other = stored(signedPost(app, path, secret, "bk_q_2", noDeparture.replace("R-9", "R-10")));
        assertEquals("QUARANTINED", awaitState(other));
        HttpResponse<String> personal = app.post("/api/v1/ingest/quarantine/" + other + "/discard", Deployed.token("operator"),
                "application/json", "{\"reason\":\"asked by quarantined@example.com\"}");
        assertEquals(400, personal.statusCode(), "a reason with personal data would land in the audit trail");
        HttpResponse<String> discarded = app.post("/api/v1/ingest/quarantine/" + other + "/discard", Deployed.token("operator"),
                "application/json", "{\"reason\":\"test booking from the PMS setup\"}");
        assertEquals(200, discarded.statusCode(), discarded.body());
        assertEquals("DISCARDED", state(other));
        assertEquals(0, body(other).length);
        assertEquals(404, app.post("/api/v1/ingest/quarantine/" + other + "/discard", Deployed.token("operator"),
                "application/json", "{\"reason\":\"again\"}").statusCode());
        for (String action : List.of("EVENT_QUARANTINED", "QUARANTINE_INSPECTED", "QUARANTINE_REPLAYED", "QUARANTINE_DISCARDED")) {
            assertTrue(count("SELECT COUNT(*) FROM aud_record_written WHERE action = '" + action + "'") >= 1, action + " is audited");
        }
    }

    @Test
    void hostileAndImplausibleContentIsProcessedSafelyOrQuarantinedNeverStuck() throws Exception {
        Deployed app = new Deployed(url);
        JsonObject source = registerSigned(app, "GENERIC", "hostile events");
        String secret = source.getString("signingSecret");
        String now = Instant.now().minusSeconds(60).toString();
        Map<String, String> expected = new HashMap<>();
        expected.put("{\"email\":\"sqli@example.com\",\"full_name\":\"Robert'); DROP TABLE idn_guest;--\",\"connect_time\":\"" + now + "\"}", "PROCESSED");
        expected.put("{\"email\":\"xss@example.com\",\"full_name\":\"<script>alert(1)</script>\",\"connect_time\":\"" + now + "\"}", "PROCESSED");
        expected.put("{\"email\":\"ctrl@example.com\",\"full_name\":\"A\\u0000B\\u001bC\",\"connect_time\":\"" + now + "\"}", "PROCESSED");
        // a 100,000-character name is kept for correction in quarantine, never stored cut to a name nobody gave
        expected.put("{\"email\":\"huge@example.com\",\"full_name\":\"" + "x".repeat(100_000) + "\",\"connect_time\":\"" + now + "\"}", "QUARANTINED");
        expected.put("{\"email\":\"not an email\",\"connect_time\":\"" + now + "\"}", "QUARANTINED");
        expected.put("{\"email\":\"a@b\",\"connect_time\":\"" + now + "\"}", "QUARANTINED");
        expected.put("{\"email\":\"future@example.com\",\"connect_time\":\"2999-01-01T00:00:00Z\"}", "QUARANTINED");
        expected.put("{\"email\":\"past@example.com\",\"connect_time\":\"1901-01-01T00:00:00Z\"}", "QUARANTINED");
        expected.put("{\"email\":\"nodate@example.com\"}", "QUARANTINED");
        expected.put("{\"email\":\"dwell@example.com\",\"connect_time\":\"" + now + "\",\"dwell_time_minutes\":-5}", "QUARANTINED");
        int n = 0;
        Map<Long, String> ids = new HashMap<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            HttpResponse<String> response = signedPost(app, "/api/v1/ingest/guest-events", secret, "hostile_" + (n++), e.getKey());
            assertEquals(200, response.statusCode(), response.body());
            ids.put(stored(response), e.getValue());
        }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Long, String> e : ids.entrySet()) {
            String state = awaitState(e.getKey());
            if (!state.equals(e.getValue())) {
                wrong.add(e.getKey() + ": " + state + " instead of " + e.getValue());
            }
        }
        assertTrue(wrong.isEmpty(), wrong.toString());
        assertEquals(1, count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'idn_guest'"));
        String guest = find(app, "sqli@example.com");
        assertEquals("Robert');", Deployed.json(app.get("/api/v1/guests/" + guest, Deployed.token("operator")))
                .getJsonObject("fields").getJsonObject("FIRST_NAME").getString("value"), "stored as data, never run");
    }

    /**
     * Seed-sized for CI: 20,000 Purple requests from 32 concurrent senders: 17,000 distinct logins (1,700
     * guests, two logins a day on five days, in shuffled order), 2,000 exact retries sent right after their
     * original and 1,000 retries sent out of order at the end. After draining, every distinct login is
     * processed once and every retry is a duplicate; each guest has five visits of two logins.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aBurstWithRetriesAndOutOfOrderArrivalsCountsEveryVisitExactlyOnce() throws Exception {
        Deployed app = new Deployed(url);
        String path = registerPurple(app, "burst venue");
        String sourceId = sourceIdOf(path);
        String template = new String(fixture(), StandardCharsets.UTF_8).replace("\"id\":888,\"latitude\"", "\"id\":7001,\"latitude\"");
        int guests = 1_700;
        List<String> distinct = new ArrayList<>();
        for (int g = 0; g < guests; g++) {
            for (int day = 0; day < 5; day++) {
                for (String time : List.of("09:%02d:00", "17:%02d:00")) {
                    // London is on GMT in January: local 09:mm is 09:mm UTC, inside one calendar day
                    String at = String.format("2026-01-%02dT" + time + "+0000", 12 + day, g % 60);
                    distinct.add(template.replace("2018-01-18T13:27:08+0000", at).replace("webhook@test.com", "burst-" + g + "@example.com")
                            .replace("\"id\":888,\"lastName\"", "\"id\":" + (500_000 + g) + ",\"lastName\""));
                }
            }
        }
        java.util.Random random = new java.util.Random(42);
        Collections.shuffle(distinct, random);
        List<String> plan = new ArrayList<>(20_000);
        for (int i = 0; i < distinct.size(); i++) {
            plan.add(distinct.get(i));
            if (i % 17 < 2) {           // 2,000 exact retries, right after their original
                plan.add(distinct.get(i));
            }
        }
        List<String> late = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            late.add(distinct.get(random.nextInt(distinct.size())));
        }
        plan.addAll(late);              // 1,000 out-of-order retries at the end
        assertEquals(20_000, plan.size());

        long deadlocksBefore = innodbDeadlocks();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(32);
        long started = System.nanoTime();
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            running.add(senders.submit(() -> {
                for (int i = next.getAndIncrement(); i < plan.size(); i = next.getAndIncrement()) {
                    HttpResponse<String> response = post(app, path, plan.get(i));
                    if (response.statusCode() != 200) {
                        failures.add(response.statusCode() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        for (var f : running) {
            f.get(300, java.util.concurrent.TimeUnit.SECONDS);
        }
        senders.shutdown();
        double intakeSeconds = (System.nanoTime() - started) / 1e9;
        assertTrue(failures.isEmpty(), failures.size() + " requests failed, e.g. " + (failures.isEmpty() ? "" : failures.get(0)));

        long deadline = System.currentTimeMillis() + 400_000;
        while (count("SELECT COUNT(*) FROM ing_inbox WHERE source_id = '" + sourceId + "' AND state = 'RECEIVED'") > 0
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        double drainedSeconds = (System.nanoTime() - started) / 1e9;
        java.util.logging.Logger.getLogger(ProcessingIT.class.getName()).info(String.format("burst: 20000 requests acknowledged in %.1f s, processed by %.1f s, %d InnoDB deadlocks",
                intakeSeconds, drainedSeconds, innodbDeadlocks() - deadlocksBefore));
        Map<String, Long> states = new HashMap<>();
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement(
                "SELECT state, COUNT(*) FROM ing_inbox WHERE source_id = ? GROUP BY state")) {
            s.setString(1, sourceId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        assertEquals(Map.of("PROCESSED", 17_000L, "DUPLICATE", 3_000L), states, "nothing lost, nothing processed twice");
        String venue = "(SELECT id FROM idn_venue WHERE ref = 'purple:7001')";
        assertEquals(guests * 5L, count("SELECT COUNT(*) FROM idn_visit WHERE venue_id = " + venue), "one visit per guest per day");
        assertEquals(17_000L, count("SELECT SUM(logins) FROM idn_visit WHERE venue_id = " + venue), "two logins in every visit");
        assertEquals(0L, count("SELECT COUNT(*) FROM (SELECT guest_id FROM idn_visit WHERE venue_id = " + venue
                + " GROUP BY guest_id HAVING COUNT(*) <> 5) wrong"), "every guest has five visits");
        assertEquals(0L, count("SELECT COUNT(*) FROM idn_visit WHERE venue_id = " + venue
                + " AND (HOUR(first_seen) <> 9 OR HOUR(last_seen) <> 17)"), "out-of-order logins widen a visit to its earliest and latest");
        assertEquals(guests, count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'GUEST_CREATED' AND actor = 'source:" + sourceId + "'"),
                "each guest created once");
    }

    /** The audit records the change feed is made of (the log holds numbered records only). */
    private static final int FEED_PAGE = 500;
    private static final String GUEST_CHANGES = "module = 'identity' "
            + "AND action IN ('GUEST_CREATED', 'GUEST_FIELD_CHANGED', 'GUEST_RECTIFIED', 'GUEST_UPDATED')";

    @Test
    void theChangeFeedMissesNothingAndRepeatsNothingWhileGuestsAreWritten() throws Exception {
        Deployed app = new Deployed(url);
        String path = registerPurple(app, "change feed");
        String template = new String(fixture(), StandardCharsets.UTF_8);
        int writers = 8;
        int perWriter = 60;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            running.add(pool.submit(() -> {
                for (int i = 0; i < perWriter; i++) {
                    String at = String.format("2026-02-%02dT10:%02d:00+0000", 1 + i % 20, writer);
                    assertEquals(200, post(app, path, template.replace("webhook@test.com", "feed-" + writer + "-" + (i % 30) + "@example.com")
                            .replace("2018-01-18T13:27:08+0000", at)).statusCode());
                }
                return null;
            }));
        }
        // a consumer follows the feed while the writers run, and once more after they stopped
        long cursor = 0;
        Map<String, Long> lastSeen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        boolean writing = true;
        while (writing || cursor < count("SELECT COALESCE(MAX(seq), 0) FROM aud_record WHERE " + GUEST_CHANGES)) {
            // a change joins the feed once the audit log has numbered its record
            writing = running.stream().anyMatch(f -> !f.isDone()) || count("SELECT COUNT(*) FROM ing_inbox WHERE state = 'RECEIVED'") > 0
                    || count("SELECT COUNT(*) FROM aud_pending") > 0;
            // pages of the most the API gives: the consumer starts at 0, behind every guest the suite made before (the
            // CSV import alone makes 100,000), and waits only once it has caught up
            HttpResponse<String> page = app.get("/api/v1/guests/changes?limit=" + FEED_PAGE + "&cursor=" + cursor, Deployed.token("integration"));
            assertEquals(200, page.statusCode(), page.body());
            JsonObject body = Deployed.json(page);
            long previous = cursor;
            for (var change : body.getJsonArray("changes")) {
                long sequence = change.asJsonObject().getJsonNumber("sequence").longValue();
                if (sequence <= previous) {
                    problems.add("sequence " + sequence + " after " + previous);
                }
                previous = sequence;
                lastSeen.put(change.asJsonObject().getString("guest"), sequence);
            }
            cursor = body.getJsonNumber("nextCursor").longValue();
            if (body.getJsonArray("changes").size() < FEED_PAGE) {
                Thread.sleep(20);
            }
        }
        for (var f : running) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(problems.isEmpty(), problems.toString());
        // every guest's latest change was delivered to the consumer: nothing missed
        try (Connection c = Deployed.database(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT g.id, MAX(a.seq) FROM idn_guest g JOIN aud_record a ON a.subject_ref = CONCAT('guest:', g.id) "
                     + "WHERE " + GUEST_CHANGES + " GROUP BY g.id")) {
            while (rs.next()) {
                assertEquals(rs.getLong(2), lastSeen.getOrDefault(rs.getString(1), -1L), "latest change of guest " + rs.getString(1));
            }
        }
        assertTrue(lastSeen.size() >= writers * 30, "all the feed's guests were seen: " + lastSeen.size());
        assertEquals(403, app.get("/api/v1/guests/changes", Deployed.token("operator")).statusCode(), "role integration only");
        assertEquals(400, app.get("/api/v1/guests/changes?cursor=abc", Deployed.token("integration")).statusCode());
    }

    // ------------------------------------------------------------------ helpers

    static String sourceIdOf(String webhookPath) throws Exception {
        String key = webhookPath.substring(webhookPath.lastIndexOf('/') + 1);
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT id FROM ing_source WHERE key_hash = ?")) {
            s.setString(1, hash);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    /**
     * One Purple login reaching us through two of our Purple sources (a venue's webhook and its company's,
     * or Purple registered twice): one login, one visit, counted once; another authentication through the
     * second source is another login of the same visit.
     */
    @Test
    void aLoginDeliveredThroughTwoPurpleSourcesIsCountedOnce() throws Exception {
        Deployed app = new Deployed(url);
        String venueWebhook = registerPurple(app, "twice: venue webhook");
        String companyWebhook = registerPurple(app, "twice: company webhook");
        int venueId = 7_200_000 + new java.util.Random().nextInt(100_000);
        String email = "twice-" + java.util.UUID.randomUUID() + "@example.com";
        String login = new String(fixture(), StandardCharsets.UTF_8).replace("webhook@test.com", email)
                .replace("\"id\":888,\"latitude\"", "\"id\":" + venueId + ",\"latitude\"")
                .replace("\"id\":888,\"lastName\"", "\"id\":" + (venueId + 1) + ",\"lastName\"")
                .replace("2018-01-18T13:27:08+0000", "2026-01-20T10:00:00+0000");

        assertEquals("PROCESSED", awaitState(stored(post(app, venueWebhook, login))));
        long second = stored(post(app, companyWebhook, login));
        assertEquals("DUPLICATE", awaitState(second), "the same login through the other source");
        assertEquals(0, body(second).length, "a duplicate's payload is not kept");
        String guest = find(app, email);
        JsonObject visit = onlyVisit(app, guest);
        assertEquals(1, visit.getInt("logins"), "counted once");

        String later = login.replace("2026-01-20T10:00:00+0000", "2026-01-20T12:30:00+0000");
        assertEquals("PROCESSED", awaitState(stored(post(app, companyWebhook, later))), "another authentication is another login");
        assertEquals("DUPLICATE", awaitState(stored(post(app, venueWebhook, later))));
        visit = onlyVisit(app, guest);
        assertEquals(2, visit.getInt("logins"), "two authentications of one visit");
        assertEquals("2026-01-20T12:30:00Z", visit.getString("lastSeen"));
        assertEquals(1, count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'GUEST_CREATED' AND subject_ref = 'guest:" + guest + "'"));
    }

    private static JsonObject onlyVisit(Deployed app, String guest) {
        JsonObject activity = Deployed.json(app.get("/api/v1/guests/" + guest + "/visits", Deployed.token("operator")));
        assertEquals(1, activity.getJsonObject("summary").getInt("visits"), activity.toString());
        return activity.getJsonArray("visits").getJsonObject(0);
    }

    /**
     * Phone numbers on the way in: read in the venue's country (a London venue's 07911 123456 is
     * +447911123456), kept as given and flagged when they cannot be verified (a national number from a
     * venue without a country, the README booking example in Ofcom's drama range), never dropped, never
     * sent to a CRM unverified, never in the audit trail.
     */
    @Test
    void phoneNumbersAreReadInTheVenuesCountryOrKeptFlaggedNeverDropped() throws Exception {
        Deployed app = new Deployed(url);
        String run = java.util.UUID.randomUUID().toString();
        int venueId = 7_300_000 + new java.util.Random().nextInt(100_000);

        // a London Purple venue: the national number is read in GB
        String london = registerPurple(app, "phones: London");
        String londonEmail = "phone-london-" + run + "@example.com";
        String londonLogin = new String(fixture(), StandardCharsets.UTF_8).replace("webhook@test.com", londonEmail)
                .replace("\"id\":888,\"latitude\"", "\"id\":" + venueId + ",\"latitude\"")
                .replace("\"firstName\"", "\"phone\":\"07911 123456\",\"firstName\"");
        assertEquals("PROCESSED", awaitState(stored(post(app, london, londonLogin))));
        JsonObject phone = phoneOf(app, find(app, londonEmail));
        assertEquals("+447911123456", phone.getString("value"));
        assertTrue(phone.getBoolean("verified"));
        assertFalse(phone.containsKey("unverifiedReason"), phone.toString());

        // the README's booking example: a number in Ofcom's drama range, kept in E.164 and flagged
        JsonObject hotel = registerSigned(app, "BOOKING", "phones: hotel");
        String bookingEmail = "phone-booking-" + run + "@example.com";
        String booking = "{\"type\": \"reservation.confirmed\", \"occurredAt\": \"2026-11-25T08:00:00Z\", \"reservation\": {\"id\": \"R-" + run
                + "\", \"status\": \"confirmed\", \"arrival\": \"2026-12-24T15:00\", \"departure\": \"2026-12-27T11:00\", \"timeZone\": \"Europe/London\", "
                + "\"room\": \"412\", \"adults\": 2}, \"guest\": {\"id\": \"G-77\", \"email\": \"" + bookingEmail + "\", \"phone\": \"+447700900123\", "
                + "\"firstName\": \"Jane\", \"lastName\": \"Smith\"}}";
        assertEquals("PROCESSED", awaitState(stored(signedPost(app, hotel.getString("webhookPath"), hotel.getString("signingSecret"),
                "bk_phone_" + run, booking))));
        String bookingGuest = find(app, bookingEmail);
        phone = phoneOf(app, bookingGuest);
        assertEquals("+447700900123", phone.getString("value"), "kept, not dropped");
        assertFalse(phone.getBoolean("verified"));
        assertTrue(phone.getString("unverifiedReason").contains("drama"), phone.toString());

        // a venue whose time zone names no country: the national number is kept as given, the login is not lost
        HttpResponse<String> created = app.post("/api/v1/sources", Deployed.token("integration"), "application/json",
                "{\"kind\":\"PURPLE\",\"name\":\"phones: UTC\",\"timeZone\":\"UTC\"}");
        assertEquals(201, created.statusCode(), created.body());
        String utc = Deployed.json(created).getString("webhookPath");
        String utcEmail = "phone-utc-" + run + "@example.com";
        String utcLogin = londonLogin.replace(londonEmail, utcEmail).replace("\"id\":" + venueId + ",", "\"id\":" + (venueId + 1) + ",")
                .replace("\"id\":888,\"lastName\"", "\"id\":" + (venueId + 2) + ",\"lastName\"");
        assertEquals("PROCESSED", awaitState(stored(post(app, utc, utcLogin))));
        String utcGuest = find(app, utcEmail);
        phone = phoneOf(app, utcGuest);
        assertEquals("07911 123456", phone.getString("value"), "as given");
        assertFalse(phone.getBoolean("verified"));
        assertTrue(phone.getString("unverifiedReason").contains("venue's country"), "the reason says what to set: " + phone);
        assertEquals(1, Deployed.json(app.get("/api/v1/guests/" + utcGuest + "/visits", Deployed.token("operator")))
                .getJsonObject("summary").getInt("visits"), "the login itself is recorded");

        // the operator sets the venue's country; the next login's number is read in it
        String venue = venueId(app, "purple:" + (venueId + 1));
        HttpResponse<String> wrong = app.send(app.request("/api/v1/venues/" + venue, Deployed.token("operator"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"country\":\"UK\"}")).build());
        assertEquals(400, wrong.statusCode(), "UK is not an ISO 3166-1 code: " + wrong.body());
        HttpResponse<String> patched = app.send(app.request("/api/v1/venues/" + venue, Deployed.token("operator"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"country\":\"gb\"}")).build());
        assertEquals(200, patched.statusCode(), patched.body());
        assertEquals("GB", Deployed.json(patched).getString("country"));
        assertEquals("UTC", Deployed.json(patched).getString("zone"), "the zone is left as it was");
        assertFalse(patched.body().contains("phoneCountry"), patched.body());
        assertEquals("PROCESSED", awaitState(stored(post(app, utc, utcLogin.replace("2018-01-18T13:27:08", "2018-01-18T15:00:00")))));
        phone = phoneOf(app, utcGuest);
        assertEquals("+447911123456", phone.getString("value"), "read in the venue's country now");
        assertTrue(phone.getBoolean("verified"));

        // the CRM gets verified numbers only; the audit trail gets no number at all
        Map<String, String> bookingContact = awaitContact(bookingEmail);
        assertFalse(bookingContact.containsKey("phone"), "an unverified number is not sent to the CRM: " + bookingContact.keySet());
        assertEquals("+447911123456", awaitContact(londonEmail).get("phone"));
        for (String guest : List.of(bookingGuest, utcGuest)) {
            assertEquals(0, count("SELECT COUNT(*) FROM aud_record_written WHERE subject_ref = 'guest:" + guest + "' AND (details LIKE '%7911%' "
                    + "OR details LIKE '%900123%')"), "no number in the audit trail");
        }
    }

    private static JsonObject phoneOf(Deployed app, String guest) {
        HttpResponse<String> read = app.get("/api/v1/guests/" + guest, Deployed.token("operator"));
        assertEquals(200, read.statusCode(), read.body());
        JsonObject fields = Deployed.json(read).getJsonObject("fields");
        assertTrue(fields.containsKey("PHONE"), "the phone is in the profile: " + fields.keySet());
        return fields.getJsonObject("PHONE");
    }

    private static Map<String, String> awaitContact(String email) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (ItEnvironment.crm().hubspot().contact(email).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        return ItEnvironment.crm().hubspot().contact(email).orElseThrow(() -> new AssertionError("the guest never reached the CRM"));
    }

    /** Publishes a wording (the DPO's job); publishing the same text again is harmless. */
    static void publishWording(Deployed app, String id, String version, String purpose) {
        HttpResponse<String> published = app.post("/api/v1/consent/wordings", Deployed.token("dpo"), "application/json",
                "{\"id\":\"" + id + "\",\"version\":\"" + version + "\",\"purpose\":\"" + purpose + "\",\"language\":\"en\","
                        + "\"text\":\"The text of " + id + " version " + version + ".\"}");
        assertTrue(published.statusCode() == 201 || published.statusCode() == 200, published.body());
    }

    static String registerPurple(Deployed app, String name) {
        HttpResponse<String> created = app.post("/api/v1/sources", Deployed.token("integration"), "application/json",
                "{\"kind\":\"PURPLE\",\"name\":\"" + name + "\",\"timeZone\":\"Europe/London\"}");
        assertEquals(201, created.statusCode(), created.body());
        return Deployed.json(created).getString("webhookPath");
    }

    static JsonObject registerSigned(Deployed app, String kind, String name) {
        HttpResponse<String> created = app.post("/api/v1/sources", Deployed.token("operator"), "application/json",
                "{\"kind\":\"" + kind + "\",\"name\":\"" + name + "\",\"timeZone\":\"Europe/London\"}");
        assertEquals(201, created.statusCode(), created.body());
        return Deployed.json(created);
    }

    static HttpResponse<String> post(Deployed app, String path, String body) {
        return app.send(app.request(path, null).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> signedPost(Deployed app, String path, String secret, String id, String body) {
        long timestamp = Instant.now().getEpochSecond();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return app.send(app.request(path, null).header("Content-Type", "application/json")
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", io.guestbridge.platform.api.WebhookSignatures.sign(secret, id, timestamp, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    static long stored(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        JsonObject body = Deployed.json(response);
        return body.containsKey("id") ? body.getJsonNumber("id").longValue() : body.getJsonArray("ids").getJsonNumber(0).longValue();
    }

    static String find(Deployed app, String email) {
        HttpResponse<String> found = app.post("/api/v1/guests/search", Deployed.token("dpo"), "application/json", "{\"email\":\"" + email + "\"}");
        assertEquals(200, found.statusCode(), found.body());
        return Deployed.json(found).getString("guest");
    }

    static String currentMarketing(Deployed app, String email) {
        String guest = find(app, email);
        JsonObject consent = Deployed.json(app.get("/api/v1/guests/" + guest + "/consent", Deployed.token("dpo")));
        return consent.getJsonObject("currentState").getString("marketing_email");
    }

    static String venueId(Deployed app, String ref) {
        HttpResponse<String> venues = app.get("/api/v1/venues", Deployed.token("operator"));
        assertEquals(200, venues.statusCode(), venues.body());
        return Deployed.parse(venues.body()).asJsonArray().stream().map(v -> v.asJsonObject())
                .filter(v -> v.getString("ref").equals(ref)).findFirst().orElseThrow().getString("id");
    }

    /** Waits until processing has finished the row, and returns its final state. */
    static String awaitState(long id) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            String state = state(id);
            if (!"RECEIVED".equals(state)) {
                return state;
            }
            Thread.sleep(100);
        }
        return state(id);
    }

    static String state(long id) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT state FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : "MISSING";
            }
        }
    }

    static byte[] body(long id) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT body FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBytes(1);
            }
        }
    }

    /** InnoDB's count of deadlocks it resolved since the database started. */
    static long innodbDeadlocks() throws SQLException {
        try (Connection c = Deployed.database(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    static long count(String sql) throws SQLException {
        try (Connection c = Deployed.database(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static byte[] fixture() throws IOException {
        try (InputStream in = ProcessingIT.class.getResourceAsStream("/fixtures/purple-webhook-as-documented.json")) {
            return in.readAllBytes();
        }
    }
}
