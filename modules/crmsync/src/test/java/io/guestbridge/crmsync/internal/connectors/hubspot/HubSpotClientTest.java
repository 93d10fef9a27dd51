package io.guestbridge.crmsync.internal.connectors.hubspot;

import io.guestbridge.crmsync.internal.connectors.WebhookCatcher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.crmsync.internal.connectors.MarketingFlags;
import java.util.HashMap;
import io.guestbridge.crmemulator.CrmEmulator;
import io.guestbridge.crmsync.internal.connectors.ClientTestSupport;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(15)
class HubSpotClientTest {

    private static CrmEmulator emulator;
    private static ConnectorSettings connector;
    private final HubSpotClient client = new HubSpotClient(ClientTestSupport.http());

    @BeforeAll
    static void start() {
        emulator = CrmEmulator.start();
        connector = ClientTestSupport.connector("hubspot-test", ConnectorSettings.Type.HUBSPOT, emulator.baseUrl(), 100,
                ClientTestSupport.TIMEOUT, Map.of("EMAIL", "email"), null, "hubspot-test-token", Map.of());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void upsertsByEmailAndTellsCreatedFromUpdated() {
        CrmAnswer first = client.upsert(connector, List.of(ClientTestSupport.record("hs-one@example.com", Map.of("email", "hs-one@example.com",
                "firstname", "Jane"))));
        assertNotNull(first.succeeded().get("hs-one@example.com"));
        assertTrue(first.created().contains("hs-one@example.com"));
        CrmAnswer second = client.upsert(connector, List.of(ClientTestSupport.record("hs-one@example.com", Map.of("email", "hs-one@example.com",
                "lastname", "Smith"))));
        assertEquals(first.succeeded().get("hs-one@example.com"), second.succeeded().get("hs-one@example.com"), "the same contact");
        assertFalse(second.created().contains("hs-one@example.com"), "an update, not a second contact");
        assertEquals("Jane", emulator.hubspot().contact("hs-one@example.com").orElseThrow().get("firstname"), "merged, not replaced");
        assertEquals(List.of(), emulator.hubspot().contractViolations());
    }

    @Test
    void aRateLimitIsAWaitAndAServerErrorIsTransient() {
        emulator.hubspot().failNext(1, 503);
        CrmAnswer down = client.upsert(connector, List.of(ClientTestSupport.record("hs-two@example.com", Map.of("email", "hs-two@example.com"))));
        assertTrue(down.problem() != null && !down.permanent() && down.retryAfter() == null, "5xx: retry with backoff");
        emulator.hubspot().rateLimit(1, Duration.ofSeconds(30));
        try {
            client.upsert(connector, List.of(ClientTestSupport.record("hs-three@example.com", Map.of("email", "hs-three@example.com"))));
            CrmAnswer limited = client.upsert(connector, List.of(ClientTestSupport.record("hs-four@example.com", Map.of("email", "hs-four@example.com"))));
            assertNotNull(limited.retryAfter(), "429: wait as long as HubSpot says");
            assertTrue(limited.retryAfter().toSeconds() >= 1);
        } finally {
            emulator.hubspot().rateLimit(100_000, Duration.ofSeconds(1));
        }
    }

    @Test
    void a429WithoutRetryAfterWaitsTheRestOfTheWindowThatRefused() {
        // an emulator of its own: the rolling window must not hold the other tests' requests
        try (CrmEmulator own = CrmEmulator.start()) {
            ConnectorSettings ownConnector = ClientTestSupport.connector("hubspot-own", ConnectorSettings.Type.HUBSPOT, own.baseUrl(), 100,
                    ClientTestSupport.TIMEOUT, Map.of("EMAIL", "email"), null, "hubspot-test-token", Map.of());
            own.hubspot().rateLimit(2, Duration.ofSeconds(30));
            // HubSpot's per-second limit (1 a second here), no Retry-After, the ten-second window with room, and no request of
            // ours in that second (the refused one does not count): others used it; the next paced request probes, and a
            // second refusal in a row waits a share (a second) beyond the pacing
            own.hubspot().failNext(2, 429);
            CrmAnswer burst = client.upsert(ownConnector, List.of(ClientTestSupport.record("hs-five@example.com", Map.of("email", "hs-five@example.com"))));
            assertEquals(Duration.ZERO, burst.retryAfter(), "the first refusal in a row: the pacing is the probe");
            CrmAnswer again = client.upsert(ownConnector, List.of(ClientTestSupport.record("hs-five@example.com", Map.of("email", "hs-five@example.com"))));
            assertEquals(Duration.ofSeconds(1), again.retryAfter(), "the second in a row: one share of the second");
            client.upsert(ownConnector, List.of(ClientTestSupport.record("hs-six@example.com", Map.of("email", "hs-six@example.com"))));
            client.upsert(ownConnector, List.of(ClientTestSupport.record("hs-seven@example.com", Map.of("email", "hs-seven@example.com"))));
            // the window is spent now too: the later end counts, when our second-latest answered request leaves the 30 s window
            own.hubspot().failNext(1, 429);
            CrmAnswer spent = client.upsert(ownConnector, List.of(ClientTestSupport.record("hs-eight@example.com", Map.of("email", "hs-eight@example.com"))));
            assertTrue(spent.retryAfter().compareTo(Duration.ofSeconds(25)) > 0 && spent.retryAfter().compareTo(Duration.ofSeconds(30)) <= 0,
                    "window spent: the rest of it, " + spent.retryAfter());
        }
    }

    @Test
    void erasureIsGdprDeleteAndAnUnknownContactIsNothingLeftToDelete() {
        client.upsert(connector, List.of(ClientTestSupport.record("hs-erase@example.com", Map.of("email", "hs-erase@example.com"))));
        CrmAnswer erased = client.erase(connector, "hs-erase@example.com");
        assertTrue(erased.succeeded().containsKey("hs-erase@example.com"), String.valueOf(erased.problem()));
        assertTrue(emulator.hubspot().contact("hs-erase@example.com").isEmpty());
        assertTrue(emulator.hubspot().gdprDeleted().contains("hs-erase@example.com"));
        assertTrue(client.erase(connector, "never-there@example.com").succeeded().containsKey("never-there@example.com"));
    }

    /** The marketing property and the opt-out property move only on a grant or a withdrawal; a declined consent leaves them. */
    @Test
    void declinedLeavesTheMarketingFlagsAsTheyAreAndOnlyAWithdrawalOptsOut() {
        ConnectorSettings flagged = ClientTestSupport.connector("hubspot-flags", ConnectorSettings.Type.HUBSPOT, emulator.baseUrl(), 100,
                ClientTestSupport.TIMEOUT, Map.of("EMAIL", "email"), "guest_marketing", "hubspot-test-token", Map.of("opt-out-property", "guest_opted_out"));
        for (ConsentDecision notAWithdrawal : new ConsentDecision[]{ConsentDecision.DENIED, ConsentDecision.INVALID, null}) {
            String email = "hs-web-" + notAWithdrawal + "@example.com";
            client.upsert(flagged, List.of(ClientTestSupport.record(email, flags(flagged, email, ConsentDecision.GRANTED))));
            CrmAnswer answer = client.upsert(flagged, List.of(ClientTestSupport.record(email, flags(flagged, email, notAWithdrawal))));

            assertNotNull(answer.succeeded().get(email.toLowerCase(java.util.Locale.ROOT)), String.valueOf(answer.problem()));
            Map<String, String> contact = emulator.hubspot().contact(email).orElseThrow();
            assertEquals("true", contact.get("guest_marketing"), "declined (" + notAWithdrawal + ") is not withdrawn");
            assertEquals("false", contact.get("guest_opted_out"));
        }
        client.upsert(flagged, List.of(ClientTestSupport.record("hs-leaver@example.com", flags(flagged, "hs-leaver@example.com", ConsentDecision.GRANTED))));
        client.upsert(flagged, List.of(ClientTestSupport.record("hs-leaver@example.com", flags(flagged, "hs-leaver@example.com", ConsentDecision.WITHDRAWN))));
        Map<String, String> leaver = emulator.hubspot().contact("hs-leaver@example.com").orElseThrow();
        assertEquals("false", leaver.get("guest_marketing"));
        assertEquals("true", leaver.get("guest_opted_out"));
        assertEquals(List.of(), emulator.hubspot().contractViolations());
    }

    private static Map<String, String> flags(ConnectorSettings connector, String email, ConsentDecision decision) {
        Map<String, String> properties = new HashMap<>(Map.of("email", email));
        properties.putAll(MarketingFlags.of(connector, decision));
        return properties;
    }

    /** A communication-preference opt-out in HubSpot reaches the app as HubSpot's signed contact.propertyChange webhook. */
    @Test
    void anOptOutInHubSpotIsASignedPropertyChangeWebhook() throws Exception {
        client.upsert(connector, List.of(ClientTestSupport.record("hs-optout@example.com", Map.of("email", "hs-optout@example.com"))));
        try (WebhookCatcher catcher = new WebhookCatcher()) {
            emulator.hubspot().webhook(catcher.url("/api/v1/crm-events/hs"), "client-secret");
            assertEquals(200, emulator.hubspot().optOut("hs-optout@example.com"));

            WebhookCatcher.Delivery delivery = catcher.deliveries().get(0);
            jakarta.json.JsonObject event = jakarta.json.Json.createReader(new java.io.StringReader(new String(delivery.body(), StandardCharsets.UTF_8)))
                    .readArray().getJsonObject(0);
            assertEquals("contact.propertyChange", event.getString("subscriptionType"));
            assertEquals("hs_email_optout", event.getString("propertyName"));
            assertEquals("true", event.getString("propertyValue"));
            assertEquals(emulator.hubspot().contact("hs-optout@example.com").orElseThrow().get("hs_object_id"), event.get("objectId").toString());
            String uri = catcher.url("/api/v1/crm-events/hs").toString();
            assertEquals(null, HubSpotSignature.problem("client-secret", "POST", uri, delivery.body(), delivery.headers().get("x-hubspot-request-timestamp"),
                    delivery.headers().get("x-hubspot-signature-v3"), Instant.now()), "signed with the app's client secret");
            assertEquals("the signature does not match", HubSpotSignature.problem("another-secret", "POST", uri, delivery.body(),
                    delivery.headers().get("x-hubspot-request-timestamp"), delivery.headers().get("x-hubspot-signature-v3"), Instant.now()));
        }
        assertEquals("true", emulator.hubspot().contact("hs-optout@example.com").orElseThrow().get("hs_email_optout"));
    }

    /** A 207 answer: what was stored (the email as HubSpot echoes it, lower-cased), what was new, and each refused id with its reason. */
    @Test
    void aMultiStatusAnswerTellsStoredCreatedAndRefusedRecords() {
        String body = """
                {"status":"COMPLETE","results":[
                  {"id":"101","new":true,"archived":false,"createdAt":"2026-01-01T00:00:00Z",
                   "properties":{"firstname":"Jane","email":"Jane@Example.com","tags":{"a":[1,2,{"b":null}]}},"propertiesWithHistory":{}},
                  {"properties":{"email":"old@example.com","hs_object_id":"102"},"new":false,"id":"102"},
                  {"id":"103","properties":{"firstname":"no email"}},
                  null],
                 "numErrors":1,"errors":[
                  {"context":{"ids":["Bad@Example.com","worse@example.com"],"other":["x"]},"category":"VALIDATION_ERROR",
                   "message":"Property values were not valid","links":{}}],
                 "startedAt":"2026-01-01T00:00:00Z"}""";
        CrmAnswer answer = HubSpotClient.answer(207, body);
        assertEquals(Map.of("jane@example.com", "101", "old@example.com", "102"), answer.succeeded());
        assertEquals(java.util.Set.of("jane@example.com"), answer.created());
        assertEquals(Map.of("bad@example.com", "VALIDATION_ERROR: Property values were not valid",
                "worse@example.com", "VALIDATION_ERROR: Property values were not valid"), answer.failed());
        assertEquals(207, answer.status());
        assertTrue(answer.problem() == null && answer.retryAfter() == null);
        assertTrue(HubSpotClient.answer(200, "{\"results\":[]}").succeeded().isEmpty());
        org.junit.jupiter.api.Assertions.assertThrows(jakarta.json.JsonException.class, () -> HubSpotClient.answer(200, "[1]"));
    }
}
