package io.guestbridge.crmsync.internal.connectors.salesforce;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.crmsync.internal.connectors.MarketingFlags;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.guestbridge.crmemulator.CrmEmulator;
import io.guestbridge.crmemulator.RecordedRequest;
import io.guestbridge.crmemulator.SalesforceEmulator;
import io.guestbridge.crmsync.internal.connectors.ClientTestSupport;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
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
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static io.guestbridge.crmsync.internal.connectors.ClientTestSupport.TIMEOUT;
import static io.guestbridge.crmsync.internal.connectors.ClientTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(15)
class SalesforceClientTest {

    private static final String UPSERT_PATH = "/services/data/v60.0/composite/sobjects/Contact/Email";

    private static CrmEmulator emulator;
    private static SalesforceEmulator salesforce;
    private static HttpClient http;

    /** Salesforce's SOQL query endpoint, which the emulator lacks, in front of the emulator (see startQueryFront). */
    private static HttpServer queryFront;
    private static String queryFrontUrl;
    private static final List<String> soqlReceived = new CopyOnWriteArrayList<>();

    private SalesforceClient client;

    @BeforeAll
    static void start() throws IOException {
        emulator = CrmEmulator.start();
        salesforce = emulator.salesforce();
        http = ClientTestSupport.http();
        startQueryFront();
    }

    @AfterAll
    static void stop() {
        queryFront.stop(0);
        emulator.close();
    }

    @BeforeEach
    void fresh() {
        emulator.reset();
        soqlReceived.clear();
        client = new SalesforceClient(http);
    }

    private static ConnectorSettings connector(String baseUrl, int batchSize, Map<String, String> options) {
        Map<String, String> all = new HashMap<>(Map.of("client-id", SalesforceEmulator.DEFAULT_CLIENT_ID,
                "client-secret", SalesforceEmulator.DEFAULT_CLIENT_SECRET));
        all.putAll(options);
        return ClientTestSupport.connector("sf", ConnectorSettings.Type.SALESFORCE, baseUrl, batchSize, TIMEOUT,
                Map.of("EMAIL", "Email", "LAST_NAME", "LastName"), null, null, all);
    }

    private static ConnectorSettings connector() {
        return connector(emulator.baseUrl(), 200, Map.of());
    }

    private static List<RecordedRequest> requests(String method) {
        return salesforce.requests().stream().filter(r -> r.method().equals(method)).toList();
    }

    @Test
    void theTokenIsFetchedOnceAndReusedAndTheBatchIsAnSObjectCollectionsUpsert() {
        CrmAnswer first = client.upsert(connector(), List.of(record("Ann@Example.com", Map.of("LastName", "Lee"))));
        CrmAnswer second = client.upsert(connector(), List.of(record("ann@example.com", Map.of("LastName", "Lee-Smith"))));

        assertNull(first.problem(), first.problem());
        assertNull(second.problem(), second.problem());
        assertEquals(1, salesforce.tokensIssued(), "the second upsert reuses the cached token");
        String id = salesforce.contactWhere("Email", "ann@example.com").map(c -> (String) c.get("Id")).orElseThrow();
        assertEquals(Map.of("ann@example.com", id), first.succeeded());
        assertEquals(Set.of("ann@example.com"), first.created());
        assertEquals(Map.of("ann@example.com", id), second.succeeded());
        assertEquals(Set.of(), second.created(), "the second upsert updated the contact");
        assertEquals("Lee-Smith", salesforce.contacts().get(id).get("LastName"));

        List<RecordedRequest> patches = requests("PATCH");
        assertEquals(2, patches.size());
        assertEquals(UPSERT_PATH, patches.get(0).path());
        assertTrue(patches.get(0).header("Authorization").orElse("").startsWith("Bearer "));
        JsonObject body = Jsonp.JSON.createReader(new StringReader(patches.get(0).body())).readObject();
        assertFalse(body.getBoolean("allOrNone"));
        JsonObject sent = body.getJsonArray("records").getJsonObject(0);
        assertEquals("Contact", sent.getJsonObject("attributes").getString("type"));
        assertEquals("Ann@Example.com", sent.getString("Email"), "the external id is added from the record's email");
        assertEquals("Lee", sent.getString("LastName"));
    }

