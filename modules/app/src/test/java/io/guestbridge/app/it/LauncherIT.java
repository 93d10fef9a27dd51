package io.guestbridge.app.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's run command as a user meets it: the launcher jar starts an embedded MariaDB and Payara
 * Micro with the WAR, reaches ready (and from its first UP answers every request as documented), serves HTTP
 * and HTTPS (HSTS there only), prints working tokens, stops both processes
 * on SIGTERM (what Ctrl-C's shutdown hook runs), keeps its data across restarts, and starts again after
 * a launcher that was killed outright left its two processes behind.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "launcher", "target", "guestbridge-launcher.jar").toAbsolutePath();
    private static final Pattern TOKEN = Pattern.compile("^\\s+compliance-officer\\s+(\\S+)$");

    private final Path home = Path.of("target", "launcher-it-home").toAbsolutePath();
    private final List<Process> started = new ArrayList<>();
    private final int httpPort = freePort();
    private final int httpsPort = freePort();

    @AfterEach
    void killEverything() {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void runsStopsCleanlyKeepsItsDataAndRecoversFromAKilledLauncher() throws Exception {
        deleteRecursively(home);

        // the launcher finds these development keys and trusts them, so tokens work from the first UP on
        io.guestbridge.launcher.DevTokens keys = io.guestbridge.launcher.DevTokens.in(home.resolve("dev-keys"));
        var firstAnswers = FirstUpProbe.start(httpPort, keys.mint("first-up-officer", Duration.ofHours(1), "compliance-officer"),
                keys.mint("first-up-dpo", Duration.ofHours(1), "dpo"), Duration.ofSeconds(5), Duration.ofSeconds(240));
        Run first = start();
        FirstUpProbe.Result fromFirstUp = FirstUpProbe.await(firstAnswers, Duration.ofSeconds(60));
        java.util.logging.Logger.getLogger(LauncherIT.class.getName()).info("first UP after " + fromFirstUp.millisToFirstUp()
                + " ms; " + fromFirstUp.answers() + " answers in the 5 s after it");
        assertTrue(fromFirstUp.answers() >= 20, "requests were fired from the first UP: " + fromFirstUp);
        assertTrue(fromFirstUp.failures().isEmpty(), "every answer from the first UP is as documented:\n"
                + String.join("\n", fromFirstUp.failures()));
        HttpResponse<String> overHttp = get("http://127.0.0.1:" + httpPort + "/health/ready", null, plainHttp());
        assertEquals(200, overHttp.statusCode());
        assertTrue(overHttp.headers().firstValue("Strict-Transport-Security").isEmpty(), "no HSTS over plain HTTP");
        assertTrue(overHttp.headers().firstValue("Server").isEmpty(), "no version banner");
        assertEquals(200, get("http://127.0.0.1:" + httpPort + "/openapi", null, plainHttp()).statusCode());
        HttpResponse<String> overTls = get("https://127.0.0.1:" + httpsPort + "/health/ready", null, trustingTheDevCertificate());
        assertEquals(200, overTls.statusCode(), "HTTPS with the generated development certificate");
        assertEquals("max-age=31536000", overTls.headers().firstValue("Strict-Transport-Security").orElse(""), "HSTS over HTTPS");
        assertEquals("nosniff", overTls.headers().firstValue("X-Content-Type-Options").orElse(""));
        HttpResponse<String> problemOverTls = get("https://127.0.0.1:" + httpsPort + "/api/v1/audit/records", null, trustingTheDevCertificate());
        assertEquals(401, problemOverTls.statusCode());
        assertEquals("max-age=31536000", problemOverTls.headers().firstValue("Strict-Transport-Security").orElse(""), "HSTS on errors too");
        HttpResponse<String> audited = post("http://127.0.0.1:" + httpPort + "/api/v1/audit/verifications", first.officerToken);
        assertEquals(200, audited.statusCode(), "the printed token works: " + audited.body());
        long recordsAfterFirstRun = auditRecords(first.officerToken);
        assertTrue(recordsAfterFirstRun >= 1);
        theDatabaseChecksPasswordsAndEncryptsItsFiles();

        List<ProcessHandle> children = first.process.descendants().toList();
        assertTrue(children.size() >= 2, "the launcher runs MariaDB and Payara Micro: " + children.size());
        first.process.destroy();
        assertTrue(first.process.waitFor(90, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
        for (ProcessHandle child : children) {
            child.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "process " + child.pid() + " was stopped with the launcher");
        }

        Run second = start();
        assertEquals(recordsAfterFirstRun, auditRecords(second.officerToken), "the data survived the restart");
        List<ProcessHandle> orphans = second.process.descendants().toList();
        second.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(orphans.stream().anyMatch(ProcessHandle::isAlive), "killing the launcher outright leaves its children running");

        Run third = start();
        assertEquals(recordsAfterFirstRun, auditRecords(third.officerToken), "a start after a crash finds the data");
        for (ProcessHandle orphan : orphans) {
            orphan.onExit().get(30, TimeUnit.SECONDS);
        }
        third.process.destroy();
        assertTrue(third.process.waitFor(90, TimeUnit.SECONDS));
    }

    private record Run(Process process, String officerToken, long millisToReady) {
    }

    /**
     * The default run's database: users with generated passwords kept in 0600 files (none gets in without),
     * the data user with no right on the key store, and MariaDB's encryption of its files on.
     */
    private void theDatabaseChecksPasswordsAndEncryptsItsFiles() throws Exception {
        Matcher ready = Pattern.compile("embedded MariaDB ready on 127\\.0\\.0\\.1:(\\d+) .*\\(data in .*, encrypted at rest\\)")
                .matcher(Files.readString(home.resolveSibling("launcher-it-output-1.log")));
        assertTrue(ready.find(), "the launcher says its database is encrypted at rest");
        String url = "jdbc:mariadb://127.0.0.1:" + ready.group(1) + "/guestbridge";
        for (String file : List.of("DB_PASSWORD", "KEYS_DB_PASSWORD")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve("secrets").resolve(file))), file + " is readable by its owner only");
        }
        java.sql.SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                () -> java.sql.DriverManager.getConnection(url, "guestbridge", "").close());
        assertEquals(1045, refused.getErrorCode(), "no way in without the password: " + refused);
        String password = Files.readString(home.resolve("secrets").resolve("DB_PASSWORD")).trim();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "guestbridge", password);
             java.sql.Statement s = c.createStatement()) {
            try (java.sql.ResultSet rs = s.executeQuery("SELECT @@innodb_encrypt_tables, @@innodb_encrypt_log, @@encrypt_tmp_files, "
                    + "(SELECT plugin_status FROM information_schema.plugins WHERE plugin_name = 'file_key_management')")) {
                rs.next();
                assertEquals(List.of("ON", "1", "1", "ACTIVE"), List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
            org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.executeQuery("SELECT COUNT(*) FROM guestbridge_keys.gbk_key").close(), "the data user cannot read the key store");
        }
    }

    private Run start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", LAUNCHER.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // the integration tests' own database settings must not leak into the launcher: it starts its own
        List.of("DB_URL", "DB_USER", "DB_PASSWORD", "KEYS_DB_URL", "KEYS_DB_USER", "KEYS_DB_PASSWORD", "GUESTBRIDGE_SECRETS_DIR",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER", "GUESTBRIDGE_MASTER_KEY_FILE").forEach(env::remove);
        // the key-management plugin the test environment already has, rather than a download per run
        Path plugin = Path.of(System.getProperty("guestbridge.it.plugin-cache", "target/mariadb-plugin")).toAbsolutePath();
        if (Files.isRegularFile(plugin.resolve("file_key_management.so"))) {
            env.putIfAbsent("GUESTBRIDGE_MARIADB_PLUGIN_DIR", plugin.toString());
        }
        env.put("GUESTBRIDGE_HOME", home.toString());
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("HTTPS_PORT", Integer.toString(httpsPort));
        env.put("GUESTBRIDGE_WAR", Path.of(System.getProperty("guestbridge.war")).toAbsolutePath().toString());
        env.put("PAYARA_MICRO_JAR", Path.of(System.getProperty("payara.microJar")).toAbsolutePath().toString());
        long begin = System.nanoTime();
        Process process = builder.start();
        started.add(process);
        Path output = home.resolveSibling("launcher-it-output-" + started.size() + ".log");
        Files.createDirectories(home);
        String token = awaitReady(process.getInputStream(), output, Duration.ofSeconds(240));
        long millis = (System.nanoTime() - begin) / 1_000_000;
        java.util.logging.Logger.getLogger(LauncherIT.class.getName()).info("launcher ready after " + millis + " ms (run " + started.size() + ")");
        return new Run(process, token, millis);
    }

    /** Copies the launcher's output to a file and returns the compliance-officer token of its banner. */
    private static String awaitReady(InputStream output, Path copy, Duration timeout) throws Exception {
        String[] token = new String[1];
        boolean[] ready = new boolean[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    synchronized (token) {
                        if (line.contains("=== guestbridge is ready ===")) {
                            ready[0] = true;
                        }
                        Matcher m = TOKEN.matcher(line);
                        if (ready[0] && m.matches()) {
                            token[0] = m.group(1);
                            token.notifyAll();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "launcher-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (token) {
            while (token[0] == null && System.nanoTime() < deadline) {
                token.wait(500);
            }
        }
        if (token[0] == null) {
            fail("the launcher was not ready within " + timeout.toSeconds() + " s; its output: " + copy);
        }
        return token[0];
    }

    private long auditRecords(String token) throws Exception {
        HttpResponse<String> page = get("http://127.0.0.1:" + httpPort + "/api/v1/audit/records?limit=1000", token, plainHttp());
        assertEquals(200, page.statusCode(), page.body());
        return Deployed.json(page).getJsonArray("records").size();
    }

    private static HttpClient plainHttp() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Trusts exactly the certificate the launcher generated, not any certificate. */
    private HttpClient trustingTheDevCertificate() throws Exception {
        Path tls = home.resolve("tls");
        char[] password = Files.readString(tls.resolve("dev-tls.password")).trim().toCharArray();
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.resolve("dev-tls.p12"))) {
            keystore.load(in, password);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("guestbridge-dev", keystore.getCertificate("guestbridge-dev"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(String url, String token, HttpClient client) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.GET().build();
        HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
        PublishedContract.check(built, response);
        return response;
    }

    private static HttpResponse<String> post(String url, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = plainHttp().send(request, HttpResponse.BodyHandlers.ofString());
        PublishedContract.check(request, response);
        return response;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertNotNull(dir);
    }
}
