package io.guestbridge.app.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator relies on: health, metrics, and a server log free of personal data. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OperationsIT {

    private static final String EMAIL = "jane.doe.it@example.com";
    private static final String PHONE = "+44 7700 900123";
    private static final String MAC = "0A-1B-2C-3D-4E-5F";
    private static final String NAME = "Zebedee Quixote";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    @Test
    void readyOnceTheDatabaseAnswersMigrationsRanAndEveryModuleStarted() throws SQLException {
        Deployed app = new Deployed(url);
        HttpResponse<String> ready = app.get("/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject check = Deployed.json(ready).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("guestbridge")).findFirst().orElseThrow();
        assertEquals("UP", check.getString("status"));
        JsonObject parts = check.getJsonObject("data");
        for (String part : List.of("database", "start-up", "database-schema", "ingestion-inbox", "work-queue-workers", "jvm-time-zone")) {
            assertEquals("UP", parts.getString(part, "missing"), part + " in " + parts);
        }
        assertEquals(200, app.get("/health/live", null).statusCode());
        try (Connection c = Deployed.database(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1")) {
            rs.next();
            assertTrue(rs.getInt(1) >= 2, "the migrations of db/migration ran at start-up");
        }
    }

    @Test
    void queueDepthOldestAgeAndDeadCountAreMetrics() throws Exception {
        Deployed app = new Deployed(url);
        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO plt_work_item (queue, payload, next_attempt_at, created_at, updated_at) VALUES "
                    + "('it-metrics', '{}', NOW(6) + INTERVAL 1 DAY, NOW(6) - INTERVAL 90 SECOND, NOW(6)),"
                    + "('it-metrics', '{}', NOW(6) + INTERVAL 1 DAY, NOW(6), NOW(6))");
            s.executeUpdate("INSERT INTO plt_work_item (queue, payload, state, next_attempt_at, created_at, updated_at, last_error) "
                    + "VALUES ('it-metrics', '{}', 'DEAD', NOW(6), NOW(6), NOW(6), 'permanent')");
        }
        String metrics = "";
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (System.nanoTime() < deadline) {
            metrics = app.get("/metrics", null).body();
            if (value(metrics, "guestbridge_queue_depth", "it-metrics") == 2) {
                break;
            }
            Thread.sleep(1000);
        }
        assertEquals(2, value(metrics, "guestbridge_queue_depth", "it-metrics"), metrics);
        assertEquals(1, value(metrics, "guestbridge_queue_dead", "it-metrics"));
        assertTrue(value(metrics, "guestbridge_queue_oldest_age_seconds", "it-metrics") >= 90);

        HttpResponse<String> queues = app.get("/api/v1/queues", Deployed.token("operator"));
        assertEquals(200, queues.statusCode());
        assertTrue(queues.body().contains("\"queue\":\"it-metrics\""), queues.body());
    }

    @Test
    void personalDataSentToTheServerNeverReachesItsLog() throws Exception {
        Deployed app = new Deployed(url);
        String officer = Deployed.token("compliance-officer");
        String email = URLEncoder.encode(EMAIL, StandardCharsets.UTF_8);
        app.get("/api/v1/audit/records?subject=" + email + "&actor=" + URLEncoder.encode(PHONE, StandardCharsets.UTF_8), officer);
        app.get("/api/v1/" + email + "/" + MAC, officer);
        app.post("/api/v1/audit/verifications", officer, "application/json",
                "{\"firstName\":\"" + NAME + "\",\"email\":\"" + EMAIL + "\",\"phone\":\"" + PHONE + "\",\"mac\":\"" + MAC + "\"");
        // a caller whose principal name is an email: the audit trail gets a hash, not the address
        HttpResponse<String> asEmail = app.post("/api/v1/audit/verifications", Deployed.tokenFor(EMAIL, "compliance-officer"), null, null);
        assertEquals(200, asEmail.statusCode(), asEmail.body());
        // a forged token carrying personal data makes the server log a rejection
        app.get("/api/v1/audit/records", Deployed.tokenFor(EMAIL, "compliance-officer") + "x");

        try (Connection c = Deployed.database(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM aud_record_written WHERE actor LIKE '%example.com%' OR details LIKE '%example.com%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no email in the audit trail");
        }
        Thread.sleep(1500);
        Path log = Path.of(System.getProperty("guestbridge.it.serverlog"));
        StringBuilder all = new StringBuilder();
        // Payara's file handler writes server.log.0, server.log.1… next to the name it was given
        try (var files = Files.list(log.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString())).toList()) {
                all.append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        String text = all.toString();
        assertTrue(text.contains("guestbridge"), "the server log was captured at " + log);
        for (String secret : List.of(EMAIL, email, PHONE, MAC, NAME, "jane.doe.it")) {
            assertFalse(text.contains(secret), "the server log contains " + secret);
        }
    }

    @Test
    void workersOnTheManagedExecutorHandleEachItemOnceRetryAndDeadLetter() throws Exception {
        int ok = 150;
        int flaky = 20;
        int permanent = 10;
        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            StringBuilder insert = new StringBuilder("INSERT INTO plt_work_item (queue, payload, next_attempt_at, created_at, updated_at) VALUES ");
            for (int i = 0; i < ok + flaky + permanent; i++) {
                String kind = i < ok ? "ok" : i < ok + flaky ? "flaky" : "permanent";
                insert.append(i == 0 ? "" : ",").append("('").append(ProbeHandler.QUEUE).append("', '{\"kind\":\"")
                        .append(kind).append("\"}', NOW(6), NOW(6), NOW(6))");
            }
            s.executeUpdate(insert.toString());
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        long pending = -1;
        while (System.nanoTime() < deadline) {
            pending = count("SELECT COUNT(*) FROM plt_work_item WHERE queue = 'it-probe' AND state = 'PENDING'");
            if (pending == 0) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(0, pending, "the workers drained the queue");
        assertEquals(ok + flaky, count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'QUEUE_PROBE_HANDLED'"));
        assertEquals(ok + flaky, count("SELECT COUNT(DISTINCT JSON_VALUE(details, '$.item')) FROM aud_record_written WHERE action = 'QUEUE_PROBE_HANDLED'"),
                "each item was handled exactly once");
        assertEquals(flaky, count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'QUEUE_PROBE_HANDLED' AND JSON_VALUE(details, '$.attempt') = '2'"),
                "the flaky items succeeded on their second attempt, after a backoff");
        assertEquals(permanent, count("SELECT COUNT(*) FROM plt_work_item WHERE queue = 'it-probe' AND state = 'DEAD' "
                + "AND last_error = 'probe: permanent failure'"));
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = Deployed.database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long value(String metrics, String name, String queue) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("queue=\"" + queue + "\"")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    @SuppressWarnings("unused")
    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