    @Test
    void preparedTheClientSendsTheDataCallWithNoTokenRequestBeforeIt() {
        assertTrue(client.prepare(connector()).isEmpty(), "ready");
        assertEquals(1, salesforce.tokensIssued(), "the token is fetched as the client gets ready, before the request's take");
        int before = salesforce.requests().size();

        CrmAnswer answer = client.upsert(connector(), List.of(record("a@example.com", Map.of("LastName", "A"))));

        assertNull(answer.problem(), answer.problem());
        assertEquals(1, salesforce.tokensIssued(), "the upsert used the prepared token");
        List<RecordedRequest> after = salesforce.requests().subList(before, salesforce.requests().size());
        assertEquals(List.of("PATCH"), after.stream().map(RecordedRequest::method).toList(), "the data call alone, at once");
        assertTrue(client.prepare(connector()).isEmpty());
        assertEquals(1, salesforce.tokensIssued(), "a cached session is ready as it is");
    }

    @Test
    void aClientThatCannotGetReadyAnswersWithTheTokenEndpointsRefusal() {
        salesforce.clientCredentials("sf-client", "another-secret");

        Optional<CrmAnswer> notReady = client.prepare(connector());

        assertTrue(notReady.isPresent());
        assertFalse(notReady.get().permanent(), "the operator fixes the configuration; the items must stay");
        assertTrue(notReady.get().problem().contains("check crm.sf.client-id / client-secret"), notReady.get().problem());
        assertEquals(List.of(), requests("PATCH"));
    }

    @Test
    void eachRecordIsReportedCreatedOrUpdated() {
        client.upsert(connector(), List.of(record("old@example.com", Map.of("LastName", "Old"))));

        CrmAnswer answer = client.upsert(connector(), List.of(record("old@example.com", Map.of("LastName", "Older")),
                record("new@example.com", Map.of("LastName", "New"))));

        assertNull(answer.problem());
        assertEquals(Set.of("old@example.com", "new@example.com"), answer.succeeded().keySet());
        assertEquals(Set.of("new@example.com"), answer.created());
        assertEquals(salesforce.contactWhere("Email", "new@example.com").orElseThrow().get("Id"), answer.succeeded().get("new@example.com"));
    }

    @Test
    void anExpiredSessionIsRefreshedOnceAndTheRequestSentAgain() {
        client.upsert(connector(), List.of(record("a@example.com", Map.of("LastName", "A"))));
        salesforce.expireTokens();

        CrmAnswer answer = client.upsert(connector(), List.of(record("b@example.com", Map.of("LastName", "B"))));

        assertNull(answer.problem(), answer.problem());
        assertEquals(Set.of("b@example.com"), answer.succeeded().keySet());
        assertEquals(2, salesforce.tokensIssued());
        assertEquals(3, requests("PATCH").size(), "first upsert, the refused one, and its retry");
    }

    @Test
    void aSecond401AfterARefreshIsATransientProblemNamingTheCredentials() {
        salesforce.failNext(2, 401, r -> r.method().equals("PATCH"));

        CrmAnswer answer = client.upsert(connector(), List.of(record("a@example.com", Map.of("LastName", "A"))));

        assertNotNull(answer.problem());
        assertFalse(answer.permanent());
        assertNull(answer.retryAfter());
        assertTrue(answer.problem().contains("crm.sf.client-id / client-secret"), answer.problem());
        assertEquals(2, salesforce.tokensIssued(), "exactly one refresh");
        assertEquals(2, requests("PATCH").size(), "exactly one retry");
        assertTrue(answer.succeeded().isEmpty());
    }

    @Test
    void wrongClientCredentialsAreATransientProblemAndNothingIsSent() {
        salesforce.clientCredentials("sf-client", "another-secret");

        CrmAnswer answer = client.upsert(connector(), List.of(record("a@example.com", Map.of("LastName", "A"))));

        assertNotNull(answer.problem());
        assertFalse(answer.permanent(), "the operator fixes the configuration; the items must stay");
        assertEquals(400, answer.status());
        assertTrue(answer.problem().contains("check crm.sf.client-id / client-secret"), answer.problem());
        assertTrue(answer.problem().contains("invalid_client"), answer.problem());
        assertFalse(answer.problem().contains("sf-secret"));
        assertEquals(0, salesforce.tokensIssued());
        assertEquals(List.of(), requests("PATCH"));
    }

