package io.guestbridge.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs guestbridge locally with one command: an embedded MariaDB (unless {@code DB_URL} names an
 * external one) and Payara Micro with the guestbridge WAR, in two processes that Ctrl-C stops together.
 *
 * <p>{@code java -jar guestbridge-launcher.jar} runs the server; {@code ... token ROLE [SUBJECT]} prints
 * a development bearer token. Every setting comes from the environment (or a {@code -D} system property
 * of the same name), the same names the server reads through MicroProfile Config.
 */
public final class Launcher {

    /** JSON-P's implementation in Payara Micro (Eclipse Parsson), named to the server so that no call looks it up. */
    static final String JSON_PROVIDER = "org.eclipse.parsson.JsonProviderImpl";

    static final List<String> ROLES = List.of("operator", "compliance-officer", "dpo", "integration");
    /** The roles a person signs in to the console with (integration is for machine clients only). */
    static final List<String> CONSOLE_ROLES = List.of("operator", "compliance-officer", "dpo");
    static final String LISTENER_SETTINGS = "/deploy/payara/server-settings.asadmin";
    static final String HAZELCAST_SETTINGS = "/deploy/payara/hazelcast.xml";

    /** Held from the checks to the end of the process: released by the operating system however it ends. */
    private static HomeLock heldLock;

    private final Settings settings;
    private final boolean verbose;
    private EmbeddedMariaDb database;
    private Process server;
    private DevMailCatcher mail;
    private Path serverLog;
    private LogRotation serverLogRotation;

