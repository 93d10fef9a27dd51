package io.guestbridge.crmemulator;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.guestbridge.crmemulator.TestHttp.array;
import static io.guestbridge.crmemulator.TestHttp.header;
import static io.guestbridge.crmemulator.TestHttp.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SalesforceEmulatorTest {

    private static final String TOKEN = "/services/oauth2/token";
    private static final String UPSERT_BY_EMAIL = "/services/data/v60.0/composite/sobjects/Contact/Email";
    private static final String GOOD_CREDENTIALS =
            "grant_type=client_credentials&client_id=sf-client&client_secret=sf-secret";

    private static CrmEmulator emulator;
    private static SalesforceEmulator salesforce;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        emulator = CrmEmulator.start();
        salesforce = emulator.salesforce();
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
    void theRightClientCredentialsGetABearerTokenForTheInstance() {
        HttpResponse<String> response = requestToken(GOOD_CREDENTIALS);

        assertEquals(200, response.statusCode(), response.body());
        JsonObject token = object(response);
        assertFalse(token.getString("access_token").isBlank());
        assertEquals(emulator.baseUrl(), token.getString("instance_url"));
        assertEquals("Bearer", token.getString("token_type"));
        assertTrue(Long.parseLong(token.getString("issued_at")) > 0);
        assertFalse(token.getString("signature").isBlank());
        assertEquals(1, salesforce.tokensIssued());

        HttpResponse<String> upsert = upsert(token.getString("access_token"), UPSERT_BY_EMAIL, false,
                Map.of("Email", "jane@example.com", "LastName", "Smith"));
        assertEquals(200, upsert.statusCode(), upsert.body());
    }

    @Test
    void wrongCredentialsOrGrantAre400WithOAuthErrors() {
        HttpResponse<String> badSecret = requestToken("grant_type=client_credentials&client_id=sf-client&client_secret=nope");
        HttpResponse<String> badGrant = requestToken("grant_type=password&client_id=sf-client&client_secret=sf-secret");

        assertEquals(400, badSecret.statusCode());
        assertEquals("invalid_client", object(badSecret).getString("error"));
        assertEquals("invalid client credentials", object(badSecret).getString("error_description"));
        assertEquals(400, badGrant.statusCode());
        assertEquals("unsupported_grant_type", object(badGrant).getString("error"));
        assertEquals(0, salesforce.tokensIssued());

        salesforce.clientCredentials("other-client", "other-secret");
        assertEquals(200, requestToken("grant_type=client_credentials&client_id=other-client&client_secret=other-secret")
                .statusCode());
    }

    @Test
    void expiredOrUnknownTokensAre401InvalidSessionId() throws InterruptedException {
        String token = token();
        salesforce.expireTokens();

        HttpResponse<String> expired = upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "a@example.com", "LastName", "A"));
        HttpResponse<String> unknown = upsert("made-up", UPSERT_BY_EMAIL, false, Map.of("Email", "a@example.com", "LastName", "A"));

        for (HttpResponse<String> response : List.of(expired, unknown)) {
            assertEquals(401, response.statusCode(), response.body());
            JsonObject error = array(response).getJsonObject(0);
            assertEquals("INVALID_SESSION_ID", error.getString("errorCode"));
            assertEquals("Session expired or invalid", error.getString("message"));
        }

        salesforce.tokenLifetime(Duration.ofMillis(200));
        String shortLived = token();
        assertEquals(200, upsert(shortLived, UPSERT_BY_EMAIL, false, Map.of("Email", "a@example.com", "LastName", "A"))
                .statusCode());
        Thread.sleep(300);
        assertEquals(401, upsert(shortLived, UPSERT_BY_EMAIL, false, Map.of("Email", "a@example.com", "LastName", "A"))
                .statusCode(), "a token past its lifetime is refused");
        assertEquals(1, salesforce.contacts().size());
    }

    @Test
    void upsertReportsCreatedOrUpdatedPerRecordInOrder() {
        String token = token();
        JsonArray first = array(upsert(token, UPSERT_BY_EMAIL, false,
                Map.of("Email", "jane@example.com", "LastName", "Smith", "FirstName", "Jane"),
                Map.of("Email", "john@example.com", "LastName", "Doe")));
        JsonArray second = array(upsert(token, UPSERT_BY_EMAIL, false,
                Map.of("Email", "new@example.com", "LastName", "New"),
                Map.of("Email", "JANE@example.com", "Phone", "123")));

        assertEquals(2, first.size());
        first.getValuesAs(JsonObject.class).forEach(result -> {
            assertTrue(result.getBoolean("success"), result.toString());
            assertTrue(result.getBoolean("created"));
            assertTrue(result.getJsonArray("errors").isEmpty());
            assertTrue(result.getString("id").startsWith("003") && result.getString("id").length() == 18,
                    result.getString("id"));
        });
        String janeId = first.getJsonObject(0).getString("id");
        assertNotEquals(janeId, first.getJsonObject(1).getString("id"));

        assertTrue(second.getJsonObject(0).getBoolean("created"));
        assertFalse(second.getJsonObject(1).getBoolean("created"), "Jane exists: an update");
        assertEquals(janeId, second.getJsonObject(1).getString("id"));

        Map<String, Object> jane = salesforce.contacts().get(janeId);
        assertEquals("Smith", jane.get("LastName"), "fields not sent keep their values");
        assertEquals("Jane", jane.get("FirstName"));
        assertEquals("123", jane.get("Phone"));
        assertEquals(janeId, jane.get("Id"));
        assertEquals(3, salesforce.contacts().size());
        assertEquals(3, salesforce.contactCount());
        assertEquals(4, salesforce.recordsStored(), "every record stored counts, Jane's update too: a benchmark sees duplicates");
    }

    @Test
    void aCustomExternalIdFieldKeysTheUpsert() {
        String token = token();
        String path = "/services/data/v59.0/composite/sobjects/Contact/Guest_Id__c";
        String id = array(upsert(token, path, false, Map.of("Guest_Id__c", "g-1", "LastName", "A")))
                .getJsonObject(0).getString("id");
        JsonObject again = array(upsert(token, path, false, Map.of("Guest_Id__c", "g-1", "Email", "a@example.com")))
                .getJsonObject(0);

        assertFalse(again.getBoolean("created"));
        assertEquals(id, again.getString("id"));
        assertEquals("a@example.com", salesforce.contactWhere("Guest_Id__c", "g-1").orElseThrow().get("Email"));
    }

    @Test
    void aNewContactWithoutLastNameFailsWithRequiredFieldMissing() {
        String token = token();
        JsonArray results = array(upsert(token, UPSERT_BY_EMAIL, false,
                Map.of("Email", "ok@example.com", "LastName", "Ok"),
                Map.of("Email", "nolastname@example.com", "FirstName", "Anon")));

        assertTrue(results.getJsonObject(0).getBoolean("success"));
        JsonObject failed = results.getJsonObject(1);
        assertFalse(failed.getBoolean("success"));
        JsonObject error = failed.getJsonArray("errors").getJsonObject(0);
        assertEquals("REQUIRED_FIELD_MISSING", error.getString("statusCode"));
        assertEquals(List.of("LastName"), error.getJsonArray("fields").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        assertEquals(1, salesforce.contacts().size(), "the good record is stored, the bad one not");

        JsonObject update = array(upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "ok@example.com", "Phone", "1")))
                .getJsonObject(0);
        assertTrue(update.getBoolean("success"), "an update need not repeat LastName: " + update);
    }

    @Test
    void withAllOrNoneOneFailureFailsEveryRecordAndStoresNothing() {
        String token = token();
        JsonArray results = array(upsert(token, UPSERT_BY_EMAIL, true,
                Map.of("Email", "ok@example.com", "LastName", "Ok"),
                Map.of("Email", "bad@example.com")));

        assertEquals("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                results.getJsonObject(0).getJsonArray("errors").getJsonObject(0).getString("statusCode"));
        assertFalse(results.getJsonObject(0).getBoolean("success"));
        assertEquals("REQUIRED_FIELD_MISSING",
                results.getJsonObject(1).getJsonArray("errors").getJsonObject(0).getString("statusCode"));
        assertTrue(salesforce.contacts().isEmpty());
        assertEquals(0, salesforce.recordsStored(), "a rolled-back call stored nothing");
    }

    @Test
    void rejectedRecordsFailWithTheGivenErrorCode() {
        salesforce.rejectRecords(record -> "dup@example.com".equals(record.get("Email")), "DUPLICATES_DETECTED",
                "Use one of these records?", List.of("Email"));
        JsonArray results = array(upsert(token(), UPSERT_BY_EMAIL, false,
                Map.of("Email", "dup@example.com", "LastName", "Dup"),
                Map.of("Email", "fine@example.com", "LastName", "Fine")));

        JsonObject error = results.getJsonObject(0).getJsonArray("errors").getJsonObject(0);
        assertFalse(results.getJsonObject(0).getBoolean("success"));
        assertEquals("DUPLICATES_DETECTED", error.getString("statusCode"));
        assertEquals("Use one of these records?", error.getString("message"));
        assertEquals("Email", error.getJsonArray("fields").getString(0));
        assertTrue(results.getJsonObject(1).getBoolean("success"));
    }

    @Test
    void moreThanTwoHundredRecordsAre400ExceededIdLimit() {
        List<Map<String, ?>> records = IntStream.range(0, 201)
                .<Map<String, ?>>mapToObj(i -> Map.of("Email", "g" + i + "@example.com", "LastName", "G"))
                .toList();

        HttpResponse<String> response = upsert(token(), UPSERT_BY_EMAIL, false, records);

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("EXCEEDED_ID_LIMIT", array(response).getJsonObject(0).getString("errorCode"));
        assertTrue(salesforce.contacts().isEmpty());
    }

    @Test
    void overTheApiAllowanceIs403RequestLimitExceededWithoutRetryAfter() {
        salesforce.dailyLimit(1);
        String token = token(); // token requests do not count

        HttpResponse<String> first = upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "a@example.com", "LastName", "A"));
        HttpResponse<String> second = upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "b@example.com", "LastName", "B"));

        assertEquals(200, first.statusCode());
        assertEquals("api-usage=1/1", header(first, "Sforce-Limit-Info"));
        assertEquals(403, second.statusCode(), second.body());
        JsonObject error = array(second).getJsonObject(0);
        assertEquals("REQUEST_LIMIT_EXCEEDED", error.getString("errorCode"));
        assertEquals("TotalRequests Limit exceeded.", error.getString("message"));
        assertTrue(second.headers().firstValue("Retry-After").isEmpty(), "Salesforce sends no Retry-After");
        assertEquals(200, requestToken(GOOD_CREDENTIALS).statusCode(), "the token endpoint is not limited");
    }

    @Test
    void deleteByIdsReportsEachIdAndRemembersDeletions() {
        String token = token();
        JsonArray created = array(upsert(token, UPSERT_BY_EMAIL, false,
                Map.of("Email", "a@example.com", "LastName", "A"), Map.of("Email", "b@example.com", "LastName", "B")));
        String a = created.getJsonObject(0).getString("id");
        String b = created.getJsonObject(1).getString("id");
        String unknown = SalesforceEmulator.withChecksum("003EM9999999999");

        HttpResponse<String> response = http.send(http.request("DELETE",
                        "/services/data/v60.0/composite/sobjects?ids=" + a + "," + unknown + "&allOrNone=false", null)
                .header("Authorization", "Bearer " + token).build());

        assertEquals(200, response.statusCode(), response.body());
        JsonArray results = array(response);
        assertTrue(results.getJsonObject(0).getBoolean("success"));
        assertEquals(a, results.getJsonObject(0).getString("id"));
        assertFalse(results.getJsonObject(1).getBoolean("success"));
        assertEquals(List.of(a), salesforce.deletedIds());
        assertEquals(List.of(b), List.copyOf(salesforce.contacts().keySet()));
    }

    /**
     * The index an upsert keys by follows every change: a contact whose Email another upsert (by Guest_Id__c) changed is
     * found by the new address and no longer by the old one; a deleted contact's address creates anew; a rolled-back
     * call leaves nothing behind.
     */
    @Test
    void upsertsFindContactsByTheirCurrentValuesAfterChangesDeletionsAndRollBacks() {
        String token = token();
        String byGuest = "/services/data/v60.0/composite/sobjects/Contact/Guest_Id__c";
        String ann = array(upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "ann@example.com", "LastName", "A", "Guest_Id__c", "g-1")))
                .getJsonObject(0).getString("id");
        array(upsert(token, byGuest, false, Map.of("Guest_Id__c", "g-1", "Email", "ann.new@example.com")));

        JsonObject byNewAddress = array(upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "ANN.NEW@example.com", "Phone", "1")))
                .getJsonObject(0);
        JsonObject byOldAddress = array(upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "ann@example.com", "LastName", "Old")))
                .getJsonObject(0);

        assertFalse(byNewAddress.getBoolean("created"), byNewAddress.toString());
        assertEquals(ann, byNewAddress.getString("id"));
        assertTrue(byOldAddress.getBoolean("created"), "nobody holds the old address any more");
        assertNotEquals(ann, byOldAddress.getString("id"));

        http.send(http.request("DELETE", "/services/data/v60.0/composite/sobjects?ids=" + ann, null)
                .header("Authorization", "Bearer " + token).build());
        JsonObject afterDeletion = array(upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "ann.new@example.com", "LastName", "A")))
                .getJsonObject(0);
        assertTrue(afterDeletion.getBoolean("created"), "the deleted contact's address is free");
        assertTrue(salesforce.contactWhere("Guest_Id__c", "g-1").isEmpty(), "nor is the deleted contact found by its other fields");

        JsonArray rolledBack = array(upsert(token, UPSERT_BY_EMAIL, true,
                Map.of("Email", "temp@example.com", "LastName", "T"), Map.of("Email", "nolastname@example.com")));
        assertFalse(rolledBack.getJsonObject(0).getBoolean("success"));
        assertTrue(array(upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "temp@example.com", "LastName", "T")))
                .getJsonObject(0).getBoolean("created"), "a rolled-back create left no key behind");
        assertEquals(3, salesforce.contactCount());
    }

    /** Two contacts may share a value of a field other than the key they were upserted by: the older one is found first. */
    @Test
    void aValueSharedByTwoContactsFindsTheOlderOneUntilItGoes() {
        String token = token();
        String byGuest = "/services/data/v60.0/composite/sobjects/Contact/Guest_Id__c";
        JsonArray created = array(upsert(token, byGuest, false, Map.of("Guest_Id__c", "g-1", "Email", "shared@example.com", "LastName", "A"),
                Map.of("Guest_Id__c", "g-2", "Email", "shared@example.com", "LastName", "B")));
        String older = created.getJsonObject(0).getString("id");
        String newer = created.getJsonObject(1).getString("id");

        assertEquals(older, array(upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "shared@example.com", "Phone", "1")))
                .getJsonObject(0).getString("id"));
        JsonObject query = object(http.send(http.request("GET", "/services/data/v60.0/query?q="
                + java.net.URLEncoder.encode("SELECT Id FROM Contact WHERE Email = 'SHARED@example.com'", java.nio.charset.StandardCharsets.UTF_8), null)
                .header("Authorization", "Bearer " + token).build()));
        assertEquals(2, query.getInt("totalSize"));
        assertEquals(List.of(older, newer), query.getJsonArray("records").getValuesAs(JsonObject.class).stream().map(r -> r.getString("Id")).toList());

        array(upsert(token, byGuest, false, Map.of("Guest_Id__c", "g-1", "Email", "moved@example.com")));

        assertEquals(newer, array(upsert(token, UPSERT_BY_EMAIL, false, Map.of("Email", "shared@example.com", "Phone", "2")))
                .getJsonObject(0).getString("id"));
        assertEquals("2", salesforce.contacts().get(newer).get("Phone"));
        assertEquals(older, salesforce.contactWhere("email", "moved@example.com").orElseThrow().get("Id"));
    }

    private static HttpResponse<String> requestToken(String form) {
        return http.send(http.request("POST", TOKEN, form)
                .header("Content-Type", "application/x-www-form-urlencoded").build());
    }

    private static String token() {
        return object(requestToken(GOOD_CREDENTIALS)).getString("access_token");
    }

    @SafeVarargs
    private static HttpResponse<String> upsert(String token, String path, boolean allOrNone, Map<String, ?>... records) {
        List<Map<String, ?>> list = new java.util.ArrayList<>();
        for (Map<String, ?> record : records) {
            list.add(record);
        }
        return upsert(token, path, allOrNone, list);
    }

    private static HttpResponse<String> upsert(String token, String path, boolean allOrNone, List<Map<String, ?>> records) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (Map<String, ?> record : records) {
            var json = Json.createObjectBuilder().add("attributes", Json.createObjectBuilder().add("type", "Contact"));
            new java.util.TreeMap<>(record).forEach((field, value) -> json.add(field, String.valueOf(value)));
            array.add(json);
        }
        String body = JsonSupport.write(Json.createObjectBuilder().add("allOrNone", allOrNone).add("records", array).build());
        return http.send(http.request("PATCH", path, body)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").build());
    }
}
