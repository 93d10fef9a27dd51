package io.guestbridge.app.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The deployed guestbridge as the tests see it: the real WAR that Maven built (deployed at the root
 * context, as in production), an HTTP client on 127.0.0.1, development tokens per role, and a direct
 * JDBC connection to the same MariaDB for looking behind the API.
 */
public final class Deployed {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;

    public Deployed(URL deploymentUrl) {
        // Arquillian reports the machine's non-loopback address; tests talk to loopback only
        this.base = URI.create("http://127.0.0.1:" + deploymentUrl.getPort());
    }

    /** The WAR built by this module's package phase, unchanged. */
    public static WebArchive war() {
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                .importFrom(Path.of(System.getProperty("guestbridge.war")).toFile())
                .as(WebArchive.class);
    }

    /**
     * The WAR with every test probe (the guest, failure, audit and onboarding probe resources, the work-queue probe
     * handler), the same archive for every test class that uses it, so that consecutive classes share one running
     * server ({@link SharedPayaraMicro}) instead of starting Payara Micro for each. The probes answer only under
     * {@code /it-probe/} and on the {@code it-probe} queue, and never run unless a test calls them.
     */
    public static WebArchive sharedWar() {
        return war().addClasses(GuestProbeResource.class, OnboardingProbeResource.class, ProbeHandler.class, ProbeHandler.Probe.class,
                        FailureProbeResource.class, FailureProbeResource.FailingServlet.class, AuditProbeResource.class, AuditProbeResource.RollingBack.class)
                .addAsWebInfResource(new org.jboss.shrinkwrap.api.asset.StringAsset("probes"), SharedPayaraMicro.MARKER.substring("/WEB-INF/".length()));
    }

    public URI uri(String path) {
        return base.resolve(path);
    }

    public static String token(String... roles) {
        return ItEnvironment.tokens().mint("it-" + String.join("-", roles), Duration.ofMinutes(30), roles);
    }

    public static String tokenFor(String subject, String... roles) {
        return ItEnvironment.tokens().mint(subject, Duration.ofMinutes(30), roles);
    }

    public HttpResponse<String> get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public HttpResponse<String> post(String path, String token, String contentType, String body) {
        HttpRequest.Builder request = request(path, token)
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    public HttpResponse<String> send(String method, String path, String token) {
        return send(request(path, token).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    /** Sends a request; an exchange on an API path that disagrees with openapi/openapi.yaml fails the test (PublishedContract). */
    public HttpResponse<String> send(HttpRequest request) {
        HttpResponse<String> response = sendUnchecked(request);
        PublishedContract.check(request, response);
        return response;
    }

    /** Sends a request without holding the answer to the published contract: only for checking that check itself. */
    HttpResponse<String> sendUnchecked(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonObject json(HttpResponse<String> response) {
        return (JsonObject) parse(response.body());
    }

    public static JsonStructure parse(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            return reader.read();
        }
    }

    public static Connection database() throws SQLException {
        return DriverManager.getConnection(ItEnvironment.database().jdbcUrl(), "it", "");
    }
}
