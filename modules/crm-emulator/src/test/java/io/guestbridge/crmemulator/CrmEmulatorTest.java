package io.guestbridge.crmemulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrmEmulatorTest {

    @Test
    void listensOnLoopbackAtAFreePortUntilClosed() {
        TestHttp http;
        try (CrmEmulator emulator = CrmEmulator.start()) {
            assertTrue(emulator.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+"), emulator.baseUrl());
            assertEquals("http://127.0.0.1:" + emulator.port(), emulator.baseUrl());
            http = new TestHttp(emulator.baseUrl());
            HttpResponse<String> elsewhere = http.send(http.request("GET", "/nothing/here", null).build());
            assertEquals(404, elsewhere.statusCode(), "paths of no emulated service are 404");
        }
        TestHttp closed = http;
        assertThrows(IOException.class, () -> closed.sendRaw(closed.request("GET", "/3.0/lists", null).build()),
                "after close() nothing listens");
    }

    @Test
    void resetClearsStoresLimitsFaultsAndLogsOfAllServices() {
        try (CrmEmulator emulator = CrmEmulator.start()) {
            TestHttp http = new TestHttp(emulator.baseUrl());
            HttpResponse<String> upsert = http.send(http.request("POST", "/crm/v3/objects/contacts/batch/upsert",
                            HubSpotEmulatorTest.upsertBody(Map.of("a@example.com", Map.of())))
                    .header("Authorization", "Bearer hubspot-test-token").header("Content-Type", "application/json").build());
            assertEquals(200, upsert.statusCode());
            emulator.hubspot().rateLimit(0, Duration.ofSeconds(10));
            emulator.hubspot().accessToken("changed");
            emulator.salesforce().failNext(5, 500);
            emulator.mailchimp().list("l1");
            emulator.purple().addVisitor("999", "pat@example.com", "Pat", "Visitor", null, null);
            emulator.purple().token("changed");

            emulator.reset();

            assertTrue(emulator.hubspot().contacts().isEmpty());
            assertTrue(emulator.purple().visitor("999", "pat@example.com").isEmpty());
            assertFalse(emulator.storedText().contains("pat@example.com"));
            HttpResponse<String> purpleLookup = http.send(http.request("GET", "/api/company/v1/999/visitors?email=x", null)
                    .header("Authorization", "Bearer " + PurpleEmulator.DEFAULT_TOKEN).build());
            assertEquals(404, purpleLookup.statusCode(), "the token is back to its default and the company is gone");
            assertEquals(0, emulator.hubspot().requestCount());
            assertTrue(emulator.mailchimp().members("l1").isEmpty());
            HttpResponse<String> again = http.send(http.request("POST", "/crm/v3/objects/contacts/batch/upsert",
                            HubSpotEmulatorTest.upsertBody(Map.of("a@example.com", Map.of())))
                    .header("Authorization", "Bearer hubspot-test-token").header("Content-Type", "application/json").build());
            assertEquals(200, again.statusCode(), "limit and token are back to their defaults: " + again.body());
            assertEquals("101", TestHttp.object(again).getJsonArray("results").getJsonObject(0).getString("id"),
                    "ids start again, so tests stay deterministic");
            HttpResponse<String> token = http.send(http.request("POST", "/services/oauth2/token",
                    "grant_type=client_credentials&client_id=sf-client&client_secret=sf-secret")
                    .header("Content-Type", "application/x-www-form-urlencoded").build());
            assertEquals(200, token.statusCode(), "the injected failures are gone");
        }
    }

    @Test
    void storedTextHoldsAContactUntilItIsErasedButNotTheDeletionLogs() {
        try (CrmEmulator emulator = CrmEmulator.start()) {
            TestHttp http = new TestHttp(emulator.baseUrl());
            HttpResponse<String> upsert = http.send(http.request("POST", "/crm/v3/objects/contacts/batch/upsert",
                            HubSpotEmulatorTest.upsertBody(Map.of("jane@example.com",
                                    Map.of("firstname", "Janine", "phone", "+44 20 7946 0000"))))
                    .header("Authorization", "Bearer hubspot-test-token").header("Content-Type", "application/json").build());
            assertEquals(200, upsert.statusCode(), upsert.body());
            String mailchimpMember = "/3.0/lists/l1/members/" + MailchimpEmulator.subscriberHash("mia@example.com");
            emulator.mailchimp().list("l1");
            assertEquals(200, mailchimp(http, "PUT", mailchimpMember,
                    "{\"email_address\":\"mia@example.com\",\"status_if_new\":\"subscribed\",\"merge_fields\":{\"FNAME\":\"Mirabel\"}}")
                    .statusCode());
            emulator.purple().addVisitor("999", "pat@example.com", "Patrice", "Visitor", "+447700900123", "00-01-02-03-04-05");

            String before = emulator.storedText();
            for (String value : List.of("jane@example.com", "Janine", "+44 20 7946 0000", "mia@example.com", "Mirabel",
                    "pat@example.com", "Patrice", "+447700900123", "00-01-02-03-04-05")) {
                assertTrue(before.contains(value), value + " is stored: " + before);
            }

            HttpResponse<String> erased = http.send(http.request("POST", "/crm/v3/objects/contacts/gdpr-delete",
                            "{\"objectId\":\"jane@example.com\",\"idProperty\":\"email\"}")
                    .header("Authorization", "Bearer hubspot-test-token").header("Content-Type", "application/json").build());
            assertEquals(204, erased.statusCode(), erased.body());
            assertEquals(204, mailchimp(http, "DELETE", mailchimpMember, null).statusCode());

            String afterArchive = emulator.storedText();
            assertFalse(afterArchive.contains("jane@example.com"), "HubSpot's GDPR delete erased her: " + afterArchive);
            assertFalse(afterArchive.contains("Janine"), afterArchive);
            assertFalse(afterArchive.contains("+44 20 7946 0000"), afterArchive);
            assertEquals(List.of("jane@example.com"), emulator.hubspot().gdprDeleted(),
                    "the deletion log keeps her email, yet is no store");
            assertTrue(afterArchive.contains("mia@example.com") && afterArchive.contains("Mirabel"),
                    "a Mailchimp archive keeps the member's data: " + afterArchive);

            assertEquals(204, mailchimp(http, "POST", mailchimpMember + "/actions/delete-permanent", null).statusCode());

            String afterErasure = emulator.storedText();
            assertFalse(afterErasure.contains("mia@example.com"), afterErasure);
            assertFalse(afterErasure.contains("Mirabel"), afterErasure);
            assertTrue(afterErasure.contains("pat@example.com"), "the others stay: " + afterErasure);
        }
    }

    @Test
    void aMissingHubSpotDocumentStopsTheStartInsteadOfSkippingTheChecks(@TempDir Path directory) {
        IllegalStateException missingFile = assertThrows(IllegalStateException.class,
                () -> CrmEmulator.start(directory.resolve("absent.json")));
        assertTrue(missingFile.getMessage().contains("absent.json"), missingFile.getMessage());

        String previous = System.getProperty(CrmEmulator.HUBSPOT_SPEC_PROPERTY);
        System.setProperty(CrmEmulator.HUBSPOT_SPEC_PROPERTY, directory.resolve("nope.json").toString());
        try {
            IllegalStateException badProperty = assertThrows(IllegalStateException.class, CrmEmulator::start);
            assertTrue(badProperty.getMessage().contains(CrmEmulator.HUBSPOT_SPEC_PROPERTY), badProperty.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(CrmEmulator.HUBSPOT_SPEC_PROPERTY);
            } else {
                System.setProperty(CrmEmulator.HUBSPOT_SPEC_PROPERTY, previous);
            }
        }
    }

    @Test
    void concurrentClientsAreServedWithoutLosingOrDuplicatingContacts() throws Exception {
        try (CrmEmulator emulator = CrmEmulator.start()) {
            TestHttp http = new TestHttp(emulator.baseUrl());
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<HttpResponse<String>>> responses = new ArrayList<>();
                for (int i = 0; i < 80; i++) {
                    String email = "guest" + i + "@example.com";
                    responses.add(clients.submit(() -> http.send(http.request("POST",
                                    "/crm/v3/objects/contacts/batch/upsert",
                                    HubSpotEmulatorTest.upsertBody(Map.of(email, Map.of("firstname", "G"))))
                            .header("Authorization", "Bearer hubspot-test-token")
                            .header("Content-Type", "application/json").build())));
                }
                Set<String> ids = new HashSet<>();
                for (Future<HttpResponse<String>> response : responses) {
                    HttpResponse<String> answer = response.get(5, TimeUnit.SECONDS);
                    assertEquals(200, answer.statusCode(), answer.body());
                    ids.add(TestHttp.object(answer).getJsonArray("results").getJsonObject(0).getString("id"));
                }
                assertEquals(80, ids.size(), "every contact got its own id");
                assertEquals(80, emulator.hubspot().contacts().size());
                assertEquals(80, emulator.hubspot().requestCount());
            } finally {
                clients.shutdownNow();
            }
        }
    }

    private static HttpResponse<String> mailchimp(TestHttp http, String method, String path, String body) {
        String key = java.util.Base64.getEncoder().encodeToString(
                ("user:" + MailchimpEmulator.DEFAULT_API_KEY).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http.send(http.request(method, path, body).header("Authorization", "Basic " + key).build());
    }
}