    @Test
    void dataCallsGoToTheInstanceUrlOfTheTokenAndTheTokenUrlOptionIsUsed() {
        // base-url points nowhere: only the token URL and the instance_url it hands out can make this work
        ConnectorSettings connector = connector("http://127.0.0.1:9", 200,
                Map.of("token-url", emulator.baseUrl() + "/services/oauth2/token", "api-version", "v59.0"));

        CrmAnswer answer = client.upsert(connector, List.of(record("a@example.com", Map.of("LastName", "A"))));

        assertNull(answer.problem(), answer.problem());
        assertEquals(Set.of("a@example.com"), answer.succeeded().keySet());
        assertEquals("/services/data/v59.0/composite/sobjects/Contact/Email", requests("PATCH").get(0).path());
    }

    @Test
    void aRecordWithoutLastNameFailsAloneWithSalesforcesCode() {
        CrmAnswer answer = client.upsert(connector(), List.of(record("ok@example.com", Map.of("LastName", "Ok")),
                record("nolast@example.com", Map.of("FirstName", "Nora"))));

        assertNull(answer.problem());
        assertEquals(Set.of("ok@example.com"), answer.succeeded().keySet());
        assertEquals(Map.of("nolast@example.com", "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]"), answer.failed());
        assertTrue(answer.permanent());
    }

    @Test
    void recordRefusalsDoNotCarryTheRecordsValues() {
        salesforce.rejectRecords(r -> true, "INVALID_EMAIL_ADDRESS", "Email: invalid email address: Zoë Q. <bad@@example.com>");

        CrmAnswer answer = client.upsert(connector(), List.of(record("bad@@example.com", Map.of("LastName", "Zoë Q."))));

        String reason = answer.failed().get("bad@@example.com");
        assertNotNull(reason, answer.toString());
        assertTrue(reason.startsWith("INVALID_EMAIL_ADDRESS: Email: invalid email address:"), reason);
        assertFalse(reason.contains("Zoë"), reason);
        assertFalse(reason.contains("bad@@example.com"), reason);
    }

    @Test
    void anExhaustedApiAllowanceIsAWaitNotAFailure() {
        salesforce.rateLimit(0, Duration.ofMinutes(1));

        CrmAnswer answer = client.upsert(connector(), List.of(record("a@example.com", Map.of("LastName", "A"))));

        assertEquals(403, answer.status());
        assertEquals(SalesforceClient.REQUEST_LIMIT_WAIT, answer.retryAfter());
        assertFalse(answer.permanent());
        assertTrue(answer.succeeded().isEmpty() && answer.failed().isEmpty());
    }

    @Test
    void serverErrorsResetsAndTimeoutsAreTransient() {
        ConnectorSettings connector = connector(emulator.baseUrl(), 200, Map.of());
        List<CrmRecord> one = List.of(record("a@example.com", Map.of("LastName", "A")));

        salesforce.failNext(1, 503, r -> r.method().equals("PATCH"));
        CrmAnswer unavailable = client.upsert(connector, one);
        salesforce.resetNext(1, r -> r.method().equals("PATCH"));
        CrmAnswer reset = client.upsert(connector, one);
        salesforce.slowNext(1, Duration.ofMillis(1500), r -> r.method().equals("PATCH"));
        CrmAnswer slow = client.upsert(ClientTestSupport.connector("sf", ConnectorSettings.Type.SALESFORCE, emulator.baseUrl(), 200,
                Duration.ofMillis(300), connector.mapping(), null, null, connector.options()), one);

        for (CrmAnswer answer : List.of(unavailable, reset, slow)) {
            assertNotNull(answer.problem(), answer.toString());
            assertFalse(answer.permanent(), answer.problem());
            assertNull(answer.retryAfter(), answer.problem());
            assertTrue(answer.succeeded().isEmpty(), answer.problem());
        }
        assertEquals(503, unavailable.status());
        assertTrue(reset.problem().startsWith("connection to Salesforce failed"), reset.problem());
        assertTrue(slow.problem().contains("did not answer within 300 ms"), slow.problem());
    }

