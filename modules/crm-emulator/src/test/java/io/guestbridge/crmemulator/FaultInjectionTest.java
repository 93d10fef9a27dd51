package io.guestbridge.crmemulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.guestbridge.crmemulator.TestHttp.array;
import static io.guestbridge.crmemulator.TestHttp.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectionTest {

    private static final String UPSERT = "/crm/v3/objects/contacts/batch/upsert";

    private static CrmEmulator emulator;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        emulator = CrmEmulator.start();
        http = new TestHttp(emulator.baseUrl());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void freshServices() {
        emulator.reset();
    }

    @Test
    void failNextAnswersTheNextRequestsWithTheStatusAndAServiceShapedBody() {
        emulator.hubspot().failNext(2, 503);

        HttpResponse<String> first = hubspotUpsert("a@example.com");
        HttpResponse<String> second = hubspotUpsert("b@example.com");
        HttpResponse<String> third = hubspotUpsert("c@example.com");

        assertEquals(503, first.statusCode());
        assertEquals(503, second.statusCode());
        assertEquals("error", object(first).getString("status"));
        assertTrue(object(first).containsKey("correlationId"), first.body());
        assertEquals(200, third.statusCode(), "the fault is used up");
        assertEquals(List.of("c@example.com"), List.copyOf(emulator.hubspot().contacts().keySet()));
    }

    @Test
    void failNextBodiesFollowEachServicesErrorFormat() {
        emulator.salesforce().failNext(1, 500);
        emulator.mailchimp().failNext(1, 502);

        HttpResponse<String> salesforce = http.send(http.request("POST", "/services/oauth2/token",
                "grant_type=client_credentials&client_id=sf-client&client_secret=sf-secret")
                .header("Content-Type", "application/x-www-form-urlencoded").build());
        HttpResponse<String> mailchimp = http.send(http.request("GET", "/3.0/lists/x/members/y", null)
                .header("Authorization", mailchimpAuth()).build());

        assertEquals(500, salesforce.statusCode());
        assertEquals("UNKNOWN_EXCEPTION", array(salesforce).getJsonObject(0).getString("errorCode"));
        assertEquals(502, mailchimp.statusCode());
        assertEquals("Bad Gateway", object(mailchimp).getString("title"));
        assertEquals(502, object(mailchimp).getInt("status"));
    }

    @Test
    void aFaultCanBeAimedAtSomeRequestsOnly() {
        emulator.salesforce().failNext(1, 503, request -> request.path().contains("/composite/"));

        HttpResponse<String> token = http.send(http.request("POST", "/services/oauth2/token",
                "grant_type=client_credentials&client_id=sf-client&client_secret=sf-secret")
                .header("Content-Type", "application/x-www-form-urlencoded").build());
        String accessToken = object(token).getString("access_token");
        HttpResponse<String> upsert = http.send(http.request("PATCH",
                "/services/data/v60.0/composite/sobjects/Contact/Email",
                "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"Email\":\"a@example.com\",\"LastName\":\"A\"}]}")
                .header("Authorization", "Bearer " + accessToken).header("Content-Type", "application/json").build());

        assertEquals(200, token.statusCode(), "the token request does not match the fault");
        assertEquals(503, upsert.statusCode());
        assertEquals("SERVER_UNAVAILABLE", array(upsert).getJsonObject(0).getString("errorCode"));
    }

    @Test
    void resetNextDropsTheConnectionSoTheClientSeesAnIOException() {
        hubspotUpsert("warm@example.com"); // so the next request goes over a reused connection, the harder case
        emulator.hubspot().resetNext(1);

        IOException dropped = assertThrows(IOException.class, () -> http.sendRaw(hubspotUpsertRequest("a@example.com")));

        assertTrue(emulator.hubspot().contact("a@example.com").isEmpty(), "a dropped request changes nothing");
        assertEquals(2, emulator.hubspot().requestCount(), "the dropped request was received and logged: " + dropped);
        assertEquals(200, hubspotUpsert("b@example.com").statusCode(), "the next request is answered");
    }

    @Test
    void slowNextDelaysTheAnswer() {
        emulator.mailchimp().slowNext(1, Duration.ofMillis(600));

        long started = System.nanoTime();
        HttpResponse<String> slow = http.send(http.request("GET", "/3.0/lists/x/members/y", null)
                .header("Authorization", mailchimpAuth()).build());
        long slowMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(404, slow.statusCode(), "after the delay the answer is the normal one");
        assertTrue(slowMillis >= 600, "answered after " + slowMillis + " ms");
    }

    @Test
    void aClientTimeoutShorterThanTheDelayFires() {
        emulator.hubspot().slowNext(1, Duration.ofSeconds(2));
        HttpRequest request = HttpRequest.newBuilder(hubspotUpsertRequest("a@example.com"), (name, value) -> true)
                .timeout(Duration.ofMillis(300)).build();

        assertThrows(HttpTimeoutException.class, () -> http.sendRaw(request));
    }

    @Test
    void requestsAreRecordedWithTheirDetails() {
        hubspotUpsert("a@example.com");

        List<RecordedRequest> requests = emulator.hubspot().requests();

        assertEquals(1, requests.size());
        RecordedRequest request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals(UPSERT, request.path());
        assertEquals("application/json", request.header("content-type").orElseThrow());
        assertTrue(request.body().contains("a@example.com"), request.body());
        assertTrue(request.receivedAt() != null);
        assertEquals(1, emulator.hubspot().requestCount());
        assertEquals(0, emulator.salesforce().requestCount(), "each service logs its own requests");

        emulator.hubspot().clearRequests();
        assertEquals(0, emulator.hubspot().requestCount());
        assertTrue(emulator.hubspot().requests().isEmpty());
    }

    private static HttpResponse<String> hubspotUpsert(String email) {
        return http.send(hubspotUpsertRequest(email));
    }

    private static HttpRequest hubspotUpsertRequest(String email) {
        return http.request("POST", UPSERT, HubSpotEmulatorTest.upsertBody(Map.of(email, Map.of("firstname", "X"))))
                .header("Authorization", "Bearer " + HubSpotEmulator.DEFAULT_ACCESS_TOKEN)
                .header("Content-Type", "application/json")
                .build();
    }

    private static String mailchimpAuth() {
        return "Basic " + Base64.getEncoder().encodeToString(
                ("user:" + MailchimpEmulator.DEFAULT_API_KEY).getBytes(StandardCharsets.UTF_8));
    }
}
