package io.guestbridge.crmsync.internal.connectors.mailchimp;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.crmsync.internal.connectors.MarketingFlags;
import java.util.HashMap;
import io.guestbridge.crmemulator.CrmEmulator;
import io.guestbridge.crmemulator.MailchimpEmulator;
import io.guestbridge.crmemulator.RecordedRequest;
import io.guestbridge.crmsync.internal.connectors.ClientTestSupport;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.guestbridge.crmsync.internal.connectors.ClientTestSupport.TIMEOUT;
import static io.guestbridge.crmsync.internal.connectors.ClientTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(15)
class MailchimpClientTest {

    private static final String LIST = "list1";

    private static CrmEmulator emulator;
    private static MailchimpEmulator mailchimp;
    private static HttpClient http;

    private final MailchimpClient client = new MailchimpClient(http);

    @BeforeAll
    static void start() {
        emulator = CrmEmulator.start();
        mailchimp = emulator.mailchimp();
        http = ClientTestSupport.http();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void fresh() {
        emulator.reset();
        mailchimp.list(LIST);
    }

    private static ConnectorSettings connector(String marketingProperty, String apiKey, String listId) {
        return connector(marketingProperty, apiKey, listId, 500, emulator.baseUrl());
    }

    private static ConnectorSettings connector(String marketingProperty, String apiKey, String listId, int batchSize, String baseUrl) {
        return ClientTestSupport.connector("mc", ConnectorSettings.Type.MAILCHIMP, baseUrl, batchSize, TIMEOUT,
                Map.of("FIRST_NAME", "FNAME"), marketingProperty, null, Map.of("api-key", apiKey, "list-id", listId));
    }

    private static ConnectorSettings connectorWithBatchSize(int batchSize) {
        return connector(null, MailchimpEmulator.DEFAULT_API_KEY, LIST, batchSize, emulator.baseUrl());
    }

    private static ConnectorSettings connector() {
        return connector(null, MailchimpEmulator.DEFAULT_API_KEY, LIST);
    }

    private static Map<String, Object> member(String email) {
        return mailchimp.member(LIST, email).orElseThrow(() -> new AssertionError("no member " + email));
    }

    @Test
    void statusFollowsTheMarketingFlagAndTheOtherPropertiesAreMergeFields() {
        CrmAnswer answer = client.upsert(connector(), List.of(record("Yes@Example.com", Map.of("FNAME", "Yara", "marketing", "true")),
                record("no@example.com", Map.of("FNAME", "Nils", "marketing", "false"))));

        assertNull(answer.problem(), answer.problem());
        assertEquals(Map.of("yes@example.com", MailchimpEmulator.subscriberHash("yes@example.com"),
                "no@example.com", MailchimpEmulator.subscriberHash("no@example.com")), answer.succeeded());
        assertEquals("subscribed", member("yes@example.com").get("status"));
        assertEquals("unsubscribed", member("no@example.com").get("status"));
        assertEquals(Map.of("FNAME", "Yara"), member("yes@example.com").get("merge_fields"), "marketing is not a merge field");

        assertEquals(Set.of("yes@example.com", "no@example.com"), answer.created());

        List<RecordedRequest> calls = mailchimp.requests();
        assertEquals(1, calls.size(), "one batch subscribe call for the batch");
        assertEquals("POST", calls.get(0).method());
        assertEquals("/3.0/lists/" + LIST, calls.get(0).path());
        assertTrue(calls.get(0).body().contains("\"update_existing\":true"), calls.get(0).body());
        String basic = Base64.getEncoder().encodeToString(("guestbridge:" + MailchimpEmulator.DEFAULT_API_KEY).getBytes(StandardCharsets.UTF_8));
        assertEquals("Basic " + basic, calls.get(0).header("Authorization").orElseThrow());

        CrmAnswer again = client.upsert(connector(), List.of(record("yes@example.com", Map.of("FNAME", "Yara"))));
        assertEquals(Set.of("yes@example.com"), again.succeeded().keySet());
        assertEquals(Set.of(), again.created(), "an existing member is updated, not created");
    }

    @Test
    void oneBatchCallPerUpToFiveHundredRecordsAndNoMoreThanTheConnectorsBatchSize() {
        List<io.guestbridge.crmsync.internal.connectors.CrmRecord> records = java.util.stream.IntStream.range(0, 750)
                .mapToObj(i -> record("m" + i + "@example.com", Map.of("FNAME", "M" + i))).toList();

        CrmAnswer answer = client.upsert(connector(), records);

        assertNull(answer.problem(), answer.problem());
        assertEquals(750, answer.succeeded().size());
        assertEquals(750, mailchimp.memberCount(LIST));
        assertEquals(2, mailchimp.requestCount(), "500, then 250");

        mailchimp.clearRequests();
        CrmAnswer small = client.upsert(connectorWithBatchSize(2), records.subList(0, 5));

        assertEquals(5, small.succeeded().size());
        assertEquals(3, mailchimp.requestCount(), "2 + 2 + 1: the connector's batch size is honoured");
    }

    @Test
    void theConnectorsMarketingPropertyIsHonoured() {
        client.upsert(connector("MKT", MailchimpEmulator.DEFAULT_API_KEY, LIST), List.of(record("a@example.com", Map.of("MKT", "true"))));

        assertEquals("subscribed", member("a@example.com").get("status"));
        assertEquals(Map.of(), member("a@example.com").get("merge_fields"));
    }

    @Test
    void aWithdrawalUnsubscribesAnExistingMember() {
        client.upsert(connector(), List.of(record("a@example.com", Map.of("marketing", "true"))));
        assertEquals("subscribed", member("a@example.com").get("status"));

        CrmAnswer answer = client.upsert(connector(), List.of(record("a@example.com", Map.of("FNAME", "Ann", "marketing", "false"))));

        assertEquals(Set.of("a@example.com"), answer.succeeded().keySet());
        assertEquals("unsubscribed", member("a@example.com").get("status"));
        assertEquals(Map.of("FNAME", "Ann"), member("a@example.com").get("merge_fields"));
    }

    @Test
    void withoutAMarketingFlagNobodyIsSubscribedAndAnExistingStatusStays() {
        client.upsert(connector(), List.of(record("sub@example.com", Map.of("marketing", "true"))));

        client.upsert(connector(), List.of(record("sub@example.com", Map.of("FNAME", "S")), record("new@example.com", Map.of("FNAME", "N"))));

        assertEquals("subscribed", member("sub@example.com").get("status"));
        assertEquals("unsubscribed", member("new@example.com").get("status"));
    }

    @Test
    void aRefusedMemberFailsAloneWithMailchimpsReasonWithoutTheAddress() {
        client.upsert(connector(), List.of(record("forgotten@example.com", Map.of("marketing", "true"))));
        client.erase(connector(), "forgotten@example.com");

        CrmAnswer answer = client.upsert(connector(), List.of(record("forgotten@example.com", Map.of("marketing", "true")),
                record("fine@example.com", Map.of("marketing", "true"))));

        assertNull(answer.problem());
        assertTrue(answer.permanent());
        assertEquals(Set.of("fine@example.com"), answer.succeeded().keySet());
        String reason = answer.failed().get("forgotten@example.com");
        assertNotNull(reason, answer.toString());
        assertTrue(reason.startsWith("ERROR_GENERIC: ") && reason.contains("was permanently deleted"), reason);
        assertFalse(reason.contains("forgotten@example.com"), reason);
        RecordedRequest last = mailchimp.requests().get(mailchimp.requests().size() - 1);
        assertTrue(last.body().contains("forgotten@example.com") && last.body().contains("fine@example.com"), "both in one call");
    }

    @Test
    void aRateLimitStopsTheCallsKeepsWhatWasDoneAndLeavesTheRestUnreported() {
        mailchimp.rateLimit(1, Duration.ofMinutes(1));

        CrmAnswer answer = client.upsert(connectorWithBatchSize(2), List.of(record("a@example.com", Map.of()), record("b@example.com", Map.of()),
                record("c@example.com", Map.of()), record("d@example.com", Map.of()), record("e@example.com", Map.of())));

        assertEquals(429, answer.status());
        assertEquals(MailchimpClient.DEFAULT_RETRY_AFTER, answer.retryAfter());
        assertEquals(Set.of("a@example.com", "b@example.com"), answer.succeeded().keySet());
        assertEquals(Map.of(), answer.failed(), "c, d and e are in neither map: the caller retries them");
        assertEquals(2, mailchimp.requestCount(), "e was not sent after the 429");
    }

    @Test
    void tooManyConcurrentConnectionsIsAWait() throws Exception {
        mailchimp.maxConcurrent(1);
        mailchimp.slowNext(1, Duration.ofMillis(1500), r -> r.method().equals("GET"));
        // another user of the same key holds the only connection slot
        CompletableFuture<HttpResponse<Void>> holder = http.sendAsync(HttpRequest.newBuilder(
                URI.create(emulator.baseUrl() + "/3.0/lists/" + LIST + "/members/" + MailchimpEmulator.subscriberHash("x@example.com"))).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        while (mailchimp.requestCount() == 0) {
            Thread.sleep(5);
        }
        Thread.sleep(100);

        CrmAnswer answer = client.upsert(connector(), List.of(record("a@example.com", Map.of("marketing", "true"))));

        assertEquals(429, answer.status());
        assertNotNull(answer.retryAfter());
        assertTrue(answer.succeeded().isEmpty());
        assertTrue(mailchimp.member(LIST, "a@example.com").isEmpty());
        holder.get();
    }

    @Test
    void aServerErrorMidwayIsTransientAndKeepsWhatWasDone() {
        mailchimp.failNext(1, 503, r -> r.body().contains("c@example.com"));

        CrmAnswer answer = client.upsert(connectorWithBatchSize(2), List.of(record("a@example.com", Map.of()), record("b@example.com", Map.of()),
                record("c@example.com", Map.of()), record("d@example.com", Map.of()), record("e@example.com", Map.of())));

        assertEquals(503, answer.status());
        assertNull(answer.retryAfter());
        assertFalse(answer.permanent());
        assertNotNull(answer.problem());
        assertEquals(Set.of("a@example.com", "b@example.com"), answer.succeeded().keySet());
        assertEquals(Map.of(), answer.failed());
        assertEquals(2, mailchimp.requestCount());
        assertTrue(mailchimp.member(LIST, "c@example.com").isEmpty());
    }

    @Test
    void aWholeCallRefusedAs400FailsItsRecordsForGood() {
        mailchimp.failNext(1, 400);

        CrmAnswer answer = client.upsert(connector(), List.of(record("a@example.com", Map.of("FNAME", "Ann")), record("b@example.com", Map.of())));

        assertTrue(answer.permanent());
        assertEquals(Set.of("a@example.com", "b@example.com"), answer.failed().keySet());
        assertTrue(answer.failed().get("a@example.com").startsWith("Mailchimp refused the batch of 2 members (400)"), answer.failed().toString());
        assertTrue(answer.succeeded().isEmpty());
    }

    /** Mailchimp's own shape of a partial answer; a member it does not mention is retried, not lost nor failed. */
    @Test
    void eachMemberOfTheAnswerIsMappedBackAndAnUnmentionedOneIsLeftToARetry() throws Exception {
        String body = "{\"new_members\":[{\"id\":\"" + MailchimpEmulator.subscriberHash("a@example.com") + "\",\"email_address\":\"A@example.com\"}],"
                + "\"updated_members\":[],\"errors\":[{\"email_address\":\"b@example.com\",\"error\":\"b@example.com looks fake or invalid, "
                + "please enter a real email address.\",\"error_code\":\"ERROR_GENERIC\",\"field\":\"email_address\",\"field_message\":"
                + "\"Invalid email address\"}],\"total_created\":1,\"total_updated\":0,\"error_count\":1}";
        com.sun.net.httpserver.HttpServer stub = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
        stub.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        stub.start();
        try {
            ConnectorSettings connector = connector(null, MailchimpEmulator.DEFAULT_API_KEY, LIST, 500,
                    "http://127.0.0.1:" + stub.getAddress().getPort());

            CrmAnswer answer = client.upsert(connector, List.of(record("a@example.com", Map.of()), record("B@Example.com ", Map.of()),
                    record("c@example.com", Map.of())));

            assertEquals(Map.of("a@example.com", MailchimpEmulator.subscriberHash("a@example.com")), answer.succeeded());
            assertEquals(Set.of("a@example.com"), answer.created());
            String reason = answer.failed().get("b@example.com ");
            assertNotNull(reason, answer.failed().toString());
            assertTrue(reason.startsWith("ERROR_GENERIC: ") && reason.endsWith("[email_address: Invalid email address]"), reason);
            assertFalse(reason.toLowerCase(java.util.Locale.ROOT).contains("b@example.com"), reason);
            assertFalse(answer.failed().containsKey("c@example.com"), "c is in neither map: the caller retries it");
            assertFalse(answer.permanent());
            assertTrue(answer.problem().contains("did not report 1 of 3"), answer.problem());
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void aWrongApiKeyOrListIsATransientProblemNamingTheSetting() {
        CrmAnswer badKey = client.upsert(connector(null, "wrong-key", LIST), List.of(record("a@example.com", Map.of())));
        CrmAnswer badList = client.upsert(connector(null, MailchimpEmulator.DEFAULT_API_KEY, "nolist"), List.of(record("a@example.com", Map.of())));

        assertEquals(401, badKey.status());
        assertFalse(badKey.permanent());
        assertTrue(badKey.problem().contains("crm.mc.api-key"), badKey.problem());
        assertFalse(badKey.problem().contains("wrong-key"));
        assertEquals(404, badList.status());
        assertFalse(badList.permanent());
        assertTrue(badList.problem().contains("crm.mc.list-id"), badList.problem());
        assertTrue(badKey.succeeded().isEmpty() && badList.succeeded().isEmpty());
    }

    @Test
    void eraseDeletesPermanentlyAndNeverArchives() {
        client.upsert(connector(), List.of(record("gone@example.com", Map.of("marketing", "true"))));

        CrmAnswer answer = client.erase(connector(), "Gone@Example.com");
        CrmAnswer again = client.erase(connector(), "gone@example.com");

        assertNull(answer.problem());
        assertEquals(Set.of("gone@example.com"), answer.succeeded().keySet());
        assertEquals(List.of(new MailchimpEmulator.MemberRef(LIST, "gone@example.com", MailchimpEmulator.subscriberHash("gone@example.com"))),
                mailchimp.permanentlyDeleted());
        assertEquals(List.of(), mailchimp.archived());
        assertTrue(mailchimp.member(LIST, "gone@example.com").isEmpty());
        assertEquals(Set.of("gone@example.com"), again.succeeded().keySet(), "404: nothing left to delete");
        assertTrue(mailchimp.requests().stream().noneMatch(r -> r.method().equals("DELETE")));
        assertEquals("POST", mailchimp.requests().get(1).method());
        assertTrue(mailchimp.requests().get(1).path().endsWith("/actions/delete-permanent"));
    }

    @Test
    void eraseWaitsOnARateLimit() {
        mailchimp.rateLimit(0, Duration.ofMinutes(1));

        CrmAnswer answer = client.erase(connector(), "a@example.com");

        assertEquals(429, answer.status());
        assertNotNull(answer.retryAfter());
        assertTrue(answer.succeeded().isEmpty());
    }

    /** A guest who subscribed on the venue's website and declines at the portal: the member stays subscribed. */
    @Test
    void declinedLeavesAMemberAsItIsAndOnlyAWithdrawalUnsubscribes() {
        ConnectorSettings connector = connector("marketing", MailchimpEmulator.DEFAULT_API_KEY, LIST);
        for (ConsentDecision notAWithdrawal : new ConsentDecision[]{ConsentDecision.DENIED, ConsentDecision.INVALID, null}) {
            String email = "web-" + notAWithdrawal + "@example.com";
            client.upsert(connector, List.of(record(email, flags(connector, ConsentDecision.GRANTED, Map.of()))));
            CrmAnswer answer = client.upsert(connector, List.of(record(email, flags(connector, notAWithdrawal, Map.of("FNAME", "Web")))));

            assertEquals(Set.of(email.toLowerCase(java.util.Locale.ROOT)), answer.succeeded().keySet());
            assertEquals("subscribed", member(email).get("status"), "declined (" + notAWithdrawal + ") is not withdrawn");
            assertEquals(Map.of("FNAME", "Web"), member(email).get("merge_fields"), "the rest of the contact is still updated");
        }
        client.upsert(connector, List.of(record("new-declined@example.com", flags(connector, ConsentDecision.DENIED, Map.of()))));
        assertEquals("unsubscribed", member("new-declined@example.com").get("status"), "a new member without a grant is never subscribed");

        client.upsert(connector, List.of(record("leaver@example.com", flags(connector, ConsentDecision.GRANTED, Map.of()))));
        client.upsert(connector, List.of(record("leaver@example.com", flags(connector, ConsentDecision.WITHDRAWN, Map.of()))));
        assertEquals("unsubscribed", member("leaver@example.com").get("status"));
    }

    private static Map<String, String> flags(ConnectorSettings connector, ConsentDecision decision, Map<String, String> others) {
        Map<String, String> properties = new HashMap<>(others);
        properties.putAll(MarketingFlags.of(connector, decision));
        return properties;
    }
}