    @Test
    void moreRecordsThanTheBatchSizeAreSplit() {
        List<CrmRecord> five = IntStream.range(0, 5).mapToObj(i -> record("p" + i + "@example.com", Map.of("LastName", "P" + i))).toList();

        CrmAnswer answer = client.upsert(connector(emulator.baseUrl(), 2, Map.of()), five);

        assertNull(answer.problem());
        assertEquals(5, answer.succeeded().size());
        assertEquals(5, answer.created().size());
        assertEquals(List.of(2, 2, 1), requests("PATCH").stream()
                .map(r -> Jsonp.JSON.createReader(new StringReader(r.body())).readObject().getJsonArray("records").size()).toList());
    }

    @Test
    void aTokenOlderThanTheMaximumAgeIsReplaced() throws InterruptedException {
        SalesforceClient shortLived = new SalesforceClient(http, Duration.ofMillis(1));
        shortLived.upsert(connector(), List.of(record("a@example.com", Map.of("LastName", "A"))));
        Thread.sleep(20);
        CrmAnswer answer = shortLived.upsert(connector(), List.of(record("a@example.com", Map.of("LastName", "A"))));

        assertNull(answer.problem());
        assertEquals(2, salesforce.tokensIssued());
        assertEquals(2, requests("PATCH").size(), "no 401 was needed");
    }

    @Test
    void eraseLooksTheContactUpAndDeletesItById() {
        ConnectorSettings connector = connector(queryFrontUrl, 200, Map.of());
        client.upsert(connector, List.of(record("gone@example.com", Map.of("LastName", "Gone")),
                record("stays@example.com", Map.of("LastName", "Stays"))));
        String id = (String) salesforce.contactWhere("Email", "gone@example.com").orElseThrow().get("Id");

        CrmAnswer answer = client.erase(connector, "Gone@Example.com");

        assertNull(answer.problem(), answer.problem());
        assertEquals(Map.of("gone@example.com", id), answer.succeeded());
        assertEquals(List.of(id), salesforce.deletedIds());
        assertTrue(salesforce.contactWhere("Email", "stays@example.com").isPresent());
        assertEquals(List.of("SELECT Id FROM Contact WHERE Email = 'Gone@Example.com'"), soqlReceived);
        RecordedRequest delete = requests("DELETE").get(0);
        assertEquals("/services/data/v60.0/composite/sobjects", delete.path());
        assertEquals(Map.of("ids", List.of(id), "allOrNone", List.of("false")), delete.queryParameters());
    }

    @Test
    void erasingAnUnknownContactSucceedsWithoutDeletingAndQuotesAreEscaped() {
        CrmAnswer answer = client.erase(connector(queryFrontUrl, 200, Map.of()), "o'brien\\x@example.com");

        assertNull(answer.problem(), answer.problem());
        assertEquals(Set.of("o'brien\\x@example.com"), answer.succeeded().keySet());
        assertEquals(List.of(), requests("DELETE"));
        assertEquals(List.of("SELECT Id FROM Contact WHERE Email = 'o\\'brien\\\\x@example.com'"), soqlReceived);
    }

    @Test
    void eraseLooksTheContactUpByEmailAndDeletesIt() {
        // the emulator answers the SOQL lookup erasure needs (SELECT Id FROM Contact WHERE Email = '…')
        client.upsert(connector(), List.of(record("gone@example.com", Map.of("LastName", "Gone"))));
        String id = String.valueOf(salesforce.contactWhere("Email", "gone@example.com").orElseThrow().get("Id"));

        CrmAnswer answer = client.erase(connector(), "gone@example.com");

        assertTrue(answer.succeeded().containsKey("gone@example.com"), String.valueOf(answer.problem()));
        assertTrue(salesforce.contactWhere("Email", "gone@example.com").isEmpty());
        assertEquals(List.of(id), salesforce.deletedIds());
    }

    // ---------------------------------------------------------------- the query front

