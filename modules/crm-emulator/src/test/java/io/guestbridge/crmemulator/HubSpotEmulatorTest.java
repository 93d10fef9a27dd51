package io.guestbridge.crmemulator;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.guestbridge.crmemulator.TestHttp.header;
import static io.guestbridge.crmemulator.TestHttp.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubSpotEmulatorTest {

    private static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";
    private static final String GDPR_DELETE = "/crm/v3/objects/contacts/gdpr-delete";

    private static CrmEmulator emulator;
    private static HubSpotEmulator hubspot;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        emulator = CrmEmulator.start();
        hubspot = emulator.hubspot();
        http = new TestHttp(emulator.baseUrl());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void freshService() {
        emulator.reset();
    }

    @Test
    void batchUpsertCreatesContactsAndThenMergesTheirProperties() {
        HttpResponse<String> created = post(UPSERT, upsertBody(Map.of("Jane@Example.com",
                Map.of("email", "jane@example.com", "firstname", "Jane", "lastname", "Smith"))));

        assertEquals(200, created.statusCode(), created.body());
        JsonObject body = object(created);
        assertEquals("COMPLETE", body.getString("status"));
        JsonObject first = body.getJsonArray("results").getJsonObject(0);
        assertEquals("101", first.getString("id"));
        assertTrue(first.getBoolean("new"));
        assertFalse(first.getBoolean("archived"));
        assertEquals("Jane", first.getJsonObject("properties").getString("firstname"));
        assertTrue(body.containsKey("startedAt") && body.containsKey("completedAt"), body.toString());

        HttpResponse<String> updated = post(UPSERT, upsertBody(Map.of("jane@example.com",
                Map.of("firstname", "Janet", "phone", "+44 20 7946 0000"))));

        assertEquals(200, updated.statusCode(), updated.body());
        JsonObject second = object(updated).getJsonArray("results").getJsonObject(0);
        assertEquals("101", second.getString("id"), "same contact, found by its lower-cased email");
        assertFalse(second.getBoolean("new"));
        Map<String, String> stored = hubspot.contact("JANE@example.com").orElseThrow();
        assertEquals("Janet", stored.get("firstname"), "a property sent again is overwritten");
        assertEquals("Smith", stored.get("lastname"), "a property not sent keeps its value");
        assertEquals("+44 20 7946 0000", stored.get("phone"));
        assertEquals("jane@example.com", stored.get("email"));
        assertEquals(1, hubspot.contacts().size());
        assertEquals(2, hubspot.recordsStored(), "the create and the update each count: a benchmark sees duplicates");
        assertEquals(List.of(), hubspot.contractViolations(), "correct bodies keep the contract");
    }

    @Test
    void answersKeepHubSpotsOwnResponseSchemas() {
        hubspot.rejectEmails(email -> email.startsWith("bad"), "Property values were not valid");
        HttpResponse<String> complete = post(UPSERT, upsertBody(Map.of("ok@example.com", Map.of("firstname", "Ok"))));
        HttpResponse<String> partial = post(UPSERT, upsertBody(Map.of(
                "good@example.com", Map.of("firstname", "Good"), "bad@example.com", Map.of("firstname", "Bad"))));

        assertEquals(200, complete.statusCode(), complete.body());
        assertEquals(207, partial.statusCode(), partial.body());
        for (HttpResponse<String> response : List.of(complete, partial)) {
            ValidationReport report = OpenApiContract.load(hubspot.specification()).validator().validateResponse(
                    UPSERT, Request.Method.POST, SimpleResponse.Builder.status(response.statusCode())
                            .withContentType("application/json").withBody(response.body()).build());
            assertFalse(report.hasErrors(), () -> response.statusCode() + " answer breaks the schema: " + report.getMessages());
        }
    }

    @Test
    void moreThanOneHundredInputsAreRefusedWholeWith400() {
        Map<String, Map<String, String>> inputs = new java.util.LinkedHashMap<>();
        IntStream.range(0, 101).forEach(i -> inputs.put("guest" + i + "@example.com", Map.of("firstname", "G" + i)));

        HttpResponse<String> response = post(UPSERT, upsertBody(inputs));

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("VALIDATION_ERROR", object(response).getString("category"));
        assertEquals("error", object(response).getString("status"));
        assertTrue(hubspot.contacts().isEmpty(), "nothing of a refused batch is stored");
        assertEquals(List.of(), hubspot.contractViolations(), "the 100 limit is HubSpot's rule, not in its document");

        inputs.remove("guest0@example.com");
        assertEquals(200, post(UPSERT, upsertBody(inputs)).statusCode(), "exactly 100 inputs are fine");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"jane@example.com\"}]}", // properties missing
            "{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"jane@example.com\",\"properties\":{\"age\":42}}]}", // not a string
            "{\"inputs\":{\"idProperty\":\"email\",\"id\":\"jane@example.com\",\"properties\":{}}}", // not an array
            "{\"contacts\":[]}" // inputs missing
    })
    void bodiesThatBreakHubSpotsDocumentAre400AndRecordedAsViolations(String body) {
        HttpResponse<String> response = post(UPSERT, body);

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("VALIDATION_ERROR", object(response).getString("category"));
        List<String> violations = hubspot.contractViolations();
        assertFalse(violations.isEmpty(), "the violation is recorded for the test to see");
        violations.forEach(violation -> assertTrue(
                violation.startsWith("POST " + UPSERT + ": validation.request.body.schema."), violation));
        assertTrue(hubspot.contacts().isEmpty());
    }

    @Test
    void everyRequestIsCheckedUnlessABenchmarkAsksForEveryNthAndAResetChecksEveryOneAgain() {
        String good = upsertBody(Map.of("jane@example.com", Map.of("firstname", "Jane")));
        String bad = "{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"jane@example.com\"}]}";
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(UPSERT, good).statusCode());
        }
        assertEquals(3, hubspot.contractChecks());
        hubspot.checkEvery(3);
        for (int i = 0; i < 6; i++) {
            assertEquals(200, post(UPSERT, good).statusCode());
        }
        assertEquals(5, hubspot.contractChecks(), "the 4th request (first of the six) and the 7th checked");
        emulator.reset();
        assertEquals(0, hubspot.contractChecks());
        assertEquals(400, post(UPSERT, bad).statusCode(), "after a reset every request is checked again");
        assertEquals(400, post(UPSERT, bad).statusCode());
        assertEquals(2, hubspot.contractViolations().size());
    }

    @Test
    void aBodyWithoutContentTypeIs415AndAViolation() {
        HttpResponse<String> response = http.send(http.request("POST", UPSERT,
                        upsertBody(Map.of("jane@example.com", Map.of("firstname", "Jane"))))
                .header("Authorization", "Bearer " + HubSpotEmulator.DEFAULT_ACCESS_TOKEN).build());

        assertEquals(415, response.statusCode(), response.body());
        assertEquals(1, hubspot.contractViolations().size());
        assertTrue(hubspot.contractViolations().get(0).contains("Content-Type"));
    }

    @Test
    void duplicateEmailsInOneBatchAreRefused() {
        String body = "{\"inputs\":["
                + "{\"idProperty\":\"email\",\"id\":\"jane@example.com\",\"properties\":{\"firstname\":\"A\"}},"
                + "{\"idProperty\":\"email\",\"id\":\"JANE@example.com\",\"properties\":{\"firstname\":\"B\"}}]}";

        HttpResponse<String> response = post(UPSERT, body);

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(object(response).getString("message").contains("Duplicate IDs"), response.body());
    }

    @Test
    void rejectedEmailsMakeA207WithTheGoodResultsAndOneErrorEach() {
        hubspot.rejectEmails(email -> email.endsWith("@invalid.example"), "Email address is invalid");

        HttpResponse<String> response = post(UPSERT, upsertBody(Map.of(
                "jane@example.com", Map.of("firstname", "Jane"),
                "bad@invalid.example", Map.of("firstname", "Bad"),
                "john@example.com", Map.of("firstname", "John"))));

        assertEquals(207, response.statusCode(), response.body());
        JsonObject body = object(response);
        assertEquals("COMPLETE", body.getString("status"));
        assertEquals(2, body.getJsonArray("results").size());
        assertEquals(1, body.getInt("numErrors"));
        JsonObject error = body.getJsonArray("errors").getJsonObject(0);
        assertEquals("error", error.getString("status"));
        assertEquals("VALIDATION_ERROR", error.getString("category"));
        assertEquals("Email address is invalid", error.getString("message"));
        assertEquals("bad@invalid.example", error.getJsonObject("context").getJsonArray("ids").getString(0));
        assertTrue(hubspot.contact("bad@invalid.example").isEmpty(), "a rejected input is not stored");
        assertTrue(hubspot.contact("john@example.com").isPresent());
    }

    @Test
    void overTheRateLimitIs429WithRetryAfterAndEveryAnswerCarriesTheCounters() {
        hubspot.rateLimit(2, Duration.ofSeconds(10));

        HttpResponse<String> first = post(UPSERT, upsertBody(Map.of("a@example.com", Map.of())));
        HttpResponse<String> second = post(UPSERT, upsertBody(Map.of("b@example.com", Map.of())));
        HttpResponse<String> third = post(UPSERT, upsertBody(Map.of("c@example.com", Map.of())));

        assertEquals(200, first.statusCode());
        assertEquals("2", header(first, "X-HubSpot-RateLimit-Max"));
        assertEquals("1", header(first, "X-HubSpot-RateLimit-Remaining"));
        assertEquals("10000", header(first, "X-HubSpot-RateLimit-Interval-Milliseconds"));
        assertTrue(first.headers().firstValue("X-HubSpot-RateLimit-Daily").isPresent());
        assertTrue(first.headers().firstValue("X-HubSpot-RateLimit-Daily-Remaining").isPresent());
        assertEquals("0", header(second, "X-HubSpot-RateLimit-Remaining"));

        assertEquals(429, third.statusCode(), third.body());
        JsonObject body = object(third);
        assertEquals("error", body.getString("status"));
        assertEquals("RATE_LIMIT", body.getString("errorType"));
        assertEquals("TEN_SECONDLY_ROLLING", body.getString("policyName"), "a window of 10 s is HubSpot's rolling ten-second limit");
        assertEquals("You have reached your ten_secondly_rolling limit.", body.getString("message"));
        assertFalse(body.getString("correlationId").isBlank());
        long retryAfter = Long.parseLong(header(third, "Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);
        assertEquals("0", header(third, "X-HubSpot-RateLimit-Remaining"));
        assertTrue(hubspot.contact("c@example.com").isEmpty(), "a refused request changes nothing");
    }

    @Test
    void anInjected429IsHubSpotsSecondlyLimit_withoutRetryAfter_andTheWindowStillHasRoom() {
        hubspot.rateLimit(100, Duration.ofSeconds(10));
        hubspot.failNext(1, 429);

        HttpResponse<String> refused = post(UPSERT, upsertBody(Map.of("a@example.com", Map.of())));

        assertEquals(429, refused.statusCode(), refused.body());
        JsonObject body = object(refused);
        assertEquals("RATE_LIMIT", body.getString("errorType"));
        assertEquals("SECONDLY", body.getString("policyName"));
        assertEquals("You have reached your secondly limit.", body.getString("message"));
        assertTrue(refused.headers().firstValue("Retry-After").isEmpty(), "HubSpot names no Retry-After for its secondly limit");
        assertEquals("0", header(refused, "X-HubSpot-RateLimit-Secondly-Remaining"));
        assertEquals("10", header(refused, "X-HubSpot-RateLimit-Secondly"), "100 per 10 s is 10 a second");
        assertEquals("100", header(refused, "X-HubSpot-RateLimit-Remaining"), "the refused request did not count in the window");
        assertTrue(hubspot.contact("a@example.com").isEmpty());
    }

    @Test
    void theRateLimitWindowRollsOn() throws InterruptedException {
        hubspot.rateLimit(1, Duration.ofMillis(300));
        assertEquals(200, post(UPSERT, upsertBody(Map.of("a@example.com", Map.of()))).statusCode());
        assertEquals(429, post(UPSERT, upsertBody(Map.of("b@example.com", Map.of()))).statusCode());

        Thread.sleep(400);

        assertEquals(200, post(UPSERT, upsertBody(Map.of("c@example.com", Map.of()))).statusCode());
    }

    @Test
    void overTheDailyLimitIs429WithTheDailyPolicy() {
        hubspot.dailyLimit(1);

        HttpResponse<String> first = post(UPSERT, upsertBody(Map.of("a@example.com", Map.of())));
        HttpResponse<String> second = post(UPSERT, upsertBody(Map.of("b@example.com", Map.of())));

        assertEquals(200, first.statusCode());
        assertEquals("1", header(first, "X-HubSpot-RateLimit-Daily"));
        assertEquals("0", header(first, "X-HubSpot-RateLimit-Daily-Remaining"));
        assertEquals(429, second.statusCode());
        assertEquals("DAILY", object(second).getString("policyName"));
        assertEquals("You have reached your daily limit.", object(second).getString("message"));
        long retryAfter = Long.parseLong(header(second, "Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "Retry-After " + retryAfter);
    }

    @Test
    void aWrongOrMissingTokenIs401() {
        HttpResponse<String> missing = http.send(http.request("POST", UPSERT, upsertBody(Map.of("a@example.com", Map.of())))
                .header("Content-Type", "application/json").build());
        HttpResponse<String> wrong = http.send(http.request("POST", UPSERT, upsertBody(Map.of("a@example.com", Map.of())))
                .header("Content-Type", "application/json").header("Authorization", "Bearer nope").build());

        for (HttpResponse<String> response : List.of(missing, wrong)) {
            assertEquals(401, response.statusCode(), response.body());
            assertEquals("INVALID_AUTHENTICATION", object(response).getString("category"));
            assertTrue(object(response).getString("message").startsWith("Authentication credentials not found"));
        }

        hubspot.accessToken("rotated-token");
        HttpResponse<String> rotated = http.send(http.request("POST", UPSERT, upsertBody(Map.of("a@example.com", Map.of())))
                .header("Content-Type", "application/json").header("Authorization", "Bearer rotated-token").build());
        assertEquals(200, rotated.statusCode());
    }

    @Test
    void gdprDeleteRemovesTheContactAndRemembersIt() {
        post(UPSERT, upsertBody(Map.of("jane@example.com", Map.of("firstname", "Jane"))));
        assertEquals(200, get("/crm/v3/objects/contacts/jane@example.com?idProperty=email").statusCode());

        HttpResponse<String> deleted = post(GDPR_DELETE, "{\"objectId\":\"Jane@example.com\",\"idProperty\":\"email\"}");

        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());
        assertEquals(List.of("jane@example.com"), hubspot.gdprDeleted());
        assertTrue(hubspot.contact("jane@example.com").isEmpty());
        assertEquals(404, get("/crm/v3/objects/contacts/jane@example.com?idProperty=email").statusCode());

        HttpResponse<String> again = post(GDPR_DELETE, "{\"objectId\":\"jane@example.com\",\"idProperty\":\"email\"}");
        assertEquals(404, again.statusCode());
        assertEquals("OBJECT_NOT_FOUND", object(again).getString("category"));
        assertEquals(List.of(), hubspot.contractViolations());
    }

    @Test
    void readingAContactShowsDefaultPropertiesUnlessOthersAreNamed() {
        post(UPSERT, upsertBody(Map.of("jane@example.com", Map.of("firstname", "Jane", "phone", "123"))));

        JsonObject byDefault = object(get("/crm/v3/objects/contacts/jane%40example.com?idProperty=email"));
        JsonObject named = object(get("/crm/v3/objects/contacts/101?properties=phone"));

        assertEquals("101", byDefault.getString("id"));
        assertEquals("Jane", byDefault.getJsonObject("properties").getString("firstname"));
        assertFalse(byDefault.getJsonObject("properties").containsKey("phone"), "HubSpot shows only defaults");
        assertEquals("123", named.getJsonObject("properties").getString("phone"));
        assertEquals("101", named.getJsonObject("properties").getString("hs_object_id"));
    }

    private static HttpResponse<String> post(String path, String body) {
        return http.send(http.request("POST", path, body)
                .header("Authorization", "Bearer " + HubSpotEmulator.DEFAULT_ACCESS_TOKEN)
                .header("Content-Type", "application/json")
                .build());
    }

    private static HttpResponse<String> get(String path) {
        return http.send(http.request("GET", path, null)
                .header("Authorization", "Bearer " + HubSpotEmulator.DEFAULT_ACCESS_TOKEN)
                .build());
    }

    /** A batch upsert body by email, inputs in map order. */
    static String upsertBody(Map<String, Map<String, String>> propertiesByEmail) {
        JsonArrayBuilder inputs = Json.createArrayBuilder();
        new java.util.TreeMap<>(propertiesByEmail).forEach((email, properties) -> {
            var props = Json.createObjectBuilder();
            properties.forEach(props::add);
            inputs.add(Json.createObjectBuilder().add("idProperty", "email").add("id", email).add("properties", props));
        });
        return JsonSupport.write(Json.createObjectBuilder().add("inputs", inputs).build());
    }
}
