package io.guestbridge.app.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static io.guestbridge.app.it.ItEnvironment.freePort;

/**
 * Durable before acknowledged, under the worst case: the server is killed with SIGKILL in the middle
 * of a burst of Purple deliveries. After a restart, every event that got a 200 is in the inbox with
 * the bytes that were sent; what got no answer may or may not be there (the sender retries it).
 */
@Order(SuiteOrder.INTAKE_CRASH)
class IntakeCrashIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final int port = freePort();
    private final List<Process> servers = new ArrayList<>();

    /** The servers of this test are the only ones on the suite's database: the one test classes share is stopped. */
    @BeforeAll
    static void noOtherServer() throws Exception {
        SharedPayaraMicro.release();
    }

    @AfterEach
    void stop() {
        servers.forEach(Process::destroyForcibly);
    }

    @Test
    void everyAcknowledgedEventSurvivesASigkillDuringABurst() throws Exception {
        Process first = startServer();
        String key = registerSource();
        String template = new String(fixture(), StandardCharsets.UTF_8);

        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        java.util.Set<String> emails = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        int senders = 16;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        for (int s = 0; s < senders; s++) {
            pool.submit(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (sending.get() && System.nanoTime() < deadline) {
                    int n = sent.incrementAndGet();
                    byte[] body = template.replace("\"id\":888,\"lastName\"", "\"id\":" + n + ",\"lastName\"")
                            .replace("webhook@test.com", "crash-" + n + "@example.com")
                            .replace("\"id\":888,\"latitude\"", "\"id\":9001,\"latitude\"").getBytes(StandardCharsets.UTF_8);
                    try {
                        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(uri("/api/v1/ingest/purple/" + key))
                                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            acknowledged.put(Deployed.parse(response.body()).asJsonObject().getJsonNumber("id").longValue(), sha256(body));
                            emails.add("crash-" + n + "@example.com");
                        }
                    } catch (IOException | InterruptedException refused) {
                        // the server is gone: the sender would retry later
                    }
                }
                return null;
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < 500 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no draining
        first.waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(300);
        sending.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(acknowledged.size() >= 500, "the burst was under way when the server died: " + acknowledged.size());

        startServer();
        int missing = 0;
        int changed = 0;
        try (Connection c = Deployed.database();
             PreparedStatement s = c.prepareStatement("SELECT body_sha256 FROM ing_inbox WHERE id = ?")) {
            for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
                s.setLong(1, ack.getKey());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        missing++;
                    } else if (!rs.getString(1).equals(ack.getValue())) {
                        changed++;
                    }
                }
            }
        }
        java.util.logging.Logger.getLogger(IntakeCrashIT.class.getName()).info("acknowledged before SIGKILL: " + acknowledged.size() + ", requests sent: " + sent.get());
        assertEquals(0, missing, "acknowledged events lost by the crash");
        assertEquals(0, changed, "acknowledged events stored with other bytes");
        HttpResponse<String> afterRestart = CLIENT.send(HttpRequest.newBuilder(uri("/api/v1/ingest/purple/" + key))
                .POST(HttpRequest.BodyPublishers.ofString(template.replace("webhook@test.com", "crash-after@example.com")
                        .replace("\"id\":888,\"latitude\"", "\"id\":9001,\"latitude\""))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, afterRestart.statusCode(), "the restarted server takes deliveries again");

        // processing was under way too: after the restart every stored event is processed exactly once
        String source = "(SELECT id FROM ing_source WHERE name = 'crash')";
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (count("SELECT COUNT(*) FROM ing_inbox WHERE state = 'RECEIVED' AND source_id = " + source) > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(250);
        }
        assertEquals(0, count("SELECT COUNT(*) FROM ing_inbox WHERE state = 'RECEIVED' AND source_id = " + source), "all processed after the restart");
        long processed = count("SELECT COUNT(*) FROM ing_inbox WHERE state = 'PROCESSED' AND source_id = " + source);
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT state FROM ing_inbox WHERE id = ?")) {
            for (Long id : acknowledged.keySet()) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("PROCESSED", rs.getString(1), "acknowledged event " + id);
                }
            }
        }
        String venue = "(SELECT id FROM idn_venue WHERE ref = 'purple:9001')";
        assertEquals(processed, count("SELECT COUNT(*) FROM idn_visit WHERE venue_id = " + venue), "one visit per processed login");
        assertEquals(processed, count("SELECT SUM(logins) FROM idn_visit WHERE venue_id = " + venue), "no login applied twice");
        long created = count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'GUEST_CREATED' AND actor = CONCAT('source:', " + source + ")");
        assertEquals(processed, created, "no guest created twice");

        // and the CRM sync, which was under way as well: every acknowledged guest reaches HubSpot, once
        long syncDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!emails.stream().allMatch(e -> ItEnvironment.crm().hubspot().contact(e).isPresent()) && System.nanoTime() < syncDeadline) {
            Thread.sleep(250);
        }
        assertTrue(emails.stream().allMatch(e -> ItEnvironment.crm().hubspot().contact(e).isPresent()), "every acknowledged guest is in HubSpot");
        // A batch HubSpot stored just before the kill has no link yet: its work item is still leased to the dead
        // server and is sent again (an upsert, so no duplicate) once the lease (10 s here) runs out.
        String linked = "SELECT COUNT(DISTINCT l.guest_id) FROM crm_link l JOIN ing_inbox i ON i.guest_id = l.guest_id "
                + "WHERE l.connector = 'hubspot-main' AND i.source_id = " + source + " AND i.id IN (" + acknowledged.keySet().stream()
                .map(String::valueOf).collect(java.util.stream.Collectors.joining(",")) + ")";
        long linkDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (count(linked) < emails.size() && System.nanoTime() < linkDeadline) {
            Thread.sleep(500);
        }
        assertEquals(emails.size(), count(linked), "each linked to exactly one HubSpot contact");
    }

    private static long count(String sql) throws Exception {
        try (Connection c = Deployed.database(); var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Process startServer() throws Exception {
        Path log = Path.of("target", "crash-it-server-" + (servers.size() + 1) + ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-Dhazelcast.phone.home.enabled=false", "-Duser.timezone=UTC",
                "-Dguestbridge.hazelcast.config=" + System.getProperty("guestbridge.payara.hazelcast"),
                "-Djava.io.tmpdir=" + Files.createDirectories(Path.of("target", "crash-it-tmp")).toAbsolutePath(),
                "-jar", System.getProperty("payara.microJar"),
                "--deploy", System.getProperty("guestbridge.war"), "--contextroot", "/",
                "--port", Integer.toString(port), "--nocluster", "--disablephonehome",
                // production's server settings, the scheduled executor's threads among them (Payara's default is one)
                "--prebootcommandfile", System.getProperty("guestbridge.payara.listeners"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // DB_URL and the JWT settings come from failsafe's environment, the same as the Arquillian container's;
        // short leases, so the work items the killed server held come back within seconds instead of the default 2
        // minutes, which would be most of this test's time: the inbox's, and the CRM sync's (the fan-out and HubSpot's
        // queue), whose batch in flight at the kill is sent again once its lease runs out; 10 s is still far beyond the
        // longest batch here (a CRM call times out in 3 s)
        builder.environment().put("QUEUE_INGESTION_INBOX_LEASE_MS", "5000");
        builder.environment().put("QUEUE_CRM_SYNC_LEASE_MS", "10000");
        builder.environment().put("QUEUE_CRM_HUBSPOT_MAIN_LEASE_MS", "10000");
        builder.environment().put("QUEUE_CRM_SALESFORCE_MAIN_LEASE_MS", "10000");
        builder.environment().put("QUEUE_CRM_MAILCHIMP_MAIN_LEASE_MS", "10000");
        Process server = builder.start();
        servers.add(server);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the server exited; see " + log);
            }
            try {
                if (CLIENT.send(HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        fail("the server was not ready within 180 s; see " + log);
        return server;
    }

    private String registerSource() throws Exception {
        HttpResponse<String> created = CLIENT.send(HttpRequest.newBuilder(uri("/api/v1/sources"))
                .header("Authorization", "Bearer " + Deployed.token("integration")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"PURPLE\",\"name\":\"crash\",\"timeZone\":\"Europe/London\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return Deployed.parse(created.body()).asJsonObject().getString("key");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static byte[] fixture() throws IOException {
        try (InputStream in = IntakeCrashIT.class.getResourceAsStream("/fixtures/purple-webhook-as-documented.json")) {
            return in.readAllBytes();
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
