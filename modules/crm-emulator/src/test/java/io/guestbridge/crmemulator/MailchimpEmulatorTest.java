package io.guestbridge.crmemulator;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.guestbridge.crmemulator.TestHttp.header;
import static io.guestbridge.crmemulator.TestHttp.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailchimpEmulatorTest {

    private static final String LIST = "a1b2c3d4e5";
    private static final String JANE = "Jane@Example.com";
    private static final String JANE_HASH = MailchimpEmulator.subscriberHash(JANE);

    private static CrmEmulator emulator;
    private static MailchimpEmulator mailchimp;
    private static TestHttp http;

    @BeforeAll
    static void start() {
        emulator = CrmEmulator.start();
        mailchimp = emulator.mailchimp();
        http = new TestHttp(emulator.baseUrl());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void freshService() {
        emulator.reset();
        mailchimp.list(LIST);
    }

    @Test
    void theSubscriberHashIsTheMd5OfTheLowerCasedEmail() {
        // md5("jane@example.com"), computed independently
        assertEquals("9e26471d35a78862c17e467d87cddedf", MailchimpEmulator.subscriberHash(JANE));
    }

    @Test
    void putAddsAMemberAndThenUpdatesIt() {
        HttpResponse<String> added = put(memberPath(LIST, JANE_HASH),
                "{\"email_address\":\"" + JANE + "\",\"status_if_new\":\"subscribed\",\"merge_fields\":{\"FNAME\":\"Jane\"}}");

        assertEquals(200, added.statusCode(), added.body());
        JsonObject member = object(added);
        assertEquals(JANE_HASH, member.getString("id"));
        assertEquals(JANE, member.getString("email_address"));
        assertEquals("subscribed", member.getString("status"));
        assertEquals("Jane", member.getJsonObject("merge_fields").getString("FNAME"));
        assertEquals(LIST, member.getString("list_id"));

        HttpResponse<String> updated = put(memberPath(LIST, JANE_HASH),
                "{\"email_address\":\"" + JANE + "\",\"status_if_new\":\"pending\",\"merge_fields\":{\"LNAME\":\"Smith\"}}");

        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("subscribed", object(updated).getString("status"), "status_if_new applies to new members only");
        JsonObject read = object(send("GET", memberPath(LIST, JANE_HASH), null, MailchimpEmulator.DEFAULT_API_KEY));
        assertEquals("Jane", read.getJsonObject("merge_fields").getString("FNAME"), "merge fields are merged");
        assertEquals(1, mailchimp.memberCount(LIST));
        assertEquals(2, mailchimp.recordsStored(), "the add and the update each count: a benchmark sees duplicates");
        assertEquals("Smith", read.getJsonObject("merge_fields").getString("LNAME"));
        assertEquals(1, mailchimp.members(LIST).size());
    }

    @Test
    void aHashThatIsNotTheEmailsIs400AndStoresNothing() {
        HttpResponse<String> response = put(memberPath(LIST, MailchimpEmulator.subscriberHash("other@example.com")),
                "{\"email_address\":\"" + JANE + "\",\"status_if_new\":\"subscribed\"}");

        assertEquals(400, response.statusCode(), response.body());
        assertEquals(400, object(response).getInt("status"));
        assertTrue(mailchimp.members(LIST).isEmpty());
    }

    @Test
    void anUnknownListOrMemberIs404ProblemDetail() {
        HttpResponse<String> unknownList = put(memberPath("nolist", JANE_HASH),
                "{\"email_address\":\"" + JANE + "\",\"status_if_new\":\"subscribed\"}");
        HttpResponse<String> unknownMember = send("GET", memberPath(LIST, JANE_HASH), null, MailchimpEmulator.DEFAULT_API_KEY);

        for (HttpResponse<String> response : List.of(unknownList, unknownMember)) {
            assertEquals(404, response.statusCode());
            assertTrue(header(response, "Content-Type").startsWith("application/problem+json"));
            assertEquals("Resource Not Found", object(response).getString("title"));
        }
    }

    @Test
    void deleteOnlyArchivesWhileDeletePermanentErases() {
        put(memberPath(LIST, JANE_HASH), "{\"email_address\":\"" + JANE + "\",\"status_if_new\":\"subscribed\"}");

        HttpResponse<String> archived = send("DELETE", memberPath(LIST, JANE_HASH), null, MailchimpEmulator.DEFAULT_API_KEY);

        assertEquals(204, archived.statusCode());
        HttpResponse<String> stillThere = send("GET", memberPath(LIST, JANE_HASH), null, MailchimpEmulator.DEFAULT_API_KEY);
        assertEquals(200, stillThere.statusCode(), "an archived member is still on the list");
        assertEquals("archived", object(stillThere).getString("status"));
        assertEquals(List.of(new MailchimpEmulator.MemberRef(LIST, JANE, JANE_HASH)), mailchimp.archived());
        assertTrue(mailchimp.permanentlyDeleted().isEmpty());

        HttpResponse<String> erased = send("POST", memberPath(LIST, JANE_HASH) + "/actions/delete-permanent", null,
                MailchimpEmulator.DEFAULT_API_KEY);

        assertEquals(204, erased.statusCode(), erased.body());
        assertEquals(404, send("GET", memberPath(LIST, JANE_HASH), null, MailchimpEmulator.DEFAULT_API_KEY).statusCode());
        assertEquals(List.of(new MailchimpEmulator.MemberRef(LIST, JANE, JANE_HASH)), mailchimp.permanentlyDeleted());
        assertTrue(mailchimp.member(LIST, JANE).isEmpty());

        HttpResponse<String> reimport = put(memberPath(LIST, JANE_HASH),
                "{\"email_address\":\"" + JANE + "\",\"status_if_new\":\"subscribed\"}");
        assertEquals(400, reimport.statusCode(), "an erased address cannot be re-imported silently");
        assertEquals("Forgotten Email Not Subscribed", object(reimport).getString("title"));
    }

    @Test
    void aWrongApiKeyIs401ProblemDetail() {
        HttpResponse<String> response = send("GET", memberPath(LIST, JANE_HASH), null, "wrong-key");

        assertEquals(401, response.statusCode());
        JsonObject problem = object(response);
        assertEquals("API Key Invalid", problem.getString("title"));
        assertEquals(401, problem.getInt("status"));
        assertFalse(problem.getString("type").isBlank());
        assertFalse(problem.getString("detail").isBlank());
        assertFalse(problem.getString("instance").isBlank());

        mailchimp.apiKey("new-key-us6");
        assertEquals(404, send("GET", memberPath(LIST, JANE_HASH), null, "new-key-us6").statusCode());
    }

    @Test
    void overTheRateLimitIs429TooManyRequests() {
        mailchimp.rateLimit(1, Duration.ofSeconds(10));
        send("GET", memberPath(LIST, JANE_HASH), null, MailchimpEmulator.DEFAULT_API_KEY);

        HttpResponse<String> limited = send("GET", memberPath(LIST, JANE_HASH), null, MailchimpEmulator.DEFAULT_API_KEY);

        assertEquals(429, limited.statusCode());
        assertEquals("Too Many Requests", object(limited).getString("title"));
        assertEquals(429, object(limited).getInt("status"));
    }

    @Test
    void moreConcurrentRequestsThanAllowedAre429() throws Exception {
        mailchimp.maxConcurrent(2);
        mailchimp.slowNext(2, Duration.ofMillis(1500));
        List<CompletableFuture<HttpResponse<String>>> held = List.of(sendAsync(), sendAsync());
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (mailchimp.requestCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, mailchimp.requestCount(), "both slow requests arrived");

        HttpResponse<String> third = send("GET", memberPath(LIST, JANE_HASH), null, MailchimpEmulator.DEFAULT_API_KEY);

        assertEquals(429, third.statusCode(), third.body());
        assertEquals("Too Many Requests", object(third).getString("title"));
        for (CompletableFuture<HttpResponse<String>> request : held) {
            assertEquals(404, request.get().statusCode(), "the held requests were answered normally");
        }
    }

    @Test
    void batchSubscribeAddsAndUpdatesEachMemberAndReportsTheRefusedOnesInA200() {
        put(memberPath(LIST, JANE_HASH), "{\"email_address\":\"" + JANE + "\",\"status_if_new\":\"subscribed\",\"merge_fields\":{\"FNAME\":\"Jane\"}}");
        put(memberPath(LIST, MailchimpEmulator.subscriberHash("gone@example.com")), "{\"email_address\":\"gone@example.com\",\"status_if_new\":\"subscribed\"}");
        send("POST", memberPath(LIST, MailchimpEmulator.subscriberHash("gone@example.com")) + "/actions/delete-permanent", null,
                MailchimpEmulator.DEFAULT_API_KEY);
        long storedBefore = mailchimp.recordsStored();

        HttpResponse<String> response = batch(LIST, "{\"update_existing\":true,\"members\":["
                + "{\"email_address\":\"New@Example.com\",\"status_if_new\":\"unsubscribed\",\"merge_fields\":{\"FNAME\":\"Nia\"}},"
                + "{\"email_address\":\"jane@example.com\",\"status_if_new\":\"pending\",\"merge_fields\":{\"LNAME\":\"Smith\"}},"
                + "{\"email_address\":\"bad-status@example.com\",\"status\":\"happy\"},"
                + "{\"email_address\":\" \",\"status_if_new\":\"subscribed\"},"
                + "{\"email_address\":\"gone@example.com\",\"status_if_new\":\"subscribed\"},"
                + "{\"email_address\":\"no-status@example.com\"}]}");

        assertEquals(200, response.statusCode(), response.body());
        JsonObject answer = object(response);
        assertEquals(1, answer.getInt("total_created"));
        assertEquals(1, answer.getInt("total_updated"));
        assertEquals(4, answer.getInt("error_count"));
        JsonObject created = answer.getJsonArray("new_members").getJsonObject(0);
        assertEquals(MailchimpEmulator.subscriberHash("new@example.com"), created.getString("id"));
        assertEquals("unsubscribed", created.getString("status"));
        JsonObject updated = answer.getJsonArray("updated_members").getJsonObject(0);
        assertEquals(JANE_HASH, updated.getString("id"));
        assertEquals(JANE, updated.getString("email_address"), "the member as stored");
        assertEquals("subscribed", updated.getString("status"), "status_if_new applies to new members only");
        assertEquals("Jane", updated.getJsonObject("merge_fields").getString("FNAME"), "merge fields are merged");
        assertEquals("Smith", updated.getJsonObject("merge_fields").getString("LNAME"));

        List<JsonObject> errors = answer.getJsonArray("errors").getValuesAs(JsonObject.class);
        assertEquals(List.of("bad-status@example.com", " ", "gone@example.com", "no-status@example.com"),
                errors.stream().map(e -> e.getString("email_address")).toList());
        assertEquals(List.of("status", "email_address", "", "status_if_new"), errors.stream().map(e -> e.getString("field")).toList());
        assertTrue(errors.stream().allMatch(e -> e.getString("error_code").equals("ERROR_GENERIC") && !e.getString("error").isBlank()));
        assertTrue(errors.get(2).getString("error").contains("permanently deleted"), errors.get(2).toString());

        assertEquals(storedBefore + 2, mailchimp.recordsStored(), "the created and the updated member count, the refused ones do not");
        assertEquals(2, mailchimp.memberCount(LIST));
        assertTrue(mailchimp.member(LIST, "bad-status@example.com").isEmpty());
        assertTrue(mailchimp.member(LIST, "gone@example.com").isEmpty(), "an erased address is not re-imported by a batch either");
    }

    @Test
    void withoutUpdateExistingAnExistingMemberIsErrorContactExistsAndAnArchivedOneIsAddedAgain() {
        put(memberPath(LIST, JANE_HASH), "{\"email_address\":\"" + JANE + "\",\"status_if_new\":\"subscribed\"}");
        String archivedHash = MailchimpEmulator.subscriberHash("archived@example.com");
        put(memberPath(LIST, archivedHash), "{\"email_address\":\"archived@example.com\",\"status_if_new\":\"subscribed\"}");
        send("DELETE", memberPath(LIST, archivedHash), null, MailchimpEmulator.DEFAULT_API_KEY);

        JsonObject answer = object(batch(LIST, "{\"members\":[{\"email_address\":\"" + JANE + "\",\"status\":\"unsubscribed\"},"
                + "{\"email_address\":\"archived@example.com\",\"status\":\"unsubscribed\"}]}"));

        assertEquals(1, answer.getInt("error_count"));
        assertEquals("ERROR_CONTACT_EXISTS", answer.getJsonArray("errors").getJsonObject(0).getString("error_code"));
        assertEquals("subscribed", mailchimp.member(LIST, JANE).orElseThrow().get("status"), "not updated without update_existing");
        assertEquals(1, answer.getInt("total_created"), "an archived member is added again");
        assertEquals("unsubscribed", mailchimp.member(LIST, "archived@example.com").orElseThrow().get("status"));

        JsonObject updating = object(batch(LIST, "{\"update_existing\":true,\"members\":[{\"email_address\":\"" + JANE
                + "\",\"status\":\"unsubscribed\"}]}"));
        assertEquals(1, updating.getInt("total_updated"));
        assertEquals("unsubscribed", mailchimp.member(LIST, JANE).orElseThrow().get("status"));
    }

    @Test
    void aBatchOfMoreThan500MembersOrNotAMembersArrayIsRefusedWholeAndAnUnknownListIs404() {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i <= MailchimpEmulator.MAX_BATCH_MEMBERS; i++) {
            members.append(i == 0 ? "" : ",").append("{\"email_address\":\"m").append(i).append("@example.com\",\"status\":\"subscribed\"}");
        }

        HttpResponse<String> tooMany = batch(LIST, "{\"members\":[" + members + "]}");
        HttpResponse<String> notAnArray = batch(LIST, "{\"members\":{\"email_address\":\"a@example.com\"}}");
        HttpResponse<String> notJson = batch(LIST, "members");
        HttpResponse<String> unknownList = batch("nolist", "{\"members\":[]}");

        for (HttpResponse<String> refused : List.of(tooMany, notAnArray)) {
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(header(refused, "Content-Type").startsWith("application/problem+json"));
            assertEquals("Invalid Resource", object(refused).getString("title"));
            assertEquals("members", object(refused).getJsonArray("errors").getJsonObject(0).getString("field"));
        }
        assertEquals(400, notJson.statusCode());
        assertEquals("JSON Parse Error", object(notJson).getString("title"));
        assertEquals(404, unknownList.statusCode());
        assertEquals(0, mailchimp.memberCount(LIST));
        assertEquals(0, mailchimp.recordsStored());

        String exactly500 = members.substring(0, members.lastIndexOf(",{"));
        JsonObject full = object(batch(LIST, "{\"members\":[" + exactly500 + "]}"));
        assertEquals(MailchimpEmulator.MAX_BATCH_MEMBERS, full.getInt("total_created"));
        assertEquals(MailchimpEmulator.MAX_BATCH_MEMBERS, mailchimp.memberCount(LIST));
    }

    @Test
    void aBatchCallIsOneRequestForTheRateLimitAndForInjectedFaults() {
        String one = "{\"members\":[{\"email_address\":\"a@example.com\",\"status\":\"subscribed\"},"
                + "{\"email_address\":\"b@example.com\",\"status\":\"subscribed\"}]}";
        mailchimp.failNext(1, 503, r -> r.path().equals("/3.0/lists/" + LIST));

        HttpResponse<String> failed = batch(LIST, one);

        assertEquals(503, failed.statusCode());
        assertEquals(503, object(failed).getInt("status"));
        assertEquals(0, mailchimp.memberCount(LIST), "an injected failure stores nothing");

        mailchimp.rateLimit(1, Duration.ofSeconds(10));
        assertEquals(200, batch(LIST, one).statusCode());
        HttpResponse<String> limited = batch(LIST, "{\"members\":[{\"email_address\":\"c@example.com\",\"status\":\"subscribed\"}]}");

        assertEquals(429, limited.statusCode());
        assertEquals("Too Many Requests", object(limited).getString("title"));
        assertEquals(2, mailchimp.memberCount(LIST), "the two members of the one allowed call");
        assertEquals(2, mailchimp.recordsStored());
        assertEquals(3, mailchimp.requestCount());
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync() {
        return http.client().sendAsync(http.request("GET", memberPath(LIST, JANE_HASH), null)
                .header("Authorization", basic(MailchimpEmulator.DEFAULT_API_KEY)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String memberPath(String listId, String hash) {
        return "/3.0/lists/" + listId + "/members/" + hash;
    }

    private static HttpResponse<String> batch(String listId, String body) {
        return send("POST", "/3.0/lists/" + listId, body, MailchimpEmulator.DEFAULT_API_KEY);
    }

    private static HttpResponse<String> put(String path, String body) {
        return send("PUT", path, body, MailchimpEmulator.DEFAULT_API_KEY);
    }

    private static HttpResponse<String> send(String method, String path, String body, String apiKey) {
        var request = http.request(method, path, body).header("Authorization", basic(apiKey));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build());
    }

    private static String basic(String apiKey) {
        return "Basic " + Base64.getEncoder().encodeToString(("anystring:" + apiKey).getBytes(StandardCharsets.UTF_8));
    }
}
