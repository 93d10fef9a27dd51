package io.guestbridge.app.it;

import io.guestbridge.app.it.RawHttp.Exchange;
import io.guestbridge.app.it.RawHttp.Response;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP layer as a proxy, a scanner or an attacker meets it, on raw sockets: one answer per request and
 * never a request hidden in another's body, problem+json for the errors the container answers itself, the
 * security headers on every answer of every operation, and every 5xx in the log under the incident id its
 * problem names. Then the same through the load balancer production puts in front (deploy/haproxy): what Payara's
 * own parser answers with an empty body never reaches it, and is refused with a problem instead.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpHardeningIT {

    private static final String PROBLEM = "application/problem+json";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    /** HAProxy with deploy/haproxy's configuration in front of this class's server, started by the first test through it. */
    private static LoadBalancer balancer;

    private int port() {
        return url.getPort();
    }

    private LoadBalancer balancer() {
        if (balancer == null) {
            balancer = LoadBalancer.start(port(), true);
        }
        return balancer;
    }

    @AfterAll
    static void stopLoadBalancer() {
        if (balancer != null) {
            balancer.close();
            balancer = null;
        }
    }

    @Test
    void aBodyOnTraceIsNeverReadAsTheNextRequest() throws Exception {
        Deployed app = new Deployed(url);
        Source purple = registerPurple(app);
        String smuggled = RawHttp.withBody("POST", purple.path(), "{\"email\":\"smuggled@example.com\"}",
                "Content-Type: application/json");
        // the same request on its own is stored: the check below can see a smuggled one
        Exchange direct = RawHttp.exchange(port(), smuggled, 1, false);
        assertEquals(200, direct.only().status(), direct.toString());
        assertEquals(1, inboxRows(purple.id()));

        for (String path : List.of("/api/v1/audit/records", "/health/ready", "/")) {
            for (String trace : List.of(RawHttp.withBody("TRACE", path, smuggled), RawHttp.chunked("TRACE", path, smuggled))) {
                Exchange exchange = RawHttp.exchange(port(), trace, 1, false);
                Response answer = exchange.only();
                assertTrue(exchange.closed(), "the connection is closed after refusing TRACE: " + exchange);
                assertTrue(answer.status() == 400 || answer.status() == 405, answer.toString());
                assertEquals(PROBLEM, answer.contentType(), answer.toString());
                assertFalse(answer.body().contains("smuggled"), "TRACE echoes nothing: " + answer);
            }
        }
        Thread.sleep(1500);
        assertEquals(1, inboxRows(purple.id()), "no request hidden in a TRACE body reached the application");
    }

    @Test
    void traceWithoutABodyIsRefusedWithAllowAndTheConnectionClosed() {
        for (String path : List.of("/api/v1/audit/records", "/health/ready", "/openapi", "/nothing-here")) {
            Exchange exchange = RawHttp.exchange(port(), RawHttp.request("TRACE", path, "X-Secret: echo-me")
                    + RawHttp.request("GET", "/health/live"), 1, false);
            Response answer = exchange.only();
            assertEquals(405, answer.status(), answer.toString());
            assertEquals(PROBLEM, answer.contentType());
            assertAllows(answer, "GET");
            assertFalse(answer.header("allow").orElse("").contains("TRACE"), answer.toString());
            assertFalse(answer.body().contains("echo-me"), "nothing of the request is echoed: " + answer);
            assertTrue(exchange.closed(), "what follows a refused TRACE is not served: " + exchange);
        }
    }

    @Test
    void aBodyOnAMethodThatTakesNoneIsRefusedWithAProblemAndTheConnectionClosed() throws Exception {
        Deployed app = new Deployed(url);
        Source purple = registerPurple(app);
        String smuggled = RawHttp.withBody("POST", purple.path(), "{\"email\":\"smuggled@example.com\"}",
                "Content-Type: application/json");
        String officer = "Authorization: Bearer " + Deployed.token("compliance-officer");
        for (String method : List.of("GET", "DELETE", "HEAD")) {
            for (String request : List.of(RawHttp.withBody(method, "/api/v1/audit/records", smuggled, officer),
                    RawHttp.chunked(method, "/api/v1/audit/records", smuggled, officer),
                    RawHttp.withBody(method, "/health/ready", smuggled))) {
                Exchange exchange = RawHttp.exchange(port(), request, 1, method.equals("HEAD"));
                Response answer = exchange.only();
                assertEquals(400, answer.status(), method + ": " + answer);
                assertEquals(PROBLEM, answer.contentType(), method + ": " + answer);
                if (!method.equals("HEAD")) {
                    assertEquals("https://guestbridge.io/problems/validation", ((JsonObject) Deployed.parse(answer.body())).getString("type"));
                }
                assertTrue(exchange.closed(), method + " with a body: the connection is closed: " + exchange);
            }
        }
        Thread.sleep(1500);
        assertEquals(0, inboxRows(purple.id()), "no request hidden in a body reached the application");
    }

    @Test
    void unknownMethodsAreRefusedWith405AndAllowAndTheirBodiesAreNotRequests() throws Exception {
        Deployed app = new Deployed(url);
        Source purple = registerPurple(app);
        String smuggled = RawHttp.withBody("POST", purple.path(), "{\"email\":\"smuggled@example.com\"}",
                "Content-Type: application/json");
        List<String> labels = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        for (String path : List.of("/api/v1/audit/records", purple.path(), "/health/ready", "/metrics", "/nothing-here")) {
            for (String method : List.of("FOO", "PROPFIND", "BREW")) {
                labels.add(method + " " + path);
                requests.add(RawHttp.withBody(method, path, smuggled));
            }
        }
        List<Exchange> exchanges = RawHttp.exchanges(port(), requests, 1, false);
        for (int i = 0; i < requests.size(); i++) {
            Response answer = exchanges.get(i).only();
            assertEquals(405, answer.status(), labels.get(i) + ": " + answer);
            assertEquals(PROBLEM, answer.contentType(), answer.toString());
            assertTrue(answer.header("allow").isPresent(), "every 405 names what is allowed: " + answer);
        }
        HttpResponse<String> wrongMethod = app.send("DELETE", "/api/v1/audit/records", Deployed.token("compliance-officer"));
        assertEquals(405, wrongMethod.statusCode(), wrongMethod.body());
        assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse("").split(",")[0].trim(), "JAX-RS names the resource's methods");
        Exchange options = RawHttp.exchange(port(), RawHttp.request("OPTIONS", "/health/ready"), 1, false);
        assertEquals(204, options.only().status(), options.toString());
        assertEquals("GET, HEAD, OPTIONS", options.only().header("allow").orElse(""), "TRACE is not offered");
        Thread.sleep(1500);
        assertEquals(0, inboxRows(purple.id()), "no request hidden in a body reached the application");
    }

    @Test
    void pipelinedRequestsGetOneAnswerEachInOrderOnAConnectionThatStaysOpen() {
        String officer = "Authorization: Bearer " + Deployed.token("compliance-officer");
        String pipelined = RawHttp.request("GET", "/health/live")
                + RawHttp.request("GET", "/api/v1/audit/records?limit=1", officer)
                + RawHttp.request("GET", "/api/v1/no-such-thing", officer)
                + RawHttp.withBody("POST", "/api/v1/audit/verifications", "", officer)
                + RawHttp.request("GET", "/api/v1/audit/records");
        Exchange exchange = RawHttp.exchange(port(), pipelined, 5, false);
        List<Integer> statuses = exchange.responses().stream().map(Response::status).toList();
        assertEquals(List.of(200, 200, 404, 200, 401), statuses, exchange.toString());
        assertFalse(exchange.closed(), "keep-alive: the connection stays open for more: " + exchange);
        exchange.responses().forEach(HttpHardeningIT::assertSecurityHeaders);
    }

    @Test
    void errorsTheServerAnswersItselfAreProblemsWithoutVersionBanners() {
        Deployed app = new Deployed(url);
        String officer = Deployed.token("compliance-officer");
        List<HttpResponse<String>> errors = List.of(
                app.get("/nothing-here", null),
                app.get("/api/v1/no-such-thing", officer),
                app.get("/api/v1/audit/records", null),
                app.get("/api/v1/audit/records", "not-a-jwt"),
                app.get("/api/v1/audit/records", Deployed.token("dpo")),
                app.send("PUT", "/health/ready", null),
                app.send("DELETE", "/api/v1/audit/records", officer));
        for (HttpResponse<String> error : errors) {
            String label = error.request().method() + " " + error.uri().getPath() + " -> " + error.statusCode();
            assertTrue(error.statusCode() >= 400, label);
            assertEquals(PROBLEM, error.headers().firstValue("Content-Type").orElse("").split(";")[0], label);
            assertEquals(error.statusCode(), Deployed.json(error).getInt("status"), label);
            assertEquals("nosniff", error.headers().firstValue("X-Content-Type-Options").orElse(""), label);
            assertEquals("no-store", error.headers().firstValue("Cache-Control").orElse(""), label);
            assertTrue(error.headers().firstValue("Server").isEmpty(), label + " names no server");
            assertTrue(error.headers().firstValue("X-Powered-By").isEmpty(), label + " names no runtime");
            if (error.statusCode() == 405) {
                assertTrue(error.headers().firstValue("Allow").isPresent(), label + " carries Allow");
            }
        }
        // a request line the parser cannot read gets one answer and the connection is closed
        for (String malformed : List.of("GET /health/live HTTP/2.5\r\nHost: x\r\n\r\n" + RawHttp.request("GET", "/health/live"),
                "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n" + RawHttp.request("GET", "/health/live"))) {
            Exchange exchange = RawHttp.exchange(port(), malformed, 1, false);
            assertTrue(exchange.only().status() >= 400, exchange.toString());
            assertTrue(exchange.closed(), exchange.toString());
        }
    }

    @Test
    void everyOperationAnswersWithTheSecurityHeadersWhoeverAsks() {
        Deployed app = new Deployed(url);
        JsonObject document = Deployed.json(app.send(app.request("/openapi", null).header("Accept", "application/json").GET().build()));
        JsonObject paths = document.getJsonObject("paths");
        List<String> failures = new ArrayList<>();
        int answers = 0;
        for (String path : paths.keySet()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.keySet()) {
                if (!Set.of("get", "post", "put", "patch", "delete", "head").contains(method)) {
                    continue;
                }
                String concrete = path.replaceAll("\\{[^}]+}", "1");
                List<String> tokens = new ArrayList<>();
                tokens.add(null);
                documentedRoles(item.getJsonObject(method), document).stream().findFirst().ifPresent(role -> tokens.add(Deployed.token(role)));
                for (String token : tokens) {
                    HttpResponse<String> response = app.send(method.toUpperCase(), concrete, token);
                    String label = method.toUpperCase() + " " + path + (token == null ? " anonymous" : " with a documented role")
                            + " -> " + response.statusCode();
                    answers++;
                    headerFailures(label, response).forEach(failures::add);
                    if (response.statusCode() >= 400 && !response.headers().firstValue("Content-Type").orElse("").startsWith(PROBLEM)) {
                        failures.add(label + ": an error that is not problem+json");
                    }
                    if (response.statusCode() == 405 && response.headers().firstValue("Allow").isEmpty()) {
                        failures.add(label + ": a 405 without Allow");
                    }
                }
            }
        }
        for (String path : List.of("/openapi", "/health", "/health/ready", "/health/live", "/metrics")) {
            HttpResponse<String> response = app.get(path, null);
            answers++;
            headerFailures("GET " + path + " -> " + response.statusCode(), response).forEach(failures::add);
        }
        assertTrue(answers >= 40, "walked " + answers + " answers");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void every5xxIsLoggedOnceUnderTheIncidentItsProblemNames() throws Exception {
        Deployed app = new Deployed(url);
        List<String> incidents = new ArrayList<>();
        for (String path : List.of("/api/v1/it-probe/failures/exception", "/api/v1/it-probe/failures/problem",
                "/api/v1/it-probe/failures/web-application", "/it-probe/servlet-failure")) {
            HttpResponse<String> failed = app.get(path, null);
            assertTrue(failed.statusCode() >= 500, path + ": " + failed.statusCode() + " " + failed.body());
            assertEquals(PROBLEM, failed.headers().firstValue("Content-Type").orElse("").split(";")[0], path);
            JsonObject problem = Deployed.json(failed);
            assertEquals(failed.statusCode(), problem.getInt("status"), path);
            String incident = problem.getString("incident", "");
            assertTrue(incident.matches("[0-9a-f-]{36}"), path + " names its incident: " + failed.body());
            assertFalse(failed.body().contains("Exception") || failed.body().contains(FailureProbeResource.EMAIL_IN_MESSAGE),
                    "no internals in the answer: " + failed.body());
            incidents.add(incident);
        }
        Thread.sleep(1500);
        String log = serverLog();
        for (String incident : incidents) {
            Matcher mentions = Pattern.compile("incident " + incident).matcher(log);
            int count = 0;
            while (mentions.find()) {
                count++;
            }
            assertEquals(1, count, "incident " + incident + " is logged once");
        }
        assertFalse(log.contains(FailureProbeResource.EMAIL_IN_MESSAGE), "the log holds no personal data");
    }

    @Test
    void throughTheLoadBalancerWhatPayarasParserCannotReadIsRefusedWithAProblem() {
        record Probe(String label, String bytes, int status) {
        }
        List<Probe> probes = List.of(
                new Probe("an unknown HTTP version", "GET /health/live HTTP/2.5\r\nHost: x\r\n\r\n", 505),
                new Probe("a malformed request line", "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Probe("not HTTP at all", "HELLO\r\n\r\n", 400),
                new Probe("a header name with a space", "GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", 400),
                new Probe("a header without a colon", "GET /health/live HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400),
                new Probe("two different Content-Lengths", "POST /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                        + "Content-Length: 3\r\n\r\n{}", 400),
                new Probe("headers over Payara's 8 KB", RawHttp.request("GET", "/health/live", "X-Filler: " + "a".repeat(9000)), 431),
                new Probe("headers that never end", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Filler: " + "a".repeat(20000), 431),
                new Probe("a request line over 4 KB", RawHttp.request("GET", "/health/live?q=" + "a".repeat(5000)), 414),
                new Probe("TRACE", RawHttp.request("TRACE", "/api/v1/audit/records", "X-Secret: echo-me"), 405));
        List<Exchange> exchanges = RawHttp.exchanges(balancer().port(), probes.stream().map(Probe::bytes).toList(), 1, false);
        for (int i = 0; i < probes.size(); i++) {
            Probe probe = probes.get(i);
            Exchange exchange = exchanges.get(i);
            Response answer = exchange.only();
            String label = probe.label() + ": " + exchange;
            assertEquals(probe.status(), answer.status(), label);
            assertProblem(answer, label);
            assertTrue(exchange.closed(), "the connection is closed after " + label);
            assertFalse(answer.body().contains("echo-me"), "nothing of the request is echoed: " + label);
        }
        assertAllows(exchanges.get(probes.size() - 1).only(), "GET");
    }

    @Test
    void throughTheLoadBalancerNoRequestHidesInABodyAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        Deployed app = new Deployed(url);
        Source purple = registerPurple(app);
        String smuggled = RawHttp.withBody("POST", purple.path(), "{\"email\":\"smuggled@example.com\"}",
                "Content-Type: application/json");
        String officer = "Authorization: Bearer " + Deployed.token("compliance-officer");
        List<String> hiding = List.of(RawHttp.withBody("TRACE", "/health/ready", smuggled), RawHttp.chunked("TRACE", "/health/ready", smuggled),
                RawHttp.withBody("GET", "/api/v1/audit/records", smuggled, officer), RawHttp.chunked("DELETE", "/api/v1/audit/records", smuggled, officer),
                RawHttp.withBody("BREW", "/api/v1/audit/records", smuggled, officer));
        List<Integer> expected = List.of(405, 405, 400, 400, 405);
        List<Exchange> exchanges = RawHttp.exchanges(balancer().port(), hiding, 1, false);
        for (int i = 0; i < hiding.size(); i++) {
            Response answer = exchanges.get(i).only();
            String label = hiding.get(i).substring(0, hiding.get(i).indexOf(' ')) + " with a body: " + exchanges.get(i);
            assertEquals(expected.get(i), answer.status(), label);
            assertProblem(answer, label);
            assertFalse(answer.body().contains("smuggled"), label);
        }

        String pipelined = RawHttp.request("GET", "/health/live")
                + RawHttp.request("GET", "/api/v1/audit/records?limit=1", officer)
                + RawHttp.request("GET", "/api/v1/no-such-thing", officer)
                + RawHttp.withBody("POST", "/api/v1/audit/verifications", "", officer)
                + RawHttp.request("GET", "/api/v1/audit/records");
        Exchange exchange = RawHttp.exchange(balancer().port(), pipelined, 5, false);
        assertEquals(List.of(200, 200, 404, 200, 401), exchange.responses().stream().map(Response::status).toList(), exchange.toString());
        assertFalse(exchange.closed(), "keep-alive through the balancer: " + exchange);
        exchange.responses().forEach(HttpHardeningIT::assertSecurityHeaders);
        exchange.responses().stream().filter(r -> r.status() >= 400).forEach(r -> assertProblem(r, r.toString()));

        Thread.sleep(1500);
        assertEquals(0, inboxRows(purple.id()), "no request hidden in a body reached the application through the balancer");
    }

    @Test
    void throughTheLoadBalancerTheApiIsServedAsDirectlyAndWithNoInstanceReadyTheAnswerIsAProblem() throws Exception {
        Deployed throughBalancer = new Deployed(balancer().url());
        Source purple = registerPurple(throughBalancer);
        HttpResponse<String> delivered = throughBalancer.post(purple.path(), null, "application/json",
                "{\"email\":\"balanced@example.com\"}");
        assertEquals(200, delivered.statusCode(), delivered.body());
        assertEquals(1, inboxRows(purple.id()), "acknowledged through the balancer means stored");
        String sourceKey = purple.path().substring(purple.path().lastIndexOf('/') + 1);
        long logged = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!balancer().log().contains("/ingest/purple/[redacted]") && System.nanoTime() < logged) {
            Thread.sleep(100);
        }
        assertTrue(balancer().log().contains("/ingest/purple/[redacted]"), "the delivery is logged: " + balancer().log());
        assertFalse(balancer().log().contains(sourceKey), "the balancer's log holds no webhook key");
        HttpResponse<String> records = throughBalancer.get("/api/v1/audit/records?limit=1", Deployed.token("compliance-officer"));
        assertEquals(200, records.statusCode(), records.body());
        assertTrue(headerFailures("GET /api/v1/audit/records through the balancer", records).isEmpty(),
                String.join("\n", headerFailures("GET /api/v1/audit/records through the balancer", records)));

        // an instance that does not answer its readiness check gets no traffic: the balancer answers for it
        int nothingListens;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nothingListens = socket.getLocalPort();
        }
        try (LoadBalancer noInstance = LoadBalancer.start(nothingListens, false)) {
            Exchange exchange = RawHttp.exchange(noInstance.port(), RawHttp.request("POST", purple.path()), 1, false);
            assertEquals(503, exchange.only().status(), exchange.toString());
            assertProblem(exchange.only(), exchange.toString());
        }
    }

    private static void assertProblem(Response answer, String label) {
        assertEquals(PROBLEM, answer.contentType(), label);
        JsonObject problem = (JsonObject) Deployed.parse(answer.body());
        assertEquals(answer.status(), problem.getInt("status"), label);
        assertTrue(problem.getString("type").startsWith("https://guestbridge.io/problems/"), label);
        assertTrue(problem.getString("detail", "").length() > 20, "the problem says what to change: " + label);
        assertSecurityHeaders(answer);
    }

    private static List<String> headerFailures(String label, HttpResponse<String> response) {
        List<String> failures = new ArrayList<>();
        if (!"nosniff".equals(response.headers().firstValue("X-Content-Type-Options").orElse(""))) {
            failures.add(label + ": no X-Content-Type-Options: nosniff");
        }
        if (!"no-store".equals(response.headers().firstValue("Cache-Control").orElse(""))) {
            failures.add(label + ": Cache-Control is " + response.headers().firstValue("Cache-Control").orElse("missing"));
        }
        if (response.headers().firstValue("Server").isPresent() || response.headers().firstValue("X-Powered-By").isPresent()) {
            failures.add(label + ": a version banner (Server or X-Powered-By)");
        }
        if (response.headers().firstValue("Strict-Transport-Security").isPresent()) {
            failures.add(label + ": HSTS over plain HTTP");
        }
        return failures;
    }

    private static void assertSecurityHeaders(Response response) {
        assertEquals("nosniff", response.header("x-content-type-options").orElse(""), response.toString());
        assertEquals("no-store", response.header("cache-control").orElse(""), response.toString());
        assertTrue(response.header("server").isEmpty(), response.toString());
    }

    private static void assertAllows(Response response, String method) {
        String allow = response.header("allow").orElse("");
        assertTrue(List.of(allow.split(",")).stream().map(String::trim).anyMatch(method::equals),
                "Allow names " + method + ": " + response);
    }

    private record Source(String id, String path) {
    }

    private static Source registerPurple(Deployed app) {
        HttpResponse<String> created = app.post("/api/v1/sources", Deployed.token("integration"), "application/json",
                "{\"kind\":\"PURPLE\",\"name\":\"http hardening " + System.nanoTime() + "\",\"venueRef\":\"venue-http\","
                        + "\"timeZone\":\"Europe/London\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonObject body = Deployed.json(created);
        return new Source(body.getJsonObject("source").getString("id"), body.getString("webhookPath"));
    }

    private static long inboxRows(String sourceId) throws SQLException {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM ing_inbox WHERE source_id = ?")) {
            s.setString(1, sourceId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String serverLog() throws Exception {
        Path log = Path.of(System.getProperty("guestbridge.it.serverlog"));
        StringBuilder all = new StringBuilder();
        // Payara's file handler writes server.log.0, server.log.1… next to the name it was given
        try (var files = Files.list(log.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString())).toList()) {
                all.append(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** The roles an operation's security requirement names; empty when it is public. */
    private static Set<String> documentedRoles(JsonObject operation, JsonObject document) {
        JsonArray security = operation.containsKey("security") ? operation.getJsonArray("security") : document.getJsonArray("security");
        Set<String> roles = new TreeSet<>();
        if (security == null) {
            return roles;
        }
        for (JsonValue requirement : security) {
            JsonObject schemes = requirement.asJsonObject();
            if (schemes.containsKey("jwt")) {
                schemes.getJsonArray("jwt").getValuesAs(JsonString.class).forEach(s -> roles.add(s.getString()));
            }
        }
        return roles;
    }
}
