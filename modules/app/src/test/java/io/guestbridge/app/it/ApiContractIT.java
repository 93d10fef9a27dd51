package io.guestbridge.app.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
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
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The published contract: the served OpenAPI document equals openapi/openapi.yaml and is valid (for
 * swagger-parser and for the official OpenAPI 3.0 JSON Schema, a copy of which is in the test resources:
 * taken unchanged from the io.vertx:vertx-openapi jar, which ships it); every
 * operation it lists refuses callers without a token (401) and with the wrong role (403) and admits
 * the roles it documents; errors are problem+json.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiContractIT {

    /** The official OpenAPI 3.0 JSON Schema (id https://spec.openapis.org/oas/3.0/schema/2021-09-28), unchanged. */
    private static final JsonSchema OPENAPI_30_SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(ApiContractIT.class.getResourceAsStream("/openapi-3.0-schema-2021-09-28.json"));

    private static final List<String> ROLES = List.of("operator", "compliance-officer", "dpo", "integration");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();   // its probes are hidden from the document
    }

    @ArquillianResource
    URL url;

    @Test
    @Order(1)
    void servedDocumentEqualsTheCommittedOne() throws IOException {
        Deployed app = new Deployed(url);
        HttpResponse<String> served = app.get("/openapi", null);
        assertEquals(200, served.statusCode());
        Path committed = Path.of(System.getProperty("guestbridge.openapi.file"));
        Path copy = Path.of("target", "openapi-served.yaml");
        Files.writeString(copy, served.body(), StandardCharsets.UTF_8);
        if (Boolean.getBoolean("guestbridge.openapi.update")) {
            Files.writeString(committed, served.body(), StandardCharsets.UTF_8);
            PublishedContract.reload(); // the other tests' traffic is judged by the new document
        }
        String expected = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
        // compared as documents, not as text: Payara lists the methods of one path in no fixed order
        Object expectedDocument = new org.yaml.snakeyaml.Yaml().load(expected);
        Object servedDocument = new org.yaml.snakeyaml.Yaml().load(served.body());
        if (expectedDocument == null || !expectedDocument.equals(servedDocument)) {
            fail("openapi/openapi.yaml is not what the server serves. Regenerate it with\n"
                    + "  mvn -pl modules/app -am verify -Dopenapi.update=true\n"
                    + "(or copy modules/app/target/openapi-served.yaml over it) and review the diff.");
        }
    }

    @Test
    void servedDocumentIsValidOpenApi() throws IOException {
        Deployed app = new Deployed(url);
        // the document exactly as served: nothing is stripped before it is judged
        String served = app.get("/openapi", null).body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served, null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(), "swagger-parser messages: " + result.getMessages());
        assertTrue(result.getOpenAPI().getPaths().size() >= 4, "the document lists the endpoints of the modules");

        String json = app.send(app.request("/openapi", null).header("Accept", "application/json").GET().build()).body();
        Set<ValidationMessage> violations = OPENAPI_30_SCHEMA.validate(new ObjectMapper().readTree(json));
        assertTrue(violations.isEmpty(), "the OpenAPI 3.0 JSON Schema rejects the served document: " + violations);
    }

    @Test
    void theOpenApi30SchemaRejectsWhatPayaraUsedToServe() throws IOException {
        // the schema check can fail: a root key that is neither an OpenAPI field nor an x- extension
        ObjectNode document = (ObjectNode) new ObjectMapper().readTree(new Deployed(url).send(new Deployed(url)
                .request("/openapi", null).header("Accept", "application/json").GET().build()).body());
        document.putObject("endpoints").putArray("/").add("/api/v1/audit/records");
        assertFalse(OPENAPI_30_SCHEMA.validate(document).isEmpty(), "a document with Payara's endpoints index is invalid OpenAPI 3.0");
    }

    @Test
    void everyOperationIsGuardedByTheRolesItDocuments() {
        Deployed app = new Deployed(url);
        JsonObject document = Deployed.json(app.send(app.request("/openapi", null).header("Accept", "application/json").GET().build()));
        JsonObject paths = document.getJsonObject("paths");
        List<String> failures = new ArrayList<>();
        int operations = 0;
        int publicOperations = 0;
        for (String path : paths.keySet()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.keySet()) {
                if (!Set.of("get", "post", "put", "patch", "delete", "head").contains(method)) {
                    continue;
                }
                JsonObject operation = item.getJsonObject(method);
                Set<String> documented = operation.getBoolean("x-public", false) ? Set.of() : documentedRoles(operation, document);
                String concrete = path.replaceAll("\\{[^}]+}", "1");
                String label = method.toUpperCase() + " " + path;
                assertTrue(operation.getJsonObject("responses").containsKey("500"), label + " documents 500");
                if (documented == null) {
                    failures.add(label + " has no security requirement: name its roles, or mark it x-public");
                    continue;
                }
                if (documented.isEmpty()) {
                    // explicitly public (security: []): it must not ask for a token
                    HttpResponse<String> anonymous = app.send(method.toUpperCase(), concrete, null);
                    if (anonymous.statusCode() == 401 || anonymous.statusCode() == 403) {
                        failures.add(label + " is documented as public but answered " + anonymous.statusCode());
                    }
                    publicOperations++;
                    continue;
                }
                operations++;
                assertTrue(operation.getJsonObject("responses").containsKey("401"), label + " documents 401");
                assertTrue(operation.getJsonObject("responses").containsKey("403"), label + " documents 403");
                HttpResponse<String> anonymous = app.send(method.toUpperCase(), concrete, null);
                expectProblem(failures, label + " without a token", anonymous, 401);
                for (String role : ROLES) {
                    HttpResponse<String> response = app.send(method.toUpperCase(), concrete, Deployed.token(role));
                    if (documented.contains(role)) {
                        if (response.statusCode() == 401 || response.statusCode() == 403) {
                            failures.add(label + " refuses documented role " + role + " with " + response.statusCode());
                        }
                    } else {
                        expectProblem(failures, label + " with role " + role, response, 403);
                    }
                }
                HttpResponse<String> forged = app.send(method.toUpperCase(), concrete,
                        Deployed.token(documented.isEmpty() ? "operator" : documented.iterator().next()) + "x");
                expectProblem(failures, label + " with a token whose signature does not verify", forged, 401);
            }
        }
        assertTrue(operations >= 4, "walked " + operations + " operations");
        assertTrue(publicOperations >= 1, "the public webhook endpoints were found: " + publicOperations);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void errorsAreProblemDetails() {
        Deployed app = new Deployed(url);
        String officer = Deployed.token("compliance-officer");
        expectProblem(app.get("/api/v1/no-such-thing", officer), 404, "https://guestbridge.io/problems/not-found");
        expectProblem(app.get("/not-the-api", null), 404, "https://guestbridge.io/problems/not-found");
        expectProblem(app.get("/api/v1/audit/records", "not-a-jwt"), 401, "https://guestbridge.io/problems/unauthenticated");
        expectProblem(app.send("DELETE", "/api/v1/audit/records", officer), 405, "https://guestbridge.io/problems/method-not-allowed");
        expectProblem(app.get("/api/v1/audit/records?limit=abc", officer), 400, "https://guestbridge.io/problems/validation");
        // a parameter JAX-RS converts itself (an int): the problem names it, where JAX-RS alone answers 404
        HttpResponse<String> typed = app.get("/api/v1/privacy/requests?limit=abc", Deployed.token("dpo"));
        expectProblem(typed, 400, "https://guestbridge.io/problems/validation");
        assertEquals("limit", Deployed.json(typed).getJsonArray("errors").getJsonObject(0).getString("field"));
        HttpResponse<String> typedRange = app.get("/api/v1/privacy/requests?limit=0", Deployed.token("dpo"));
        expectProblem(typedRange, 400, "https://guestbridge.io/problems/validation");
        assertEquals("limit", Deployed.json(typedRange).getJsonArray("errors").getJsonObject(0).getString("field"));
        assertEquals("limit", Deployed.json(app.get("/api/v1/audit/records?limit=abc", officer)).getJsonArray("errors").getJsonObject(0).getString("field"));
        expectProblem(app.get("/api/v1/audit/records?limit=5000", officer), 400, "https://guestbridge.io/problems/validation");
        expectProblem(app.get("/api/v1/audit/records?from=yesterday", officer), 400, "https://guestbridge.io/problems/validation");
        expectProblem(app.get("/api/v1/audit/records?cursor=%27%20OR%201=1--", officer), 400, "https://guestbridge.io/problems/validation");
        expectProblem(app.get("/api/v1/audit/records/999999999", officer), 404, "https://guestbridge.io/problems/not-found");
        expectProblem(app.get("/api/v1/audit/records/12abc", officer), 400, "https://guestbridge.io/problems/validation");
        HttpResponse<String> notAcceptable = app.send(app.request("/api/v1/audit/records", officer)
                .header("Accept", "application/xml").GET().build());
        expectProblem(notAcceptable, 406, "https://guestbridge.io/problems/not-acceptable");
    }

    @Test
    void aClientGeneratedFromTheDocumentCallsEveryOperation() throws Exception {
        // the client is generated from the committed document before the server runs: while that document is being
        // regenerated (-Dopenapi.update=true) the calls are left out of compilation, and this test says so
        assertFalse(Boolean.getBoolean("guestbridge.openapi.update"),
                "the generated client is checked against the regenerated document: run again without -Dopenapi.update=true");
        // in this deployment, not a server of its own: the client of modules/api-client, generated from openapi/openapi.yaml
        Object calls = Class.forName("io.guestbridge.app.it.GeneratedClientCalls").getDeclaredConstructor(Deployed.class)
                .newInstance(new Deployed(url));
        int called = (int) calls.getClass().getDeclaredMethod("callEveryOperation").invoke(calls);
        java.util.logging.Logger.getLogger(ApiContractIT.class.getName()).info("the generated client called " + called + " operations");
    }

    @Test
    void anAnswerTheDocumentDoesNotDescribeFailsTheTest() {
        Deployed app = new Deployed(url);
        // a real exchange, then the same answer with a status the operation does not document
        java.net.http.HttpRequest request = app.request("/api/v1/queues", Deployed.token("operator")).GET().build();
        HttpResponse<String> real = app.sendUnchecked(request);
        PublishedContract.check(request, real);
        assertThrows(AssertionError.class, () -> PublishedContract.check(request, new Answer(real, 202, real.body())),
                "a status the operation does not document");
        assertThrows(AssertionError.class, () -> PublishedContract.check(request, new Answer(real, 200, "[{\"queue\":\"x\"}]")),
                "a body without the properties the schema requires");
        assertThrows(AssertionError.class, () -> PublishedContract.check(request,
                new Answer(real, 200, "[{\"queue\":\"x\",\"pending\":1,\"oldestAgeSeconds\":0,\"dead\":0,\"surprise\":1}]")),
                "a property the schema does not name");
    }

    /** A server answer with another status or body, for showing that the contract check can fail. */
    private record Answer(HttpResponse<String> real, int statusCode, String body) implements HttpResponse<String> {
        @Override
        public java.net.http.HttpRequest request() {
            return real.request();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return real.headers();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.URI uri() {
            return real.uri();
        }

        @Override
        public java.net.http.HttpClient.Version version() {
            return real.version();
        }
    }

    private static void expectProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonObject problem = Deployed.json(response);
        assertEquals(type, problem.getString("type"));
        assertEquals(status, problem.getInt("status"));
        assertFalse(problem.getString("detail", "").isBlank(), "a problem says what to do");
        assertFalse(response.body().contains("Exception") || response.body().contains("SQL"), "no internals: " + response.body());
    }

    private static void expectProblem(List<String> failures, String label, HttpResponse<String> response, int status) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() != status || !contentType.startsWith("application/problem+json")) {
            failures.add(label + ": expected " + status + " problem+json, got " + response.statusCode() + " " + contentType);
        }
    }

    /** The roles an operation's security requirement names; null when it has none. */
    private static Set<String> documentedRoles(JsonObject operation, JsonObject document) {
        JsonArray security = operation.containsKey("security") ? operation.getJsonArray("security") : document.getJsonArray("security");
        if (security == null) {
            return null;
        }
        Set<String> roles = new TreeSet<>();
        if (security.isEmpty()) {
            return roles; // explicitly public
        }
        for (JsonValue requirement : security) {
            JsonObject schemes = requirement.asJsonObject();
            if (schemes.isEmpty()) {
                return roles;
            }
            if (schemes.containsKey("jwt")) {
                schemes.getJsonArray("jwt").getValuesAs(jakarta.json.JsonString.class).forEach(s -> roles.add(s.getString()));
            }
        }
        assertNotEquals(0, roles.size(), "a secured operation names its roles");
        return roles;
    }
}
