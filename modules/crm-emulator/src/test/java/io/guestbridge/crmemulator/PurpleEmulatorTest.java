package io.guestbridge.crmemulator;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.guestbridge.crmemulator.TestHttp.header;
import static io.guestbridge.crmemulator.TestHttp.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PurpleEmulatorTest {

    private static final String COMPANY = "999";
    /** A '+' in the address: it survives only if the client encodes the query parameter properly. */
    private static final String JANE = "Jane.Doe+wifi@Example.com";
    private static final String JANE_MOBILE = "+447700900123";
    private static final String JANE_PHONE_MAC = "00-01-02-03-04-05";
    private static final String JANE_LAPTOP_MAC = "AA-BB-CC-DD-EE-FF";

    private static CrmEmulator emulator;
    private static PurpleEmulator purple;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        emulator = CrmEmulator.start();
        purple = emulator.purple();
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
    void aVisitorFoundByEmailIsDeletedWithItsWholeHistory() {
        String janeId = addJane();
        purple.recordAuthentication(COMPANY, janeId, JANE_LAPTOP_MAC, "889", "Rooftop bar");
        String bobId = purple.addVisitor(COMPANY, "bob@example.com", "Bob", "Other", null, "11-22-33-44-55-66");

        HttpResponse<String> lookup = findVisitors(COMPANY, "jane.doe+WIFI@example.com");

        assertEquals(200, lookup.statusCode(), lookup.body());
        JsonArray visitors = object(lookup).getJsonObject("data").getJsonArray("visitors");
        assertEquals(1, visitors.size(), "the email matches without regard to case, and only Jane: " + visitors);
        JsonObject jane = visitors.getJsonObject(0);
        assertEquals(janeId, jane.getString("id"));
        assertEquals(JANE, jane.getString("email"));
        assertEquals("Jane", jane.getString("first_name"));
        assertEquals("Doe", jane.getString("last_name"));
        assertEquals(JANE_MOBILE, jane.getString("mobile"));
        assertEquals(List.of(JANE_PHONE_MAC, JANE_LAPTOP_MAC), jane.getJsonArray("macs").getValuesAs(
                jakarta.json.JsonString::getString));
        assertEquals(2, jane.getJsonArray("venues").size());
        assertEquals("Rooftop bar", jane.getJsonArray("venues").getJsonObject(1).getString("name"));

        HttpResponse<String> deleted = send("DELETE", visitorPath(COMPANY, janeId), PurpleEmulator.DEFAULT_TOKEN);

        assertEquals(200, deleted.statusCode(), deleted.body());
        JsonObject data = object(deleted).getJsonObject("data");
        assertTrue(data.getBoolean("deleted"));
        assertEquals(janeId, data.getString("visitor_id"));
        UUID.fromString(data.getString("deletion_reference")); // throws unless it is a UUID
        assertEquals(0, object(findVisitors(COMPANY, JANE)).getJsonObject("data").getJsonArray("visitors").size(),
                "an unknown email is an empty list, not 404");
        assertTrue(purple.visitor(COMPANY, JANE).isEmpty());
        assertEquals(List.of(janeId), purple.deletedVisitorIds(), "only the id is kept");
        assertEquals(bobId, purple.visitor(COMPANY, "BOB@example.com").orElseThrow().get("id"), "others stay");
    }

    @Test
    void storedTextHoldsTheVisitorUntilItIsDeleted() {
        String janeId = addJane();
        purple.recordAuthentication(COMPANY, janeId, JANE_LAPTOP_MAC, "889", "Rooftop bar");
        purple.addVisitor(COMPANY, "bob@example.com", "Bob", "Other", null, "11-22-33-44-55-66");
        List<String> janesData = List.of(JANE, "Jane", "Doe", JANE_MOBILE, JANE_PHONE_MAC, JANE_LAPTOP_MAC);

        String before = emulator.storedText();
        for (String value : janesData) {
            assertTrue(before.contains(value), value + " is stored: " + before);
        }

        send("DELETE", visitorPath(COMPANY, janeId), PurpleEmulator.DEFAULT_TOKEN);

        String after = emulator.storedText();
        for (String value : janesData) {
            assertFalse(after.contains(value), value + " must be gone: " + after);
        }
        assertTrue(after.contains("bob@example.com"), after);
    }

    @Test
    void anyTokenButTheConfiguredOneIs401() {
        addJane();

        HttpResponse<String> wrong = http.send(http.request("GET", visitorsQuery(COMPANY, JANE), null)
                .header("Authorization", "Bearer wrong-token").build());
        HttpResponse<String> missing = http.send(http.request("GET", visitorsQuery(COMPANY, JANE), null).build());

        for (HttpResponse<String> response : List.of(wrong, missing)) {
            assertEquals(401, response.statusCode(), response.body());
            assertEquals(401, object(response).getJsonObject("error").getInt("status"));
            assertFalse(object(response).getJsonObject("error").getString("message").isBlank());
        }
        purple.token("rotated-token");
        assertEquals(200, send("GET", visitorsQuery(COMPANY, JANE), "rotated-token").statusCode());
        assertEquals(401, send("GET", visitorsQuery(COMPANY, JANE), PurpleEmulator.DEFAULT_TOKEN).statusCode());
    }

    @Test
    void anUnknownCompanyOrVisitorIs404() {
        String janeId = addJane();
        purple.company("1000");

        HttpResponse<String> unknownCompanyLookup = findVisitors("nope", JANE);
        HttpResponse<String> unknownCompanyDelete = send("DELETE", visitorPath("nope", janeId), PurpleEmulator.DEFAULT_TOKEN);
        HttpResponse<String> unknownVisitor = send("DELETE", visitorPath(COMPANY, "424242"), PurpleEmulator.DEFAULT_TOKEN);
        HttpResponse<String> visitorOfAnotherCompany = send("DELETE", visitorPath("1000", janeId), PurpleEmulator.DEFAULT_TOKEN);

        for (HttpResponse<String> response : List.of(unknownCompanyLookup, unknownCompanyDelete, unknownVisitor,
                visitorOfAnotherCompany)) {
            assertEquals(404, response.statusCode(), response.body());
            assertEquals(404, object(response).getJsonObject("error").getInt("status"));
        }
        assertTrue(purple.visitor(COMPANY, JANE).isPresent(), "nothing was deleted");
        assertTrue(purple.deletedVisitorIds().isEmpty());

        send("DELETE", visitorPath(COMPANY, janeId), PurpleEmulator.DEFAULT_TOKEN);
        assertEquals(404, send("DELETE", visitorPath(COMPANY, janeId), PurpleEmulator.DEFAULT_TOKEN).statusCode(),
                "a second delete finds nothing");
    }

    @Test
    void aLookupWithoutEmailIs400AndAWrongMethodIs405() {
        purple.company(COMPANY);

        HttpResponse<String> noEmail = send("GET", "/api/company/v1/" + COMPANY + "/visitors", PurpleEmulator.DEFAULT_TOKEN);
        HttpResponse<String> postToVisitors = send("POST", "/api/company/v1/" + COMPANY + "/visitors", PurpleEmulator.DEFAULT_TOKEN);

        assertEquals(400, noEmail.statusCode(), noEmail.body());
        assertEquals(405, postToVisitors.statusCode(), postToVisitors.body());
        assertEquals("GET", header(postToVisitors, "Allow"));
    }

    @Test
    void anInjected503IsFollowedBySuccess() {
        String janeId = addJane();
        purple.failNext(1, 503);

        HttpResponse<String> unavailable = send("DELETE", visitorPath(COMPANY, janeId), PurpleEmulator.DEFAULT_TOKEN);

        assertEquals(503, unavailable.statusCode());
        assertEquals(503, object(unavailable).getJsonObject("error").getInt("status"));
        assertTrue(purple.visitor(COMPANY, JANE).isPresent(), "a failed request deletes nothing");
        HttpResponse<String> retried = send("DELETE", visitorPath(COMPANY, janeId), PurpleEmulator.DEFAULT_TOKEN);
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals(List.of(janeId), purple.deletedVisitorIds());
    }

    @Test
    void aServiceTakenDownAnswers503UntilItsFaultsAreCleared() {
        String janeId = addJane();
        purple.failNext(Integer.MAX_VALUE, 503);

        for (int attempt = 0; attempt < 3; attempt++) {
            assertEquals(503, findVisitors(COMPANY, JANE).statusCode());
        }
        purple.clearFaults();

        assertEquals(200, findVisitors(COMPANY, JANE).statusCode());
        assertEquals(200, send("DELETE", visitorPath(COMPANY, janeId), PurpleEmulator.DEFAULT_TOKEN).statusCode(),
                "the visitors survived the outage");
    }

    @Test
    void aDroppedConnectionDeletesNothing() {
        String janeId = addJane();
        purple.resetNext(1, request -> request.method().equals("DELETE"));

        assertThrows(IOException.class, () -> http.sendRaw(http.request("DELETE", visitorPath(COMPANY, janeId), null)
                .header("Authorization", "Bearer " + PurpleEmulator.DEFAULT_TOKEN).build()));

        assertTrue(purple.visitor(COMPANY, JANE).isPresent());
        assertEquals(200, send("DELETE", visitorPath(COMPANY, janeId), PurpleEmulator.DEFAULT_TOKEN).statusCode());
    }

    @Test
    void overTheRateLimitIs429WithRetryAfter() {
        purple.company(COMPANY);
        purple.rateLimit(1, Duration.ofSeconds(10));
        findVisitors(COMPANY, JANE);

        HttpResponse<String> limited = findVisitors(COMPANY, JANE);

        assertEquals(429, limited.statusCode(), limited.body());
        assertTrue(Long.parseLong(header(limited, "Retry-After")) >= 1);
    }

    @Test
    void requestsAreRecordedWithTheirDetails() {
        addJane();

        findVisitors(COMPANY, JANE);

        List<RecordedRequest> requests = purple.requests();
        assertEquals(1, requests.size());
        RecordedRequest lookup = requests.get(0);
        assertEquals("GET", lookup.method());
        assertEquals("/api/company/v1/" + COMPANY + "/visitors", lookup.path());
        assertEquals(List.of(JANE), lookup.queryParameters().get("email"));
        assertEquals("Bearer " + PurpleEmulator.DEFAULT_TOKEN, lookup.header("authorization").orElseThrow());
        assertEquals(0, emulator.hubspot().requestCount(), "each service logs its own requests");
    }

    @Test
    void aSecondVisitorWithTheSameEmailInOneCompanyIsRefused() {
        addJane();

        assertThrows(IllegalArgumentException.class,
                () -> purple.addVisitor(COMPANY, JANE.toUpperCase(java.util.Locale.ROOT), "J", "D", null, null));
        purple.addVisitor("another-company", JANE, "Jane", "Doe", null, null); // another company is another database
    }

    private static String addJane() {
        return purple.addVisitor(COMPANY, JANE, "Jane", "Doe", JANE_MOBILE, JANE_PHONE_MAC);
    }

    private static HttpResponse<String> findVisitors(String companyId, String email) {
        return send("GET", visitorsQuery(companyId, email), PurpleEmulator.DEFAULT_TOKEN);
    }

    private static String visitorsQuery(String companyId, String email) {
        return "/api/company/v1/" + companyId + "/visitors?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8);
    }

    private static String visitorPath(String companyId, String visitorId) {
        return "/api/company/v1/" + companyId + "/visitors/" + visitorId;
    }

    private static HttpResponse<String> send(String method, String path, String token) {
        return http.send(http.request(method, path, null).header("Authorization", "Bearer " + token).build());
    }
}