    /**
     * The emulator implements no SOQL query endpoint. This front answers {@code GET …/query} for
     * {@code SELECT Id FROM Contact WHERE Email = '…'} from the emulator's store and passes every other request
     * through to the emulator, rewriting the token's instance_url so data calls come back here.
     */
    private static void startQueryFront() throws IOException {
        queryFront = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        queryFrontUrl = "http://127.0.0.1:" + queryFront.getAddress().getPort();
        Pattern select = Pattern.compile("^SELECT Id FROM Contact WHERE Email = '((?:[^'\\\\]|\\\\.)*)'$");
        queryFront.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                String rawQuery = exchange.getRequestURI().getRawQuery();
                if (path.matches("/services/data/v\\d+\\.\\d+/query")) {
                    if (!exchange.getRequestHeaders().getFirst("Authorization").startsWith("Bearer ")) {
                        respond(exchange, 401, "[{\"errorCode\":\"INVALID_SESSION_ID\",\"message\":\"Session expired or invalid\"}]");
                        return;
                    }
                    String soql = URLDecoder.decode(rawQuery.substring("q=".length()), StandardCharsets.UTF_8);
                    soqlReceived.add(soql);
                    Matcher m = select.matcher(soql);
                    if (!m.matches()) {
                        respond(exchange, 400, "[{\"errorCode\":\"MALFORMED_QUERY\",\"message\":\"unexpected query\"}]");
                        return;
                    }
                    String email = m.group(1).replaceAll("\\\\(.)", "$1");
                    Optional<Map<String, Object>> contact = salesforce.contactWhere("Email", email);
                    JsonArrayBuilder records = Jsonp.JSON.createArrayBuilder();
                    contact.ifPresent(c -> records.add(Jsonp.JSON.createObjectBuilder()
                            .add("attributes", Jsonp.JSON.createObjectBuilder().add("type", "Contact"))
                            .add("Id", (String) c.get("Id"))));
                    JsonArray found = records.build();
                    respond(exchange, 200, Jsonp.JSON.createObjectBuilder().add("totalSize", found.size()).add("done", true)
                            .add("records", found).build().toString());
                    return;
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path + (rawQuery == null ? "" : "?" + rawQuery)))
                        .timeout(Duration.ofSeconds(5))
                        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                for (String header : List.of("Authorization", "Content-Type", "Accept")) {
                    String value = exchange.getRequestHeaders().getFirst(header);
                    if (value != null) {
                        forward.header(header, value);
                    }
                }
                HttpResponse<String> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
                respond(exchange, answer.statusCode(), answer.body().replace(emulator.baseUrl(), queryFrontUrl));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        queryFront.start();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** HasOptedOutOfEmail is set by a withdrawal only; a declined consent leaves what the org holds. */
    @Test
    void declinedLeavesHasOptedOutOfEmailAsItIsAndOnlyAWithdrawalSetsIt() {
        ConnectorSettings connector = connector(emulator.baseUrl(), 200, Map.of("opt-out-property", "HasOptedOutOfEmail"));
        for (ConsentDecision notAWithdrawal : new ConsentDecision[]{ConsentDecision.DENIED, ConsentDecision.INVALID, null}) {
            String email = "sf-web-" + notAWithdrawal + "@example.com";
            client.upsert(connector, List.of(record(email, flags(connector, ConsentDecision.GRANTED))));
            CrmAnswer answer = client.upsert(connector, List.of(record(email, flags(connector, notAWithdrawal))));

            assertNull(answer.problem(), answer.problem());
            Map<String, Object> contact = salesforce.contactWhere("Email", email).orElseThrow();
            assertEquals("false", String.valueOf(contact.get("HasOptedOutOfEmail")), "declined (" + notAWithdrawal + ") is not withdrawn");
        }
        client.upsert(connector, List.of(record("sf-leaver@example.com", flags(connector, ConsentDecision.GRANTED))));
        client.upsert(connector, List.of(record("sf-leaver@example.com", flags(connector, ConsentDecision.WITHDRAWN))));
        assertEquals("true", String.valueOf(salesforce.contactWhere("Email", "sf-leaver@example.com").orElseThrow().get("HasOptedOutOfEmail")));
    }

    private static Map<String, String> flags(ConnectorSettings connector, ConsentDecision decision) {
        Map<String, String> properties = new HashMap<>(Map.of("LastName", "Lee"));
        properties.putAll(MarketingFlags.of(connector, decision));
        return properties;
    }
}
