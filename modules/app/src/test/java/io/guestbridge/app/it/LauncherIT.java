package io.guestbridge.app.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static io.guestbridge.app.it.ItEnvironment.freePort;
import static io.guestbridge.app.it.ItEnvironment.deleteRecursively;

/**
 * The README's run command as a user meets it: the launcher jar starts an embedded MariaDB and Payara
 * Micro with the WAR, quietly (a few lines before the banner, the servers' output in log files), reaches
 * ready (and from its first UP answers every request as documented), runs the README's walkthrough as
 * written, serves HTTP
 * and HTTPS (HSTS there only), prints working tokens, stops both processes
 * on SIGTERM (what Ctrl-C's shutdown hook runs), keeps its data across restarts, and starts again after
 * a launcher that was killed outright left its two processes behind.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "launcher", "target", "guestbridge-launcher.jar").toAbsolutePath();
    private static final Pattern TOKEN = Pattern.compile("^\\s+compliance-officer\\s+(\\S+)$");
    private static final Pattern WALKTHROUGH_EXPORT = Pattern.compile("^\\s+(export GUESTBRIDGE=\\S+ TOKEN=\\S+)$");
    private static final String BANNER = "=== guestbridge is ready ===";

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
                + " ms; " + fromFirstUp.answers() + " answers from then on");
        assertTrue(fromFirstUp.answers() >= FirstUpProbe.MINIMUM_ANSWERS, "requests were fired from the first UP: " + fromFirstUp);
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
        onlyItsOwnPortsAreOpen(first);
        aQuietStart(first);
        theBannersConsoleLinksSignInOnce();
        theReadmeWalkthroughRunsAsWritten(first);
        HttpResponse<String> audited = post("http://127.0.0.1:" + httpPort + "/api/v1/audit/verifications", first.officerToken);
        assertEquals(200, audited.statusCode(), "the printed token works: " + audited.body());
        long recordsAfterFirstRun = numberedAuditRecords(first.officerToken);
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
        thePreviousStartsLogsAreSetAsideByDay();
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

    /**
     * The server listens on its HTTP and HTTPS ports, and on nothing else but loopback: the Hazelcast member Payara Micro
     * starts even with its clustering off listened on port 6900 of every interface, with no authentication. The embedded
     * database listens on loopback only.
     */
    private void onlyItsOwnPortsAreOpen(Run run) throws IOException {
        List<ProcessHandle> children = run.process.descendants().toList();
        ProcessHandle server = children.stream().filter(p -> p.info().commandLine().orElse("").contains("payara-micro")).findFirst().orElseThrow();
        ProcessHandle database = children.stream().filter(p -> p.info().command().orElse("").endsWith("mariadbd")).findFirst().orElseThrow();
        Map<Integer, String> serverPorts = listening(server);
        assertTrue(serverPorts.keySet().containsAll(Set.of(httpPort, httpsPort)), "the server listens on HTTP and HTTPS: " + serverPorts);
        Map<Integer, String> others = new java.util.TreeMap<>(serverPorts);
        others.keySet().removeAll(Set.of(httpPort, httpsPort));
        assertTrue(others.values().stream().allMatch("loopback"::equals), "beyond HTTP and HTTPS, the server listens on loopback only: " + serverPorts);
        Map<Integer, String> databasePorts = listening(database);
        assertFalse(databasePorts.isEmpty(), "the database listens");
        assertTrue(databasePorts.values().stream().allMatch("loopback"::equals), "the database listens on loopback only: " + databasePorts);
    }

    /**
     * The TCP ports a process listens on, each with "loopback" or "any" or the address it is bound to: its sockets'
     * inodes (/proc/PID/fd) found among the kernel's listening sockets (/proc/net/tcp and tcp6, state 0A).
     */
    private static Map<Integer, String> listening(ProcessHandle process) throws IOException {
        Set<String> sockets = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        sockets.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed between the listing and the read
                }
            }
        }
        Map<Integer, String> ports = new java.util.TreeMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = Files.readAllLines(Path.of(table));
            for (String row : rows.subList(1, rows.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] field = row.trim().split("\\s+");
                if (field[3].equals("0A") && sockets.contains(field[9])) {
                    String[] local = field[1].split(":");
                    String address = local[0].matches("0+") ? "any"
                            : local[0].equals("0100007F") || local[0].equals("0000000000000000FFFF00000100007F")
                              || local[0].equals("00000000000000000000000001000000") ? "loopback" : local[0];
                    ports.put(Integer.parseInt(local[1], 16), address);
                }
            }
        }
        return ports;
    }

    private record Run(Process process, String officerToken, long millisToReady, List<String> beforeBanner, String walkthroughExport) {
    }

    /**
     * What a person sees before the banner: a handful of lines, no stack trace, no warning (this run's database
     * is encrypted, the one warning the README explains); the server's and the database's output are in the log
     * files the banner names, and the server's carries no dump of expired certificate authorities.
     */
    private void aQuietStart(Run run) throws IOException {
        String console = String.join("\n", run.beforeBanner());
        assertTrue(run.beforeBanner().size() < 20, "under 20 lines before the banner:\n" + console);
        assertFalse(console.contains("Exception") || console.contains("\tat ") || console.contains("Caused by"), "no stack trace:\n" + console);
        assertFalse(console.contains("WARN") || console.contains("SEVERE") || console.contains("SLF4J"), "no warning:\n" + console);
        Path serverLog = home.resolve("logs").resolve("server.log");
        String banner = Files.readString(home.resolveSibling("launcher-it-output-" + started.size() + ".log"));
        assertTrue(banner.contains("  logs      " + serverLog), "the banner names the log:\n" + banner);
        // no SMTP configured: the server's mail is caught locally, and the banner says where to read it
        assertTrue(banner.contains("and written to " + home.resolve("mail") + " (one .eml file per mail"), "the banner says where mail is:\n" + banner);
        assertTrue(Files.isDirectory(home.resolve("mail")), "the mail directory exists");
        // this home is new: every server.log* is this run's (one set aside at the day's change in UTC included)
        String server = logsOfThisHome("server.log");
        assertTrue(server.contains("Payara Micro") && server.contains("ready in"), "Payara's output is in " + serverLog);
        assertFalse(server.contains("NCLS-SECURITY-05054"), "no expired certificate authority in the server's trust store");
        assertTrue(logsOfThisHome("database.log").contains("mariadbd"), "the database's output is in database.log");
    }

    private String logsOfThisHome(String name) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(home.resolve("logs"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(name)).sorted().toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    /**
     * A new start sets the previous start's files aside under the day of their last line, the name the files set
     * aside at the day's change carry, so that the retention of server logs deletes them by the same rule.
     */
    private void thePreviousStartsLogsAreSetAsideByDay() throws IOException {
        Pattern byDay = Pattern.compile("(server|database)\\.log\\.\\d{4}-\\d{2}-\\d{2}(-\\d+)?");
        List<Path> setAside;
        try (var files = Files.list(home.resolve("logs"))) {
            setAside = files.filter(f -> byDay.matcher(f.getFileName().toString()).matches()).toList();
        }
        assertTrue(setAside.stream().anyMatch(f -> f.getFileName().toString().startsWith("server.log.")
                && readQuietly(f).contains("Payara Micro")), "the first start's server output is set aside by day: " + setAside);
        assertTrue(setAside.stream().anyMatch(f -> f.getFileName().toString().startsWith("database.log.")
                && readQuietly(f).contains("mariadbd")), "the first start's database output is set aside by day: " + setAside);
        assertFalse(Files.exists(home.resolve("logs").resolve("server.log.1")), "no file named by start any more");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The README's walkthrough, block by block, against this server, with what the reader should see after each. */
    private void theReadmeWalkthroughRunsAsWritten(Run run) throws Exception {
        List<String> blocks = ReadmeWalkthrough.blocks(Path.of("..", "..", "README.md").toAbsolutePath().normalize());
        assertEquals(9, blocks.size(), "the walkthrough's steps, each checked below");
        List<String> out = ReadmeWalkthrough.run(blocks, run.walkthroughExport(), home.resolveSibling("launcher-it-walkthrough"), 240);
        assertEquals("", out.get(0), "the pasted line prints nothing");
        assertTrue(out.get(1).matches("/api/v1/ingest/purple/[A-Za-z0-9_-]{20,}\n"), "the webhook path: " + out.get(1));
        assertTrue(out.get(2).matches("\\{\"status\":\"stored\",\"id\":\\d+}\n"), "stored: " + out.get(2));
        String guest = flat(out.get(3));
        assertTrue(Pattern.compile("\"FIRST_NAME\": \\{[^}]*\"observedAt\": \"2018-01-18T13:27:08Z\"[^}]*\"source\": \"WIFI\"[^}]*"
                + "\"value\": \"Webhook\"").matcher(guest).find(), "the profile with its provenance: " + out.get(3));
        assertTrue(guest.contains("\"visits\": 1") && guest.contains("\"venueName\": \"Your venue name\""), "one visit: " + out.get(3));
        assertFalse(guest.contains("00-01-02-03-04-05"), "no MAC address is shown");
        String consentSetUp = flat(out.get(4));
        assertTrue(consentSetUp.contains("\"id\": \"portal-terms\"") && consentSetUp.contains("\"terms\": { \"id\": \"portal-terms\", \"version\": \"1\" }")
                && consentSetUp.contains("{\"status\":\"stored\""), out.get(4));
        String consent = flat(out.get(5));
        assertTrue(consent.contains("\"terms\": \"GRANTED\"") && consent.contains("By connecting you accept the WiFi terms of use."),
                "the consent with its wording as evidence: " + out.get(5));
        assertTrue(consent.contains("\"visits\": 2"), "the next day's login is a second visit: " + out.get(5));
        String feedAndTrail = out.get(6);
        String guestId = Pattern.compile("\"guest\": \"([0-9a-f-]{36})\"").matcher(out.get(3)).results().findFirst()
                .map(m -> m.group(1)).orElseThrow(() -> new AssertionError("the profile names the guest: " + out.get(3)));
        assertTrue(feedAndTrail.contains("\"guest\": \"" + guestId + "\""), "the change feed lists the guest: " + feedAndTrail);
        String feed = feedAndTrail.substring(0, feedAndTrail.lastIndexOf("}\n") + 2);
        List<String> trail = feedAndTrail.substring(feed.length()).lines().toList();
        assertTrue(feed.contains("\"value\": \"webhook@test.com\""), "the feed carries the guest's data to integrations: " + feed);
        assertTrue(trail.contains("GUEST_CREATED") && trail.contains("CONSENT_GRANTED") && trail.contains("GUEST_PROFILE_VIEWED"),
                "the audit trail has the guest's creation, consent and the reads of the profile: " + trail);
        assertTrue(trail.stream().allMatch(action -> action.matches("[A-Z_]+")), "the trail's actions, one a line: " + trail);
        assertEquals("COMPLETED\n404\n", out.get(7), "erased: " + out.get(7) + " (guest " + guestId + ")");
        assertTrue(flat(out.get(8)).contains("\"intact\": true"), "the chain holds: " + out.get(8));
    }

    private static String flat(String json) {
        return json.replaceAll("\\s+", " ");
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
        // as a new user runs it: none of the integration tests' settings (their database, keys, CRMs) leak into the launcher
        env.keySet().retainAll(List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "JAVA_HOME", "TZ"));
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
        Banner banner = awaitReady(process.getInputStream(), output, Duration.ofSeconds(240));
        long millis = (System.nanoTime() - begin) / 1_000_000;
        java.util.logging.Logger.getLogger(LauncherIT.class.getName()).info("launcher ready after " + millis + " ms (run " + started.size() + ")");
        return new Run(process, banner.officerToken(), millis, banner.before(), banner.walkthroughExport());
    }

    private record Banner(List<String> before, String officerToken, String walkthroughExport) {
    }

    /**
     * Copies the launcher's output to a file and returns the lines before its banner, and the compliance-officer
     * token and the walkthrough's export line of the banner.
     */
    private static Banner awaitReady(InputStream output, Path copy, Duration timeout) throws Exception {
        List<String> before = new ArrayList<>();
        String[] found = new String[2];
        boolean[] ready = new boolean[1];
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    synchronized (found) {
                        if (line.contains(BANNER)) {
                            ready[0] = true;
                        } else if (!ready[0]) {
                            before.add(line);
                        }
                        Matcher token = TOKEN.matcher(line);
                        if (ready[0] && token.matches()) {
                            found[0] = token.group(1);
                        }
                        Matcher export = WALKTHROUGH_EXPORT.matcher(line);
                        if (ready[0] && export.matches()) {
                            found[1] = export.group(1);
                        }
                        if (line.contains("Ctrl-C stops")) {
                            found.notifyAll();
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
        synchronized (found) {
            while ((found[0] == null || found[1] == null) && System.nanoTime() < deadline) {
                found.wait(500);
            }
            if (found[0] == null || found[1] == null) {
                fail("the launcher was not ready, with its tokens and the walkthrough's line, within " + timeout.toSeconds()
                        + " s; its output: " + copy);
            }
            return new Banner(List.copyOf(before), found[0], found[1]);
        }
    }

    /**
     * The audit records once the sequencer has numbered the last ones (a record joins the trail a moment after
     * its commit): the count two reads half a second apart agree on, within 10 s.
     */
    private long numberedAuditRecords(String token) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long before = auditRecords(token);
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = auditRecords(token);
            if (now == before) {
                return now;
            }
            before = now;
        }
        throw new AssertionError("the audit trail kept growing for 10 s after the first run's last request");
    }

    /**
     * Without an identity provider the banner prints a one-time console sign-in link per role: the DPO's signs in
     * (a session cookie, the overview), then never again; a bearer token of the API is no link.
     */
    private void theBannersConsoleLinksSignInOnce() throws Exception {
        String banner = Files.readString(home.resolveSibling("launcher-it-output-1.log"));
        Matcher dpo = Pattern.compile("^    as dpo +(http://127\\.0\\.0\\.1:" + httpPort + "/console/dev-sign-in/[A-Za-z0-9_.-]+)$", Pattern.MULTILINE)
                .matcher(banner);
        assertTrue(dpo.find(), "the banner has a console sign-in link for the DPO:\n" + banner);
        HttpResponse<String> signedIn = get(dpo.group(1), null, plainHttp());
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        String cookie = signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gb_console=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Lax"), cookie);
        HttpResponse<String> overview = plainHttp().send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/console/"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, overview.statusCode(), overview.body());
        assertTrue(overview.body().contains("Signed in as dev-dpo"), overview.body());
        assertEquals(400, get(dpo.group(1), null, plainHttp()).statusCode(), "a link works once");
        String apiToken = io.guestbridge.launcher.DevTokens.in(home.resolve("dev-keys")).mint("dev-dpo", Duration.ofHours(1), "dpo");
        assertEquals(400, get("http://127.0.0.1:" + httpPort + "/console/dev-sign-in/" + apiToken, null, plainHttp()).statusCode(),
                "an API token is no sign-in link");
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
}
