package io.guestbridge.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A real Keycloak (its own distribution, unpacked by Maven) on a loopback port, as the OpenID Connect provider of the
 * console's tests: development mode with an in-memory database, the realms of {@code src/test/resources/keycloak}
 * imported at start (one with a user per console role and one with none, and a second realm whose tokens the API
 * must refuse). Started on first use, once per test run, and stopped with the run (ItEnvironment).
 */
public final class KeycloakServer {

    private static final Logger LOG = Logger.getLogger(KeycloakServer.class.getName());
    static final String REALM = "guestbridge";
    static final String OTHER_REALM = "elsewhere";
    static final String CLIENT_ID = "guestbridge-console";
    /** The test realm's client secret: a value of the test fixture, not a credential. */
    static final String CLIENT_SECRET = "it-console-client-secret";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private static KeycloakServer running;
    /** The master realm's temporary administrator Keycloak creates at its first start, for the admin API; random per run. */
    private static final String ADMIN = "it-admin";
    private static final String ADMIN_PASSWORD = java.util.UUID.randomUUID().toString();

    private final Process process;
    private final int port;
    private final Duration startedIn;

    private KeycloakServer(Process process, int port, Duration startedIn) {
        this.process = process;
        this.port = port;
        this.startedIn = startedIn;
    }

    /** The run's Keycloak, started now if it is not yet. */
    static synchronized KeycloakServer shared() {
        if (running == null) {
            running = start();
        }
        return running;
    }

    /** Starts the run's Keycloak on a thread of its own; {@link #shared()} waits for it. */
    static void startInBackground() {
        Thread starter = new Thread(() -> {
            try {
                shared();
            } catch (RuntimeException e) {
                LOG.warning(() -> "Keycloak did not start early; the first test that needs it tries again: " + e);
            }
        }, "keycloak-early-start");
        starter.setDaemon(true);
        starter.start();
    }

    static synchronized void stopShared() {
        if (running != null) {
            running.stop();
            running = null;
        }
    }

    /**
     * The JDK Keycloak runs on: the configured one, else any JDK 21 or later under /usr/lib/jvm (machines name
     * their second JDK by its version, which differs from one machine to the next).
     */
    static Path keycloakJava(Path configured) {
        if (Files.isExecutable(configured.resolve("bin/java"))) {
            return configured;
        }
        try (var jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")) && javaMajor(jdk) >= 21)
                    .max(java.util.Comparator.comparingInt(KeycloakServer::javaMajor))
                    .orElseThrow(() -> new IllegalStateException("Keycloak needs Java 21 or later: none at " + configured
                            + " nor under /usr/lib/jvm (set -Dkeycloak.java.home)"));
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak needs Java 21 or later: no JDK at " + configured + " (set -Dkeycloak.java.home)", e);
        }
    }

    /** The major version a JDK's release file states, 0 when it states none. */
    private static int javaMajor(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static KeycloakServer start() {
        Path home = Path.of(System.getProperty("guestbridge.it.keycloak.home"));
        Path java = keycloakJava(Path.of(System.getProperty("guestbridge.it.keycloak.java")));
        int port = Integer.parseInt(System.getProperty("guestbridge.it.keycloak.port"));
        try {
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            for (String realm : List.of(REALM, OTHER_REALM)) {
                try (var in = KeycloakServer.class.getResourceAsStream("/keycloak/" + realm + "-realm.json")) {
                    Files.copy(in, imports.resolve(realm + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path log = ItEnvironment.home().resolve("keycloak.log");
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--hostname=http://127.0.0.1:" + port,
                    "--db=dev-mem", "--import-realm", "--cache=local", "--health-enabled=false", "--metrics-enabled=false")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", java.toString());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx384m");
            builder.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1 -Djava.io.tmpdir=" + home.resolve("tmp"));
            Files.createDirectories(home.resolve("tmp"));
            long begun = System.nanoTime();
            Process process = builder.start();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI discovery = URI.create("http://127.0.0.1:" + port + "/realms/" + REALM + "/.well-known/openid-configuration");
            long deadline = begun + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak stopped while starting (exit " + process.exitValue() + "); see " + log);
                }
                try {
                    HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() == 200) {
                        Duration took = Duration.ofNanos(System.nanoTime() - begun);
                        LOG.info(() -> "Keycloak ready on 127.0.0.1:" + port + " in " + took.toMillis() + " ms");
                        return new KeycloakServer(process, port, took);
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("Keycloak was not ready within " + START_TIMEOUT.toSeconds() + " s; see " + log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                child.onExit().get(20, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    int port() {
        return port;
    }

    Duration startedIn() {
        return startedIn;
    }

    String issuer(String realm) {
        return "http://127.0.0.1:" + port + "/realms/" + realm;
    }

    /**
     * The admin API of the test realm, as the identity provider's own administrators use it: {@code method} on
     * {@code /admin/realms/<realm>/<path>} with a JSON body (or none); returns the answer.
     */
    HttpResponse<String> admin(String method, String path, String json) {
        try {
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/realms/master/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=" + ADMIN + "&password=" + ADMIN_PASSWORD))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (login.statusCode() != 200) {
                throw new IllegalStateException("Keycloak's admin sign-in failed: " + login.statusCode() + " " + login.body());
            }
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/realms/" + REALM + "/" + path))
                    .header("Authorization", "Bearer " + Deployed.json(login).getString("access_token"))
                    .header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An access token of a realm's user by the password grant: what a script holding the person's credentials would get. */
    String accessToken(String realm, String user, String password) {
        String form = "grant_type=password&client_id=" + CLIENT_ID + "&client_secret=" + CLIENT_SECRET + "&scope=openid&username=" + user
                + "&password=" + password;
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused the password grant for " + user + ": " + answer.statusCode() + " " + answer.body());
            }
            return Deployed.json(answer).getString("access_token");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
