package io.guestbridge.crmsync.internal.connectors.rest;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.crmsync.internal.connectors.MarketingFlags;
import com.sun.net.httpserver.HttpServer;
import io.guestbridge.crmsync.internal.connectors.ClientTestSupport;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.WebhookSignatures;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static io.guestbridge.crmsync.internal.connectors.ClientTestSupport.TIMEOUT;
import static io.guestbridge.crmsync.internal.connectors.ClientTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(15)
class RestWebhookClientTest {

    private static final String SECRET = WebhookSignatures.newSecret();
    private static final String PATH = "/hooks/contacts";

    /** What the endpoint received: method, path, the Standard Webhooks headers, Authorization, body. */
    record Received(String method, String path, String id, String timestamp, String signature, String authorization, byte[] body) {
        JsonObject json() {
            return Jsonp.JSON.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
        }

        /** Throws when the signature does not verify with the secret. */
        void verify(String secret) {
            WebhookSignatures.verify(List.of(secret), id, timestamp, signature, body, Instant.now());
        }
    }

    /** The endpoint's next answer. */
    record Answer(int status, Map<String, String> headers, String body, Duration delay) {
        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body, Duration.ZERO);
        }
    }

    private static HttpServer server;
    private static ExecutorService executor;
    private static String url;
    private static HttpClient http;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static final AtomicReference<Answer> next = new AtomicReference<>();

    private final RestWebhookClient client = new RestWebhookClient(http);

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "rest-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var h = exchange.getRequestHeaders();
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), h.getFirst(WebhookSignatures.ID),
                        h.getFirst(WebhookSignatures.TIMESTAMP), h.getFirst(WebhookSignatures.SIGNATURE), h.getFirst("Authorization"), body));
                Answer answer = next.get();
                if (!answer.delay().isZero()) {
                    Thread.sleep(answer.delay().toMillis());
                }
                answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
                byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    exchange.getResponseBody().write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
        http = ClientTestSupport.http();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @BeforeEach
    void fresh() {
        received.clear();
        next.set(Answer.of(200, ""));
    }

    private static ConnectorSettings connector(String template, String token) {
        return connector(url, template, token, TIMEOUT);
    }

    private static ConnectorSettings connector(String target, String template, String token, Duration timeout) {
        Map<String, String> options = template == null ? Map.of("signing-secret", SECRET) : Map.of("signing-secret", SECRET, "template", template);
        return ClientTestSupport.connector("hook", ConnectorSettings.Type.REST, target, 100, timeout, Map.of("EMAIL", "email"), null, token, options);
    }

    @Test
    void withoutATemplateEachContactIsTheEmailAndThePropertiesSignedAndWithTheToken() {
        CrmAnswer answer = client.upsert(connector(null, "rest-token"), List.of(record("Ann@Example.com", Map.of("firstname", "Ann")),
                record("bo@example.com", Map.of("firstname", "Bo", "visits", "3"))));

        assertNull(answer.problem());
        assertEquals(Map.of("ann@example.com", "ann@example.com", "bo@example.com", "bo@example.com"), answer.succeeded());
        Received request = received.get(0);
        assertEquals("POST", request.method());
        assertEquals(PATH, request.path());
        request.verify(SECRET);
        assertEquals("Bearer rest-token", request.authorization());
        JsonObject expected = Jsonp.JSON.createReader(new StringReader("{\"contacts\":[{\"email\":\"Ann@Example.com\",\"firstname\":\"Ann\"},"
                + "{\"email\":\"bo@example.com\",\"firstname\":\"Bo\",\"visits\":\"3\"}]}")).readObject();
        assertEquals(expected, request.json());
    }

    @Test
    void theSignatureIsBoundToTheSecretAndTheIdIsNewForEveryRequest() {
        client.upsert(connector(null, null), List.of(record("a@example.com", Map.of())));
        client.upsert(connector(null, null), List.of(record("a@example.com", Map.of())));

        assertEquals(2, received.size());
        received.get(0).verify(SECRET);
        received.get(1).verify(SECRET);
        assertThrows(ProblemException.class, () -> received.get(0).verify(WebhookSignatures.newSecret()));
        assertNotEquals(received.get(0).id(), received.get(1).id());
        assertNull(received.get(0).authorization(), "no token configured: no Authorization header");
    }

    @Test
    void theTemplateIsFilledFromTheRecordAndAbsentPropertiesBecomeNull() {
        String template = "{\"contact\":{\"mail\":\"${email}\",\"name\":\"${firstname} ${lastname}\",\"first\":\"${firstname}\"},"
                + "\"phone\":\"${phone}\",\"source\":\"guest-wifi\",\"tags\":[\"wifi\",\"${city}\"],\"consent\":true,\"weight\":2}";

        CrmAnswer answer = client.upsert(connector(template, null), List.of(record("a@example.com", Map.of("firstname", "Ann", "city", "Oslo"))));

        assertNull(answer.problem());
        received.get(0).verify(SECRET);
        JsonObject expected = Jsonp.JSON.createReader(new StringReader("{\"contacts\":[{\"contact\":{\"mail\":\"a@example.com\","
                + "\"name\":\"Ann \",\"first\":\"Ann\"},\"phone\":null,\"source\":\"guest-wifi\",\"tags\":[\"wifi\",\"Oslo\"],"
                + "\"consent\":true,\"weight\":2}]}")).readObject();
        assertEquals(expected, received.get(0).json());
    }

    @Test
    void aTemplateThatIsNotAJsonObjectIsAPermanentProblemAndNothingIsSent() {
        CrmAnswer broken = client.upsert(connector("{\"email\": ", null), List.of(record("a@example.com", Map.of())));
        CrmAnswer array = client.upsert(connector("[\"${email}\"]", null), List.of(record("a@example.com", Map.of())));

        assertTrue(broken.permanent());
        assertTrue(broken.problem().startsWith("crm.hook.template is not valid JSON"), broken.problem());
        assertTrue(array.permanent());
        assertEquals("crm.hook.template must be a JSON object, not a JSON array", array.problem());
        assertEquals(List.of(), received);
    }

    @Test
    void perRecordResultsGiveIdsAndRefusals() {
        next.set(Answer.of(200, "{\"results\":[{\"email\":\"A@example.com\",\"id\":\"crm-1\",\"error\":null},"
                + "{\"email\":\"b@example.com\",\"error\":\"duplicate of b@example.com\"},{\"email\":\"c@example.com\",\"id\":7}]}"));

        CrmAnswer answer = client.upsert(connector(null, null), List.of(record("a@example.com", Map.of()), record("b@example.com", Map.of()),
                record("c@example.com", Map.of())));

        assertEquals(Map.of("a@example.com", "crm-1", "c@example.com", "7"), answer.succeeded());
        assertEquals(Set.of("b@example.com"), answer.failed().keySet());
        assertTrue(answer.failed().get("b@example.com").startsWith("duplicate of "), answer.failed().toString());
        assertFalse(answer.failed().get("b@example.com").contains("b@example.com"));
    }

    @Test
    void unavailableIsTransientAndTooManyRequestsWaitsForRetryAfter() {
        List<CrmRecord> one = List.of(record("a@example.com", Map.of()));
        next.set(Answer.of(503, "{\"message\":\"down\"}"));
        CrmAnswer unavailable = client.upsert(connector(null, null), one);
        next.set(new Answer(429, Map.of("Retry-After", "7"), "", Duration.ZERO));
        CrmAnswer limited = client.upsert(connector(null, null), one);
        next.set(Answer.of(429, ""));
        CrmAnswer limitedWithoutHeader = client.upsert(connector(null, null), one);

        assertEquals(503, unavailable.status());
        assertFalse(unavailable.permanent());
        assertNull(unavailable.retryAfter());
        assertTrue(unavailable.succeeded().isEmpty());
        assertEquals(Duration.ofSeconds(7), limited.retryAfter());
        assertEquals(RestWebhookClient.DEFAULT_RETRY_AFTER, limitedWithoutHeader.retryAfter());
        assertTrue(limited.succeeded().isEmpty());
    }

    @Test
    void otherClientErrorsArePermanentButCredentialsAreTransient() {
        List<CrmRecord> one = List.of(record("a@example.com", Map.of()));
        next.set(Answer.of(422, "{\"message\":\"field phone of a@example.com is not a number\"}"));
        CrmAnswer unprocessable = client.upsert(connector(null, null), one);
        next.set(Answer.of(401, ""));
        CrmAnswer unauthorized = client.upsert(connector(null, "old-token"), one);

        assertTrue(unprocessable.permanent());
        assertEquals(422, unprocessable.status());
        assertTrue(unprocessable.problem().contains("field phone of <email> is not a number"), unprocessable.problem());
        assertFalse(unauthorized.permanent());
        assertTrue(unauthorized.problem().contains("crm.hook.token"), unauthorized.problem());
    }

    @Test
    void timeoutsAndRefusedConnectionsAreTransient() throws IOException {
        next.set(new Answer(200, Map.of(), "", Duration.ofMillis(1500)));
        CrmAnswer slow = client.upsert(connector(url, null, null, Duration.ofMillis(300)), List.of(record("a@example.com", Map.of())));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CrmAnswer refused = client.upsert(connector("http://127.0.0.1:" + closedPort + PATH, null, null, TIMEOUT),
                List.of(record("a@example.com", Map.of())));

        assertFalse(slow.permanent());
        assertTrue(slow.problem().contains("did not answer within 300 ms"), slow.problem());
        assertFalse(refused.permanent());
        assertTrue(refused.problem().startsWith("connection to the endpoint of hook failed"), refused.problem());
    }

    @Test
    void eraseIsASignedErasureRequest() {
        next.set(Answer.of(204, ""));

        CrmAnswer answer = client.erase(connector(null, null), "Gone@Example.com");

        assertNull(answer.problem());
        assertEquals(Set.of("gone@example.com"), answer.succeeded().keySet());
        received.get(0).verify(SECRET);
        assertEquals(Jsonp.JSON.createReader(new StringReader("{\"erasures\":[{\"email\":\"Gone@Example.com\"}]}")).readObject(), received.get(0).json());
        assertNotNull(received.get(0).id());
    }

    /** The receiver is told marketing_consent only on a grant (true) or a withdrawal (false); declined sends nothing to act on. */
    @Test
    void marketingConsentIsSentOnlyForAGrantOrAWithdrawal() {
        ConnectorSettings connector = ClientTestSupport.connector("hook", ConnectorSettings.Type.REST, url, 100, TIMEOUT, Map.of("EMAIL", "email"),
                "marketing_consent", null, Map.of("signing-secret", SECRET));
        ConsentDecision[] decisions = {ConsentDecision.GRANTED, ConsentDecision.WITHDRAWN, ConsentDecision.DENIED, ConsentDecision.INVALID, null};
        List<CrmRecord> records = new java.util.ArrayList<>();
        for (ConsentDecision decision : decisions) {
            records.add(record(decision + "@example.com", MarketingFlags.of(connector, decision)));
        }
        assertNull(client.upsert(connector, records).problem());

        jakarta.json.JsonArray contacts = received.get(0).json().getJsonArray("contacts");
        assertEquals("true", contacts.getJsonObject(0).getString("marketing_consent"));
        assertEquals("false", contacts.getJsonObject(1).getString("marketing_consent"));
        for (int i = 2; i < decisions.length; i++) {
            assertFalse(contacts.getJsonObject(i).containsKey("marketing_consent"), decisions[i] + " is not withdrawn");
        }
    }
}