    private Launcher(Settings settings, boolean verbose) {
        this.settings = settings;
        this.verbose = verbose;
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("guestbridge: " + e.getMessage());
            System.err.println();
            System.err.print(Arguments.HELP);
            System.exit(2);
            return;
        }
        if (arguments.command().equals("help")) {
            System.out.print(Arguments.HELP);
            return;
        }
        if (arguments.command().equals("verify-audit")) {
            // needs no home, no settings and no database: only the files it is given
            System.exit(VerifyAudit.run(Path.of(arguments.option("--records").get(0)),
                    arguments.option("--checkpoint").stream().map(Path::of).toList(),
                    Path.of(arguments.option("--key").get(0)), System.out, System.err));
            return;
        }
        if (arguments.command().equals("verify-certificate")) {
            System.exit(VerifyCertificate.run(Path.of(arguments.option("--certificate").get(0)), Path.of(arguments.option("--key").get(0)),
                    System.out, System.err));
            return;
        }
        Settings settings;
        try {
            settings = Settings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println("guestbridge: " + e.getMessage());
            System.exit(2);
            return;
        }
        switch (arguments.command()) {
            case "token" -> printToken(settings, arguments.operands());
            case "database" -> {
                HomeLock lock = prepareHome(settings);
                Path databaseLog = ServerLog.fresh(settings.home(), ServerLog.DATABASE);
                ReopenableFileHandler handler = ServerLog.routeLibraryLogging(databaseLog, arguments.verbose() || settings.verbose());
                ServerLog.rotateWhileRunning(List.of(new LogRotation(databaseLog, Clock.systemUTC(), settings.logFileMaxBytes(),
                        LogRotation.renameThenReopen(handler))), System.err);
                runDatabaseOnly(settings, lock);
            }
            default -> {
                HomeLock lock = prepareHome(settings);
                new Launcher(settings, arguments.verbose() || settings.verbose()).run(lock);
            }
        }
    }

    /**
     * The home directory checked and locked for this launcher alone; on a problem, the paragraph that
     * says what to do and exit status 1.
     */
    private static HomeLock prepareHome(Settings settings) throws IOException {
        Optional<String> problem = StartChecks.homeProblem(settings.home(), StartChecks.mountInfo());
        if (problem.isPresent()) {
            refuse(problem.get());
        }
        Optional<HomeLock> lock = HomeLock.tryAcquire(settings.home());
        if (lock.isEmpty()) {
            refuse(HomeLock.refusal(settings.home()));
        }
        return lock.get();
    }

    private static void refuse(String paragraph) {
        System.err.println(paragraph);
        System.exit(1);
    }

    private static void printToken(Settings settings, List<String> operands) {
        String role = operands.get(0);
        String subject = operands.size() > 1 ? operands.get(1) : "dev-" + role;
        System.out.println(DevTokens.in(settings.home().resolve("dev-keys")).mint(subject, Duration.ofHours(12), role));
    }

    /**
     * Only the embedded database, for running the server some other way (an IDE, a full Payara Server
     * with the EAR): prints the JDBC URL and runs until Ctrl-C.
     */
    private static void runDatabaseOnly(Settings settings, HomeLock lock) throws InterruptedException {
        heldLock = lock;
        EmbeddedMariaDb database = startDatabase(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(database::close, "guestbridge-db-shutdown"));
        System.out.println("guestbridge: embedded MariaDB ready: DB_URL=" + database.jdbcUrl() + " DB_USER=" + EmbeddedMariaDb.USER
                + " KEYS_DB_URL=" + database.keysJdbcUrl() + " KEYS_DB_USER=" + EmbeddedMariaDb.KEYS_USER
                + " (passwords in the files " + EmbeddedMariaDb.PASSWORD_FILE + " and " + EmbeddedMariaDb.KEYS_PASSWORD_FILE + " of "
                + settings.secrets() + ")");
        Thread.currentThread().join();
    }

    /**
     * The embedded database of the default run: encrypted at rest when MariaDB's key-management plugin can
     * be had (said plainly when it cannot), its passwords in the secrets directory of the home.
     */
    private static EmbeddedMariaDb startDatabase(Settings settings) {
        EmbeddedMariaDb database = EmbeddedMariaDb.start(settings.home().resolve("mariadb"), settings.embeddedDbPort(),
                new EmbeddedMariaDb.Options(settings.secrets(), EmbeddedMariaDb.Encryption.WHEN_AVAILABLE,
                        settings.home().resolve("mariadb-plugin"), false, settings.embeddedDbBufferPoolMb()));
        database.unencryptedBecause().ifPresent(why -> System.err.println(
                "guestbridge: WARNING: the embedded MariaDB does NOT encrypt its files at rest (tables, logs and temporary files "
                        + "hold personal data in clear): " + why));
        return database;
    }

    private void run(HomeLock lock) throws Exception {
        heldLock = lock;
        // a server left behind by a launcher that was killed holds the ports: it goes before they are checked
        stopLeftoverServer(settings.home().resolve("payara").resolve("server.pid"));
        portProblems().ifPresent(Launcher::refuse);
        Optional<String> unreachable = settings.externalDbUrl().flatMap(StartChecks::databaseProblem);
        unreachable.ifPresent(Launcher::refuse);
        Path logs = ServerLog.directory(settings.home());
        System.out.println("guestbridge: starting in " + settings.home() + " (logs in " + logs
                + (verbose ? ", shown here too" : "; --verbose shows them here") + ")");
        Path databaseLog = ServerLog.fresh(settings.home(), ServerLog.DATABASE);
        ReopenableFileHandler databaseLogHandler = ServerLog.routeLibraryLogging(databaseLog, verbose);
        serverLog = ServerLog.fresh(settings.home(), ServerLog.SERVER);
        serverLogRotation = new LogRotation(serverLog, Clock.systemUTC(), settings.logFileMaxBytes(), LogRotation.copyThenTruncate());
        ServerLog.rotateWhileRunning(List.of(serverLogRotation, new LogRotation(databaseLog, Clock.systemUTC(), settings.logFileMaxBytes(),
                LogRotation.renameThenReopen(databaseLogHandler))), System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "guestbridge-shutdown"));

        Map<String, String> serverEnv = new java.util.HashMap<>();
        if (settings.externalDbUrl().isPresent()) {
            System.out.println("guestbridge: using the external MariaDB named by DB_URL; no embedded database is started");
        } else {
            long started = System.nanoTime();
            try {
                database = startDatabase(settings);
            } catch (IllegalStateException | java.io.UncheckedIOException e) {
                Path log = ServerLog.directory(settings.home()).resolve(ServerLog.DATABASE);
                System.err.println("guestbridge: the embedded MariaDB did not start: " + e.getMessage()
                        + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "") + ". The last lines of its log " + log + ":");
                ServerLog.tail(log, 15).forEach(line -> System.err.println("  | " + line));
                System.exit(1);
            }
            System.out.printf("guestbridge: embedded MariaDB ready on 127.0.0.1:%d in %d ms (data in %s, buffer pool %d MB, %s)%n",
                    database.port(), (System.nanoTime() - started) / 1_000_000, database.dataDirectory(), settings.embeddedDbBufferPoolMb(),
                    database.unencryptedBecause().isEmpty() ? "encrypted at rest" : "NOT encrypted at rest");
            // in the server's environment, not on its command line: only its own user (and root) can read it
            serverEnv.put("DB_URL", database.jdbcUrl());
            serverEnv.put("DB_USER", EmbeddedMariaDb.USER);
            serverEnv.put("DB_PASSWORD", database.password());
            serverEnv.put("KEYS_DB_URL", database.keysJdbcUrl());
            serverEnv.put("KEYS_DB_USER", EmbeddedMariaDb.KEYS_USER);
            serverEnv.put("KEYS_DB_PASSWORD", database.keysPassword());
        }

        DevTokens tokens = null;
        if (System.getenv("MP_JWT_VERIFY_PUBLICKEY_LOCATION") == null && System.getenv("MP_JWT_VERIFY_PUBLICKEY") == null) {
            tokens = DevTokens.in(settings.home().resolve("dev-keys"));
            serverEnv.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", tokens.publicKeyPem().toUri().toString());
            serverEnv.put("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
        }
        if (System.getenv("GUESTBRIDGE_MASTER_KEY") == null && System.getenv("GUESTBRIDGE_MASTER_KEY_FILE") == null) {
            serverEnv.put("GUESTBRIDGE_MASTER_KEY_FILE", DevTokens.devMasterKey(settings.home().resolve("dev-keys")).toString());
        }
        if (System.getenv("AUDIT_SIGNING_KEY") == null && System.getenv("AUDIT_SIGNING_KEY_FILE") == null) {
            serverEnv.put("AUDIT_SIGNING_KEY_FILE", DevTokens.devAuditKey(settings.home().resolve("dev-keys")).toString());
        }
        if (System.getenv("RETENTION_SERVER_LOGS_DIRECTORY") == null) {
            // the server's own output and the database's are written here: their retention deletes the old files
            serverEnv.put("RETENTION_SERVER_LOGS_DIRECTORY", ServerLog.directory(settings.home()).toString());
        }
        if (System.getenv("AUDIT_WITNESS_DIR") == null) {
            serverEnv.put("AUDIT_WITNESS_DIR", settings.home().resolve("audit-witness").toString());
        }
        String smtpHost = System.getProperty("PRIVACY_MAIL_SMTP_HOST", System.getenv("PRIVACY_MAIL_SMTP_HOST"));
        if (DevMailCatcher.wanted(smtpHost)) {
            // without SMTP no code would reach anyone and the privacy center could not be tried: catch the mail locally
            mail = DevMailCatcher.start(settings.home().resolve("mail"));
            serverEnv.put("PRIVACY_MAIL_SMTP_HOST", "127.0.0.1");
            serverEnv.put("PRIVACY_MAIL_SMTP_PORT", Integer.toString(mail.port()));
        }
        System.out.println("guestbridge: starting the server (Payara Micro with the guestbridge WAR); this takes a minute or so");
        server = startServer(serverEnv);
        Instant readyAt = waitUntilReady();
        if (readyAt == null) {
            List<String> last;
            synchronized (serverLogRotation) {
                last = ServerLog.tail(serverLog, 25);
            }
            System.err.println("guestbridge: the server stopped before it was ready. The last lines of its log " + serverLog + ":");
            last.forEach(line -> System.err.println("  | " + line));
            System.exit(1);
        }
        printBanner(tokens);
        int exit = server.waitFor();
        if (exit != 0 && exit != 143 && exit != 130) {
            System.err.println("guestbridge: server exited with status " + exit);
        }
    }

    /** The HTTP and HTTPS ports free for the server, or what to do about the first that is not. */
    private Optional<String> portProblems() {
        Optional<String> http = StartChecks.portProblem(settings.httpPort(), "HTTP_PORT");
        if (http.isPresent() || settings.httpsPort() <= 0) {
            return http;
        }
        return StartChecks.portProblem(settings.httpsPort(), "HTTPS_PORT");
    }

    private Process startServer(Map<String, String> env) throws IOException {
        Path runtime = settings.home().resolve("payara");
        // Payara Micro unpacks its runtime into java.io.tmpdir on every start; a killed server leaves
        // its copy behind, so the directory is emptied once no server of ours runs. No --rootdir: a
        // persistent root would redeploy the previous build's WAR at boot before deploying this one.
        deleteRecursively(runtime.resolve("tmp"));
        Files.createDirectories(runtime.resolve("tmp"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(settings.serverJavaOptions().trim().split("\\s+")));
        command.add("-Djava.io.tmpdir=" + runtime.resolve("tmp"));
        command.add("-Dhazelcast.phone.home.enabled=false");
        if (!settings.serverJavaOptions().contains("user.timezone=")) {
            // the JPA provider and the JDBC driver convert DATETIME values through the JVM's zone: in UTC no time moves,
            // in a zone with daylight saving a time in the hour its clocks skip would (the server refuses readiness then)
            command.add("-Duser.timezone=UTC");
        }
        if (!settings.serverJavaOptions().contains("jakarta.json.provider=")) {
            // JSON-P's Json.createReader() and its kind look for a provider with a ServiceLoader on every call, which reads
            // every jar of the application; Payara's JWT check makes two such calls per API request (some 4% of the
            // server's CPU under a burst of privacy requests). Named here, the provider Payara ships is taken at once.
            command.add("-Djakarta.json.provider=" + JSON_PROVIDER);
        }
        // the Hazelcast member Payara Micro starts anyway stays on loopback (server-settings.asadmin names this file)
        command.add("-Dguestbridge.hazelcast.config=" + serverFile(runtime, HAZELCAST_SETTINGS));
        if (!settings.serverJavaOptions().contains("javax.net.ssl.trustStore=")) {
            Path trustStore = runtime.resolve("truststore.p12");
            TrustStore.writeJdkAuthorities(Path.of(System.getProperty("java.home")), trustStore, new java.util.Date());
            command.add("-Djavax.net.ssl.trustStore=" + trustStore);
            command.add("-Djavax.net.ssl.trustStoreType=PKCS12");
            command.add("-Djavax.net.ssl.trustStorePassword=" + TrustStore.PASSWORD);
        }
        List<String> secretOptions = new ArrayList<>();
        List<String> payaraArgs = new ArrayList<>(List.of(
                "-jar", settings.payaraMicroJar().toString(),
                "--deploy", settings.war().toString(), "--contextroot", "/",
                "--port", String.valueOf(settings.httpPort()),
                "--prebootcommandfile", serverFile(runtime, LISTENER_SETTINGS).toString(),
                // no usage tracking calls to payara.fish: guestbridge talks to nobody it was not told to
                "--nocluster", "--disablephonehome"));
        if (settings.httpsPort() > 0) {
            Path keystore = settings.tlsKeystore().orElse(null);
            String password = settings.tlsKeystorePassword().orElse(null);
            String alias = settings.tlsAlias().orElse(null);
            if (keystore == null) {
                DevCertificate dev = DevCertificate.in(settings.home().resolve("tls"));
                keystore = dev.keystore();
                password = dev.password();
                alias = dev.alias();
            }
            command.add("-Djavax.net.ssl.keyStore=" + keystore);
            command.add("-Djavax.net.ssl.keyStoreType=PKCS12");
            secretOptions.add("-Djavax.net.ssl.keyStorePassword=" + password);
            payaraArgs.addAll(List.of("--sslport", String.valueOf(settings.httpsPort())));
            if (alias != null) {
                payaraArgs.addAll(List.of("--sslcert", alias));
            }
        }
        if (!secretOptions.isEmpty()) {
            // the java launcher reads options from an @argfile: the password stays off the process list (ps)
            Path argFile = runtime.resolve("secret-jvm-options");
            Files.deleteIfExists(argFile);
            Files.createFile(argFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.write(argFile, secretOptions);
            command.add("@" + argFile);
        }
        command.addAll(payaraArgs);
        // into the log file, not through the launcher: a server whose launcher was killed keeps writing there
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(serverLog.toFile())).redirectInput(ProcessBuilder.Redirect.INHERIT);
        if (verbose) {
            ServerLog.follow(serverLog, serverLogRotation, System.out);
        }
        builder.environment().putAll(env);
        builder.environment().put("HZ_PHONE_HOME_ENABLED", "false");
        Process process = builder.start();
        Files.writeString(runtime.resolve("server.pid"), Long.toString(process.pid()));
        return process;
    }

    /**
     * A file of deploy/payara (the settings production runs with, carried in this jar), copied into the server's
     * runtime directory, where Payara Micro reads it before it boots.
     */
    private static Path serverFile(Path runtime, String resource) throws IOException {
        Path file = runtime.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (var in = Launcher.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the launcher jar; rebuild it");
            }
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void stopLeftoverServer(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pid = Files.readString(pidFile).trim();
        Files.deleteIfExists(pidFile);
        if (pid.isEmpty()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains("payara-micro")).orElse(false))
                .ifPresent(p -> {
                    System.out.println("guestbridge: stopping a server left running by an earlier start (pid " + p.pid() + ")");
                    p.destroy();
                    p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> {
                        p.destroyForcibly();
                        return p;
                    }).join();
                });
    }

    private Instant waitUntilReady() throws InterruptedException {
        // HTTP/1.1: the JDK client otherwise tries an h2c upgrade, and a poll that times out mid-upgrade
        // was seen to leave every later poll failing while the server was already ready
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        URI ready = URI.create("http://127.0.0.1:" + settings.httpPort() + "/health/ready");
        Instant deadline = Instant.now().plus(settings.startTimeout());
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                return null;
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Instant.now();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        System.err.println("guestbridge: not ready after " + settings.startTimeout().toSeconds() + " s; still waiting on the server");
        return Instant.now();
    }

    private void printBanner(DevTokens tokens) {
        String base = "http://127.0.0.1:" + settings.httpPort();
        StringBuilder out = new StringBuilder("\n=== guestbridge is ready ===\n");
        out.append("  API       ").append(base).append("/api/v1\n");
        if (settings.httpsPort() > 0) {
            out.append("  HTTPS     https://127.0.0.1:").append(settings.httpsPort()).append("/api/v1")
                    .append(settings.tlsKeystore().isPresent() ? "\n" : "   (self-signed development certificate)\n");
        }
        out.append("  OpenAPI   ").append(base).append("/openapi\n");
        out.append("  health    ").append(base).append("/health/ready   metrics ").append(base).append("/metrics\n");
        if (database != null) {
            out.append("  database  ").append(database.jdbcUrl()).append("   (embedded; data in ")
                    .append(database.dataDirectory()).append(database.unencryptedBecause().isEmpty() ? ", encrypted at rest" : ", NOT encrypted at rest")
                    .append("; key store ").append(EmbeddedMariaDb.KEYS_DATABASE).append("; passwords in ").append(settings.secrets()).append(")\n");
        }
        if (mail != null) {
            out.append("  mail      no SMTP server is configured: the server's mail (privacy codes, notices, export links) is caught, not sent,\n")
                    .append("            and written to ").append(mail.directory()).append(" (one .eml file per mail; PRIVACY_MAIL_SMTP_HOST sends it instead)\n");
        }
        out.append("  logs      ").append(serverLog).append(" (the server), ").append(ServerLog.DATABASE).append(" beside it (the database)\n");
        if (tokens != null) {
            out.append("  development bearer tokens (valid 12 h; new ones: java -jar modules/launcher/target/guestbridge-launcher.jar token ROLE):\n");
            for (String role : ROLES) {
                out.append("    ").append(String.format("%-19s", role)).append(tokens.mint("dev-" + role, Duration.ofHours(12), role)).append('\n');
            }
            out.append("  to follow the README's first steps, paste this line into a shell (a token with all four roles):\n");
            out.append("    ").append(walkthroughExport(base, tokens.mint("dev-walkthrough", Duration.ofHours(12), ROLES.toArray(String[]::new))))
                    .append('\n');
        }
        if (tokens != null && System.getenv("CONSOLE_OIDC_ISSUER") == null) {
            out.append("  console sign-in links (development only; each works once, within 12 h):\n");
            for (String role : CONSOLE_ROLES) {
                out.append("    as ").append(String.format("%-19s", role)).append(base).append("/console/dev-sign-in/")
                        .append(tokens.mintConsoleLink("dev-" + role, Duration.ofHours(12), role)).append('\n');
            }
        }
        out.append("  Ctrl-C stops the server and the database.\n");
        System.out.println(out);
    }

    /** The shell line the README's walkthrough starts from: where the API is, and a token that may do everything in it. */
    static String walkthroughExport(String base, String token) {
        return "export GUESTBRIDGE=" + base + " TOKEN=" + token;
    }

    private synchronized void stop() {
        if (mail != null) {
            mail.close();
            mail = null;
        }
        if (server != null && server.isAlive()) {
            System.out.println("guestbridge: stopping the server");
            server.destroy();
            try {
                if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (database != null) {
            System.out.println("guestbridge: stopping the embedded database");
            database.close();
            database = null;
        }
    }

    /** The launcher's settings: environment variables, or system properties of the same name. */
    record Settings(Path home, int httpPort, int httpsPort, int embeddedDbPort, Optional<String> externalDbUrl,
                    Path war, Path payaraMicroJar, String serverJavaOptions, Duration startTimeout,
                    Optional<Path> tlsKeystore, Optional<String> tlsKeystorePassword, Optional<String> tlsAlias, boolean verbose,
                    long logFileMaxBytes, long embeddedDbBufferPoolMb) {

        /** The generated passwords of the embedded database, one file each (0600). */
        Path secrets() {
            return home.resolve("secrets");
        }

        static Settings fromEnvironment() {
            Path repo = repositoryRoot();
            return new Settings(
                    Path.of(get("GUESTBRIDGE_HOME").orElse(System.getProperty("user.home") + "/.guestbridge")).toAbsolutePath().normalize(),
                    port("HTTP_PORT", "8080", false),
                    port("HTTPS_PORT", "8443", true),
                    port("EMBEDDED_DB_PORT", "0", true),
                    get("DB_URL"),
                    Path.of(get("GUESTBRIDGE_WAR").orElse(repo.resolve("modules/app/target/guestbridge.war").toString())),
                    Path.of(get("PAYARA_MICRO_JAR").orElse(repo.resolve("modules/app/target/payara-micro.jar").toString())),
                    get("SERVER_JAVA_OPTS").orElse("-Xmx512m -XX:+UseSerialGC"),
                    Duration.ofSeconds(number("START_TIMEOUT_SECONDS", "240", 1, 86_400)),
                    get("TLS_KEYSTORE").map(Path::of),
                    get("TLS_KEYSTORE_PASSWORD"),
                    get("TLS_CERT_ALIAS"),
                    get("GUESTBRIDGE_VERBOSE").map(Boolean::parseBoolean).orElse(false),
                    number("LOG_FILE_MAX_MB", Long.toString(LogRotation.DEFAULT_MAX_BYTES / (1024 * 1024)), 1, 1_000_000) * 1024 * 1024,
                    number("EMBEDDED_DB_BUFFER_POOL_MB", Long.toString(EmbeddedMariaDb.bufferPoolMbFor(machineMemory())),
                            EmbeddedMariaDb.SMALL_BUFFER_POOL_MB, 1_048_576));
        }

        /** The memory of this machine, or of the container it runs in (the JVM reads the container's limit). */
        private static long machineMemory() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
        }

        /** A port setting; 0 only where it means "none" or "any free one". */
        private static int port(String name, String fallback, boolean zeroAllowed) {
            return (int) number(name, fallback, zeroAllowed ? 0 : 1, 65_535);
        }

        private static long number(String name, String fallback, long min, long max) {
            String value = get(name).orElse(fallback).trim();
            try {
                long number = Long.parseLong(value);
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
        }

        private static Optional<String> get(String name) {
            String value = System.getProperty(name, System.getenv(name));
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
        }

        /** The launcher jar sits in modules/launcher/target of the checkout it was built in. */
        private static Path repositoryRoot() {
            try {
                Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path candidate = jar.getParent().getParent().getParent().getParent();
                return candidate != null && Files.exists(candidate.resolve("modules")) ? candidate : Path.of("").toAbsolutePath();
            } catch (Exception e) {
                return Path.of("").toAbsolutePath();
            }
        }
    }
}
