package io.guestbridge.app.it;

import io.guestbridge.crmemulator.CrmEmulator;
import io.guestbridge.crmemulator.RecordedRequest;
import io.guestbridge.launcher.EmbeddedMariaDb;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CRM sync against the loopback HubSpot emulator (every request checked against HubSpot's published
 * OpenAPI document): batched upserts of at most 100, consent-gated marketing flags, rate limits and 5xx
 * waited out, per-record refusals dead-lettered alone and replayed after a fix, and a connector with a
 * bad mapping disabled alone.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CrmSyncIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    private static CrmEmulator crm() {
        return ItEnvironment.crm();
    }

    @Test
    void guestsReachHubSpotInBatchesOfAtMost100WithTheirMarketingFlag() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> emails = login(app, "batch-" + run, 250, true);
        await(() -> emails.stream().allMatch(e -> crm().hubspot().contact(e).isPresent()), "all 250 guests in HubSpot");
        Map<String, String> jane = crm().hubspot().contact(emails.get(0)).orElseThrow();
        assertEquals("true", jane.get("guestbridge_marketing"), "consent granted with a published wording: marketing on");
        assertEquals("1", jane.get("guestbridge_visits"));
        assertEquals("Jane", jane.get("firstname"));
        int largest = 0;
        for (RecordedRequest request : crm().hubspot().requests()) {
            if (request.path().endsWith("/batch/upsert")) {
                largest = Math.max(largest, Deployed.parse(request.body()).asJsonObject().getJsonArray("inputs").size());
            }
        }
        assertTrue(largest <= 100, "no request carries more than 100 inputs: " + largest);
        assertTrue(largest > 1, "requests are batched: " + largest);
        assertEquals(List.of(), crm().hubspot().contractViolations(), "every request matched HubSpot's published contract");

        // a withdrawal reaches the CRM within a batch interval
        String guest = ProcessingIT.find(app, emails.get(0));
        HttpResponse<String> withdrawn = app.post("/api/v1/guests/" + guest + "/consent/withdrawals", Deployed.token("operator"),
                "application/json", "{\"purpose\":\"marketing_email\",\"channel\":\"unsubscribe link\"}");
        assertEquals(200, withdrawn.statusCode(), withdrawn.body());
        await(() -> "false".equals(crm().hubspot().contact(emails.get(0)).orElseThrow().get("guestbridge_marketing")), "marketing off in HubSpot");

        JsonArray connectors = Deployed.parse(app.get("/api/v1/crm/connectors", Deployed.token("operator")).body()).asJsonArray();
        JsonObject hubspot = connectors.stream().map(v -> v.asJsonObject()).filter(c -> c.getString("connector").equals("hubspot-main")).findFirst().orElseThrow();
        assertEquals("UP", hubspot.getString("state"));
        assertTrue(hubspot.getJsonNumber("createdToday").longValue() >= 250, hubspot.toString());
    }

    @Test
    void rateLimitsAndServerErrorsAreWaitedOutAndNothingIsLost() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        crm().hubspot().rateLimit(1, Duration.ofSeconds(2));
        crm().hubspot().failNext(2, 503);
        try {
            List<String> emails = login(app, "limited-" + run, 120, false);
            await(() -> emails.stream().allMatch(e -> crm().hubspot().contact(e).isPresent()), "all 120 guests in HubSpot despite 429s and 503s");
            long limited = crm().hubspot().requests().stream().filter(r -> r.path().endsWith("/batch/upsert")).count();
            assertTrue(limited >= 2, "several requests were needed");
            // Retry-After honoured by every batch of the connector, not only by the one that was told: after each 429
            // none of this test's upserts arrived before the time it named
            List<java.time.Instant> ours = crm().hubspot().requests().stream()
                    .filter(r -> r.path().endsWith("/batch/upsert") && r.body().contains("limited-" + run)).map(RecordedRequest::receivedAt).toList();
            List<io.guestbridge.crmemulator.ServiceEmulator.Refusal> refusals = crm().hubspot().refusals();
            assertFalse(refusals.isEmpty(), "HubSpot's limit answered 429");
            for (io.guestbridge.crmemulator.ServiceEmulator.Refusal refusal : refusals) {
                java.time.Instant until = refusal.at().plus(refusal.retryAfter()).minusMillis(50);
                assertTrue(ours.stream().noneMatch(at -> at.isAfter(refusal.at()) && at.isBefore(until)),
                        "an upsert came before the Retry-After of the 429 at " + refusal.at() + " had passed");
            }
            assertNull(crm().hubspot().contact(emails.get(0)).orElseThrow().get("guestbridge_marketing"),
                    "declined is not withdrawn: no marketing flag is sent, what the CRM holds stays");
        } finally {
            crm().hubspot().rateLimit(100_000, Duration.ofSeconds(1));
        }
    }

    @Test
    void aRecordTheCrmRefusesIsDeadLetteredAloneAndReplayedAfterTheFix() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        crm().hubspot().rejectEmails(e -> e.startsWith("refused-" + run), "Property values were not valid");
        List<String> good = login(app, "accepted-" + run, 5, true);
        List<String> bad = login(app, "refused-" + run, 2, true);
        await(() -> good.stream().allMatch(e -> crm().hubspot().contact(e).isPresent()), "the good records stored");
        await(() -> deadLetters(app).size() >= 2, "the two refused records dead-lettered");
        JsonArray dead = deadLetters(app);
        assertTrue(dead.toString().contains("not valid"), dead.toString());
        // each refused contact is a letter of its own, whether it was sent alone or with others, stored or refused
        for (var letter : dead) {
            assertEquals(1, letter.asJsonObject().getJsonArray("guests").size(), dead.toString());
            assertEquals(letter.asJsonObject().getJsonArray("guests").getString(0), letter.asJsonObject().getString("guest"), dead.toString());
        }
        assertFalse(dead.toString().contains("refused-" + run), "dead letters show no email: " + dead);
        crm().hubspot().rejectEmails(e -> false, "");
        for (var letter : dead) {
            long id = letter.asJsonObject().getJsonNumber("id").longValue();
            assertEquals(200, app.post("/api/v1/crm/dead-letters/" + id + "/replay?connector=hubspot-main", Deployed.token("operator"),
                    "application/json", "").statusCode());
        }
        await(() -> bad.stream().allMatch(e -> crm().hubspot().contact(e).isPresent()), "replayed after the fix");
        assertEquals(403, app.get("/api/v1/crm/dead-letters?connector=hubspot-main", Deployed.token("integration")).statusCode());
    }

    @Test
    void theCircuitOpensWhileHubSpotIsDownAndClosesWhenItRecovers() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        crm().hubspot().failNext(6, 503);
        List<String> emails = login(app, "circuit-" + run, 3, false);
        await(() -> "OPEN".equals(hubspotStatus(app).getString("circuit")), "the circuit opens after repeated 503s");
        await(() -> emails.stream().allMatch(e -> crm().hubspot().contact(e).isPresent()), "delivered once HubSpot answers again");
        await(() -> "CLOSED".equals(hubspotStatus(app).getString("circuit")), "the circuit closes after a successful trial");
        assertEquals(0, deadLetters(app).stream().filter(d -> d.toString().contains("circuit")).count(), "waiting on the circuit kills nothing");
    }

    /**
     * The HubSpot call runs under MicroProfile Fault Tolerance's time limit, set to 3 s for this server by
     * configuration (below the connector's 10 s HTTP timeout): a request the CRM holds for 8 s, though HubSpot
     * then answers 200, is cut off at the time limit (logged without a status after 3 s, not 8), and the
     * batch is sent again. Were the annotation not in effect (no interceptor bound, a call from inside the
     * bean, the configured value not read), the held call would be logged with HubSpot's 200 and nothing
     * would be sent again; were the timer unable to run beside the worker (Payara's one-thread default
     * scheduled executor), the call would be logged as timed out only after the full 8 s.
     */
    @Test
    void aHubSpotCallPastItsTimeLimitIsReportedTimedOutAndSentAgain() throws Exception {
        Deployed app = new Deployed(url);
        String prefix = "hanging-" + UUID.randomUUID().toString().substring(0, 8);
        Duration held = Duration.ofSeconds(8);
        LocalDateTime since = LocalDateTime.now(ZoneOffset.UTC).minusSeconds(1);
        crm().hubspot().slowNext(1, held, r -> r.path().endsWith("/batch/upsert") && r.body().contains(prefix));
        List<String> emails = login(app, prefix, 1, true);
        await(() -> upsertsCarrying(prefix).size() >= 2, "the batch sent again after the time limit");
        await(() -> crm().hubspot().contact(emails.get(0)).isPresent(), "in HubSpot");
        List<String> calls = requestLog(since);
        assertTrue(calls.stream().anyMatch(call -> call.startsWith("0,") && Long.parseLong(call.substring(call.lastIndexOf(',') + 1)) >= 3_000
                        && Long.parseLong(call.substring(call.lastIndexOf(',') + 1)) < 7_000),
                "the held call is cut off at its 3 s limit and logged as timed out (no status), not with HubSpot's answer "
                        + "after 8 s; HubSpot calls since (status, records, ms): " + calls);
    }

    /** The request log of hubspot-main since then: status, records, latency in ms. */
    private static List<String> requestLog(LocalDateTime since) throws SQLException {
        List<String> calls = new ArrayList<>();
        try (Connection c = ItEnvironment.dataConnection();
             PreparedStatement s = c.prepareStatement("SELECT status, records, latency_ms FROM crm_request_log "
                     + "WHERE connector = 'hubspot-main' AND at >= ? ORDER BY id")) {
            s.setObject(1, since);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    calls.add(rs.getInt(1) + "," + rs.getInt(2) + "," + rs.getLong(3));
                }
            }
        }
        return calls;
    }

    private static List<RecordedRequest> upsertsCarrying(String text) {
        return crm().hubspot().requests().stream().filter(r -> r.path().endsWith("/batch/upsert") && r.body().contains(text)).toList();
    }

    @Test
    void aReturningGuestIsUpdatedNeverDuplicated() throws Exception {
        Deployed app = new Deployed(url);
        String email = "returning-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "returning " + email).getString("signingSecret");
        for (String day : List.of("2026-11-20", "2026-11-22")) {
            HttpResponse<String> response = ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret, "ret-" + email + day,
                    "{\"email\":\"" + email + "\",\"full_name\":\"Jane Smith\",\"connect_time\":\"" + day + "T10:00:00Z\",\"venue_name\":\"Crm Hall\"}");
            assertEquals(200, response.statusCode(), response.body());
            await(() -> crm().hubspot().contact(email).isPresent(), "in HubSpot");
        }
        await(() -> "2".equals(crm().hubspot().contact(email).orElseThrow().get("guestbridge_visits")), "the second visit reaches HubSpot");
        long contacts = crm().hubspot().contacts().values().stream().filter(c -> email.equals(c.get("email"))).count();
        assertEquals(1, contacts, "one contact, updated");
        List<RecordedRequest> mine = crm().hubspot().requests().stream().filter(r -> r.body().contains(email)).toList();
        assertTrue(mine.size() >= 2, "created, then updated");
        assertFalse(mine.get(mine.size() - 1).body().contains("\"firstname\""), "an update leaves the CRM-master name alone");
    }

    @Test
    void consentingGuestsReachSalesforceAndMailchimpAndAWithdrawalUnsubscribes() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> consenting = login(app, "sfmc-" + run, 3, true);
        List<String> declined = login(app, "nosfmc-" + run, 2, false);
        await(() -> consenting.stream().allMatch(e -> crm().salesforce().contactWhere("Email", e).isPresent()), "in Salesforce");
        await(() -> consenting.stream().allMatch(e -> crm().mailchimp().member("guests", e).isPresent()), "in Mailchimp");
        assertEquals("Smith", crm().salesforce().contactWhere("Email", consenting.get(0)).orElseThrow().get("LastName"));
        assertEquals("subscribed", crm().mailchimp().member("guests", consenting.get(0)).orElseThrow().get("status"));
        assertTrue(crm().salesforce().tokensIssued() >= 1, "an OAuth client-credentials token was used");
        await(() -> declined.stream().allMatch(e -> crm().hubspot().contact(e).isPresent()), "declined guests still reach HubSpot (configured so)");
        assertTrue(declined.stream().noneMatch(e -> crm().mailchimp().member("guests", e).isPresent()),
                "Mailchimp is configured to receive consenting guests only");

        String guest = ProcessingIT.find(app, consenting.get(0));
        assertEquals(200, app.post("/api/v1/guests/" + guest + "/consent/withdrawals", Deployed.token("operator"), "application/json",
                "{\"purpose\":\"marketing_email\",\"channel\":\"unsubscribe link\"}").statusCode());
        await(() -> "unsubscribed".equals(crm().mailchimp().member("guests", consenting.get(0)).orElseThrow().get("status")),
                "the withdrawal unsubscribes the member in Mailchimp");
    }

    @Test
    void anUnsubscribeInMailchimpIsAWithdrawalThatReachesHubSpotAndSalesforce() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = login(app, "unsub-" + run, 1, true).get(0);
        await(() -> crm().mailchimp().member("guests", email).isPresent() && crm().salesforce().contactWhere("Email", email).isPresent()
                && "true".equals(crm().hubspot().contact(email).map(c -> c.get("guestbridge_marketing")).orElse(null)), "in all three CRMs");
        Map<String, String> granted = crm().hubspot().contact(email).orElseThrow();
        JsonObject grant = Deployed.json(app.get("/api/v1/guests/" + ProcessingIT.find(app, email) + "/consent", Deployed.token("dpo")))
                .getJsonArray("decisions").getJsonObject(0);
        assertEquals("portal-marketing", granted.get("guestbridge_consent_wording"), "the proof travels with the contact");
        assertEquals("4", granted.get("guestbridge_consent_wording_version"));
        assertEquals(java.time.Instant.parse(grant.getString("capturedAt")), java.time.Instant.parse(granted.get("guestbridge_consent_at")));
        assertEquals(grant.getString("channel"), granted.get("guestbridge_consent_channel"));
        String hook = "/api/v1/crm-events/mailchimp-main/mailchimp/it-mailchimp-webhook-secret";
        assertEquals(200, app.get(hook, null).statusCode(), "Mailchimp's URL check");
        assertEquals(404, app.get("/api/v1/crm-events/mailchimp-main/mailchimp/a-guess", null).statusCode(), "a wrong secret is no listener");

        crm().mailchimp().webhook("guests", app.uri(hook));
        // Mailchimp's fired_at has whole seconds: an unsubscribe in the second of the grant would read as older than it
        Thread.sleep(1_000);
        assertEquals(200, crm().mailchimp().unsubscribe("guests", email, "manual"), "Mailchimp's webhook is taken");

        await(() -> "false".equals(crm().hubspot().contact(email).orElseThrow().get("guestbridge_marketing")), "marketing off in HubSpot");
        assertEquals("crm:mailchimp-main/unsubscribe", crm().hubspot().contact(email).orElseThrow().get("guestbridge_consent_channel"),
                "HubSpot shows why marketing stopped");
        await(() -> "true".equals(String.valueOf(crm().salesforce().contactWhere("Email", email).orElseThrow().get("HasOptedOutOfEmail"))),
                "opted out in Salesforce");
        String guest = ProcessingIT.find(app, email);
        JsonObject consent = Deployed.json(app.get("/api/v1/guests/" + guest + "/consent", Deployed.token("dpo")));
        assertEquals("WITHDRAWN", consent.getJsonObject("currentState").getString("marketing_email"));
        JsonObject withdrawal = consent.getJsonArray("decisions").getJsonObject(consent.getJsonArray("decisions").size() - 1);
        assertEquals("crm:mailchimp-main/unsubscribe", withdrawal.getString("channel"));
        assertEquals("manual", withdrawal.getJsonObject("evidence").getString("reason"));
        assertTrue(consent.getBoolean("chainIntact"));

        assertEquals(200, crm().mailchimp().unsubscribe("guests", email, "manual"), "a second unsubscribe (or the echo of ours)");
        JsonObject again = Deployed.json(app.get("/api/v1/guests/" + guest + "/consent", Deployed.token("dpo")));
        assertEquals(consent.getJsonArray("decisions").size(), again.getJsonArray("decisions").size(), "no second withdrawal");
        HttpResponse<String> garbled = app.send(app.request(hook, null).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("type=unsubscribe&fired_at=soon&data%5Bemail%5D=x%40example.com")).build());
        assertEquals(400, garbled.statusCode(), garbled.body());
        assertTrue(garbled.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), garbled.body());
    }

    private static JsonObject hubspotStatus(Deployed app) {
        JsonArray connectors = Deployed.parse(app.get("/api/v1/crm/connectors", Deployed.token("operator")).body()).asJsonArray();
        return connectors.stream().map(v -> v.asJsonObject()).filter(c -> c.getString("connector").equals("hubspot-main")).findFirst().orElseThrow();
    }

    @Test
    void aConnectorWithABadMappingIsDisabledAloneAndSaysWhy() {
        Deployed app = new Deployed(url);
        JsonArray connectors = Deployed.parse(app.get("/api/v1/crm/connectors", Deployed.token("operator")).body()).asJsonArray();
        JsonObject broken = connectors.stream().map(v -> v.asJsonObject()).filter(c -> c.getString("connector").equals("broken-crm")).findFirst().orElseThrow();
        assertEquals("DISABLED", broken.getString("state"));
        assertTrue(broken.getJsonArray("problems").toString().contains("Last_Visit_Duration__c"), "the problem names the field: " + broken);
        HttpResponse<String> ready = app.get("/health/ready", null);
        assertEquals(200, ready.statusCode(), "a broken CRM connector does not make guestbridge unready");
        assertTrue(ready.body().contains("broken-crm") && ready.body().contains("DISABLED"), ready.body());
    }

    private static JsonArray deadLetters(Deployed app) {
        HttpResponse<String> response = app.get("/api/v1/crm/dead-letters?connector=hubspot-main", Deployed.token("operator"));
        assertEquals(200, response.statusCode(), response.body());
        return Deployed.parse(response.body()).asJsonArray();
    }

    /**
     * Per-connector triggers on hubspot-main, set through the API and put back to all four afterwards: with STAY a guest
     * who only logs in is not sent, and is sent after a booking; with FIRST_LOGIN the first login goes and a return visit
     * does not; a withdrawal goes although CONSENT_CHANGE is not among the triggers. Mailchimp (every trigger, consenting
     * guests only) shows when a change was fanned out, so the absence in HubSpot is checked after its item was worked.
     */
    @Test
    void eachConnectorSyncsOnItsOwnTriggersAndAWithdrawalWhateverTheyAre() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String operator = Deployed.token("operator");
        HttpResponse<String> unknown = putTriggers(app, "hubspot-main", "[\"STAY\",\"checkout\"]", operator);
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), unknown.body());
        assertTrue(unknown.body().contains("checkout") && unknown.body().contains("FIRST_LOGIN, RETURN_VISIT, STAY, CONSENT_CHANGE"),
                "the problem names the unknown trigger and lists the allowed ones: " + unknown.body());
        assertEquals(400, putTriggers(app, "hubspot-main", "[]", operator).statusCode(), "at least one trigger");
        assertEquals(404, putTriggers(app, "no-such-crm", "[\"STAY\"]", operator).statusCode());
        assertEquals(403, putTriggers(app, "hubspot-main", "[\"STAY\"]", Deployed.token("integration")).statusCode());
        assertEquals(List.of("FIRST_LOGIN", "RETURN_VISIT", "STAY", "CONSENT_CHANGE"), triggersOf(app, "hubspot-main"), "all four by default");
        try {
            HttpResponse<String> stays = putTriggers(app, "hubspot-main", "[\"stay\"]", operator);
            assertEquals(200, stays.statusCode(), stays.body());
            assertEquals("{\"triggers\":[\"STAY\"]}", stays.body().replace(" ", ""));
            assertEquals(List.of("STAY"), triggersOf(app, "hubspot-main"));
            double skippedBefore = metric(app, "guestbridge_crm_records_skipped_total", "hubspot-main");

            String stayer = login(app, "trg-stay-" + run, 1, true).get(0);
            String stayerId = awaitWorked(app, stayer);
            assertTrue(crm().hubspot().contact(stayer).isEmpty(), "a WiFi login is no stay: not sent to a connector for stays");
            assertTrue(metric(app, "guestbridge_crm_records_skipped_total", "hubspot-main") > skippedBefore, "the skip is counted");
            JsonObject hotel = ProcessingIT.registerSigned(app, "BOOKING", "triggers " + run);
            String booking = "{\"type\": \"reservation.confirmed\", \"occurredAt\": \"2026-11-25T08:00:00Z\", \"reservation\": {\"id\": \"R-trg-"
                    + run + "\", \"status\": \"confirmed\", \"arrival\": \"2026-12-24T15:00\", \"departure\": \"2026-12-27T11:00\", "
                    + "\"timeZone\": \"Europe/London\", \"room\": \"12\", \"adults\": 1}, \"guest\": {\"id\": \"G-trg\", \"email\": \""
                    + stayer + "\", \"firstName\": \"Jane\", \"lastName\": \"Smith\"}}";
            assertEquals(200, ProcessingIT.signedPost(app, hotel.getString("webhookPath"), hotel.getString("signingSecret"), "bk-trg-" + run, booking)
                    .statusCode());
            await(() -> crm().hubspot().contact(stayer).isPresent(), "the booking sends the guest to the connector for stays");
            // the trail shows a record once the sequencer has numbered it, a moment after the sync's commit
            java.util.function.Supplier<HttpResponse<String>> synced = () -> app.get("/api/v1/audit/records?subject=guest:" + stayerId
                    + "&action=CRM_CONTACT_SYNCED", Deployed.token("compliance-officer"));
            java.util.function.ToLongFunction<HttpResponse<String>> toHubSpot = r -> Deployed.json(r).getJsonArray("records").stream()
                    .filter(record -> record.toString().contains("hubspot-main")).count();
            await(() -> toHubSpot.applyAsLong(synced.get()) >= 1, "the sync to the connector for stays is audited");
            HttpResponse<String> audited = synced.get();
            assertEquals(200, audited.statusCode(), audited.body());
            assertEquals(1, toHubSpot.applyAsLong(audited), "the sync is audited, the skip was not: " + audited.body());

            assertEquals(200, putTriggers(app, "hubspot-main", "[\"FIRST_LOGIN\"]", operator).statusCode());
            String first = login(app, "trg-first-" + run, 1, true).get(0);
            await(() -> "1".equals(crm().hubspot().contact(first).map(c -> c.get("guestbridge_visits")).orElse(null)),
                    "the first login reaches the connector for first logins");
            int requestsBefore = crm().hubspot().requests().size();
            String secret = ProcessingIT.registerSigned(app, "GENERIC", "triggers return " + run).getString("signingSecret");
            HttpResponse<String> back = ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret, "trg-back-" + run,
                    "{\"email\":\"" + first + "\",\"connect_time\":\"2026-11-27T10:00:00Z\",\"venue_name\":\"Crm Hall\"}");
            assertEquals(200, back.statusCode(), back.body());
            String firstId = ProcessingIT.find(app, first);
            await(() -> visits(app, firstId) == 2, "the return visit recorded");
            awaitWorked(app, first);
            assertEquals("1", crm().hubspot().contact(first).orElseThrow().get("guestbridge_visits"), "a return visit is not a first login");
            assertTrue(crm().hubspot().requests().subList(requestsBefore, crm().hubspot().requests().size()).stream()
                    .noneMatch(r -> r.body().contains(first)), "nothing about the guest was sent");

            assertEquals(200, app.post("/api/v1/guests/" + firstId + "/consent/withdrawals", operator, "application/json",
                    "{\"purpose\":\"marketing_email\",\"channel\":\"unsubscribe link\"}").statusCode());
            await(() -> "false".equals(crm().hubspot().contact(first).orElseThrow().get("guestbridge_marketing")),
                    "the withdrawal reaches a connector whose triggers leave out consent changes");
        } finally {
            assertEquals(200, putTriggers(app, "hubspot-main", "[\"FIRST_LOGIN\",\"RETURN_VISIT\",\"STAY\",\"CONSENT_CHANGE\"]", operator)
                    .statusCode());
        }
    }

    /**
     * A rectification reaches a connector whatever its triggers (Art. 19: each recipient is told), once: hubspot-main on
     * STAY only receives a guest with a booking, then the guest's corrected last name (a CRM-master field, which an
     * ordinary update leaves alone), and is not sent the return visit that follows.
     */
    @Test
    void aRectificationReachesAConnectorWhateverItsTriggersAndOnlyOnce() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String operator = Deployed.token("operator");
        try {
            assertEquals(200, putTriggers(app, "hubspot-main", "[\"STAY\"]", operator).statusCode());
            String guest = login(app, "rect-" + run, 1, true).get(0);
            String guestId = awaitWorked(app, guest);
            assertTrue(crm().hubspot().contact(guest).isEmpty(), "a WiFi login is no stay");
            JsonObject hotel = ProcessingIT.registerSigned(app, "BOOKING", "rectify " + run);
            String booking = "{\"type\": \"reservation.confirmed\", \"occurredAt\": \"2026-11-25T08:00:00Z\", \"reservation\": {\"id\": \"R-rect-"
                    + run + "\", \"status\": \"confirmed\", \"arrival\": \"2026-12-24T15:00\", \"departure\": \"2026-12-27T11:00\", "
                    + "\"timeZone\": \"Europe/London\", \"room\": \"14\", \"adults\": 1}, \"guest\": {\"id\": \"G-rect\", \"email\": \""
                    + guest + "\", \"firstName\": \"Jane\", \"lastName\": \"Smith\"}}";
            assertEquals(200, ProcessingIT.signedPost(app, hotel.getString("webhookPath"), hotel.getString("signingSecret"), "bk-rect-" + run, booking)
                    .statusCode());
            await(() -> crm().hubspot().contact(guest).isPresent(), "the booking sends the guest to the connector for stays");
            assertEquals("Smith", crm().hubspot().contact(guest).orElseThrow().get("lastname"));

            HttpResponse<String> rectified = app.post("/api/v1/guests/" + guestId + "/rectifications", operator, "application/json",
                    "{\"field\":\"LAST_NAME\",\"value\":\"Smythe\",\"requestedBySubject\":true}");
            assertEquals(200, rectified.statusCode(), rectified.body());
            await(() -> "Smythe".equals(crm().hubspot().contact(guest).orElseThrow().get("lastname")),
                    "the rectified last name reaches a connector whose triggers are STAY only");

            int requestsBefore = crm().hubspot().requests().size();
            String secret = ProcessingIT.registerSigned(app, "GENERIC", "rectify return " + run).getString("signingSecret");
            HttpResponse<String> back = ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret, "rect-back-" + run,
                    "{\"email\":\"" + guest + "\",\"connect_time\":\"2026-11-27T10:00:00Z\",\"venue_name\":\"Crm Hall\"}");
            assertEquals(200, back.statusCode(), back.body());
            await(() -> visits(app, guestId) == 2, "the return visit recorded");
            awaitWorked(app, guest);
            assertTrue(crm().hubspot().requests().subList(requestsBefore, crm().hubspot().requests().size()).stream()
                    .noneMatch(r -> r.body().contains(guest)), "a rectification already sent is no reason to send a return visit");
            assertEquals("Smythe", crm().hubspot().contact(guest).orElseThrow().get("lastname"));
        } finally {
            assertEquals(200, putTriggers(app, "hubspot-main", "[\"FIRST_LOGIN\",\"RETURN_VISIT\",\"STAY\",\"CONSENT_CHANGE\"]", operator)
                    .statusCode());
        }
    }

    private static HttpResponse<String> putTriggers(Deployed app, String connector, String triggers, String token) {
        return app.send(app.request("/api/v1/crm/connectors/" + connector + "/triggers", token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"triggers\":" + triggers + "}")).build());
    }

    private static List<String> triggersOf(Deployed app, String connector) {
        JsonArray connectors = Deployed.parse(app.get("/api/v1/crm/connectors", Deployed.token("operator")).body()).asJsonArray();
        return connectors.stream().map(v -> v.asJsonObject()).filter(c -> c.getString("connector").equals(connector)).findFirst().orElseThrow()
                .getJsonArray("triggers").getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList();
    }

    private static int visits(Deployed app, String guest) {
        HttpResponse<String> response = app.get("/api/v1/guests/" + guest + "/visits", Deployed.token("dpo"));
        return response.statusCode() != 200 ? -1 : Deployed.json(response).getJsonObject("summary").getInt("visits");
    }

    /**
     * Waits until the guest's latest change was fanned out (a consenting guest's change reaches Mailchimp, on every
     * trigger) and hubspot-main's item for the guest was worked (its queue holds none); returns the guest's id.
     */
    private static String awaitWorked(Deployed app, String email) throws Exception {
        await(() -> crm().mailchimp().member("guests", email).isPresent(), "fanned out (in Mailchimp)");
        String guest = ProcessingIT.find(app, email);
        await(() -> {
            try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement(
                    "SELECT COUNT(*) FROM plt_work_item WHERE queue IN ('crm-sync', 'crm:hubspot-main') AND (coalesce_key = ? OR payload LIKE ?)")) {
                // an item of several contacts has no coalesce key: the guest is found in its payload
                s.setString(1, "guest:" + guest);
                s.setString(2, "%\"" + guest + "\"%");
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 0;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "hubspot-main's item for the guest worked");
        return guest;
    }

    /** Guests logging in through a signed generic source; with consent, the grant names a published wording. */
    private static List<String> login(Deployed app, String prefix, int count, boolean consent) {
        ProcessingIT.publishWording(app, "portal-marketing", "4", "marketing_email");
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "crm " + prefix).getString("signingSecret");
        List<String> emails = new ArrayList<>();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            String email = prefix + "-" + i + "@example.com";
            emails.add(email);
            batch.append(batch.length() > 1 ? "," : "").append("{\"email\":\"").append(email).append("\",\"full_name\":\"Jane Smith\",")
                    .append("\"connect_time\":\"2026-11-24T10:00:00Z\",\"venue_name\":\"Crm Hall\"")
                    .append(consent ? ",\"marketing_consent\":true,\"consent_wording_id\":\"portal-marketing\",\"consent_wording_version\":\"4\"" : "")
                    .append("}");
        }
        HttpResponse<String> response = ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret, "crm-" + prefix, batch.append("]").toString());
        assertEquals(200, response.statusCode(), response.body());
        return emails;
    }

    /**
     * A real InnoDB deadlock on a connector's budget row, lost by the budget take (a short transaction carrying
     * {@code @Retry}): the take is run again in a new transaction and commits once. A take locks the row and updates
     * it; a trigger made for this test has that update also update a gate row, which the test's transaction holds.
     * The take then holds the budget row and waits for the gate, and the test, asking for the budget row, closes the
     * cycle. The test's transaction has written more than the take, so InnoDB rolls the take back, not the test.
     */
    @Test
    void aBudgetTakeThatLosesADeadlockIsTakenAgainAndCountedOnce() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = ItEnvironment.adminConnection(EmbeddedMariaDb.DATABASE); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT IGNORE INTO plt_rate_budget (channel, next_at, taken) VALUES ('crm:hubspot-main', UTC_TIMESTAMP(6), 0)");
            s.execute("CREATE TABLE IF NOT EXISTS it_deadlock_weight (id INT PRIMARY KEY) ENGINE = InnoDB");
            s.executeUpdate("DELETE FROM it_deadlock_weight");
            s.execute("CREATE TABLE IF NOT EXISTS it_deadlock_gate (id INT PRIMARY KEY, passed INT NOT NULL) ENGINE = InnoDB");
            s.executeUpdate("INSERT IGNORE INTO it_deadlock_gate (id, passed) VALUES (1, 0)");
            s.execute("CREATE OR REPLACE TRIGGER it_budget_gate BEFORE UPDATE ON plt_rate_budget FOR EACH ROW "
                    + "IF NEW.channel = 'crm:hubspot-main' THEN UPDATE it_deadlock_gate SET passed = passed + 1 WHERE id = 1; END IF");
        }
        try {
            long deadlocksBefore = globalStatus("Innodb_deadlocks");
            double retriesBefore = metric(app, "ft_retry_retries_total", "DatabaseRateBudget.take");
            long takenBefore = budgetTaken("hubspot-main");
            int requestsBefore = crm().hubspot().requests().size();

            String email;
            try (Connection holder = Deployed.database(); Statement s = holder.createStatement()) {
                holder.setAutoCommit(false);
                StringBuilder weight = new StringBuilder("INSERT INTO it_deadlock_weight (id) VALUES (0)");
                for (int i = 1; i < 200; i++) {
                    weight.append(",(").append(i).append(')');
                }
                s.executeUpdate(weight.toString());
                s.executeUpdate("UPDATE it_deadlock_gate SET passed = passed WHERE id = 1");
                email = login(app, "deadlock-" + run, 1, false).get(0);
                long holderId;
                try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                    rs.next();
                    holderId = rs.getLong(1);
                }
                await(() -> budgetTakeWaiting(holderId), "a budget take holding its row and waiting for the gate this test holds");
                // the take holds the budget row and waits for the gate; asking for the budget row closes the cycle
                try (ResultSet rs = s.executeQuery("SELECT taken FROM plt_rate_budget WHERE channel = 'crm:hubspot-main' FOR UPDATE")) {
                    assertTrue(rs.next());
                } catch (SQLException e) {
                    throw new AssertionError("InnoDB rolled back the test's transaction, not the budget take (" + e.getErrorCode() + ")", e);
                }
                assertTrue(globalStatus("Innodb_deadlocks") > deadlocksBefore, "InnoDB saw a deadlock");
                s.executeUpdate("DELETE FROM it_deadlock_weight");
                holder.commit();
            }
            await(() -> crm().hubspot().contact(email).isPresent(), "the guest in HubSpot after the deadlock");

            assertTrue(metric(app, "ft_retry_retries_total", "DatabaseRateBudget.take") >= retriesBefore + 1,
                    "the take that lost the deadlock was taken again by @Retry, not handed back to the queue");
            Thread.sleep(1000);
            assertEquals(crm().hubspot().requests().size() - requestsBefore, budgetTaken("hubspot-main") - takenBefore,
                    "one request taken from the budget per request HubSpot received: the take run again counted once");
            String guest = ProcessingIT.find(app, email);
            HttpResponse<String> synced = app.get("/api/v1/audit/records?subject=guest:" + guest + "&action=CRM_CONTACT_SYNCED",
                    Deployed.token("compliance-officer"));
            assertEquals(200, synced.statusCode(), synced.body());
            assertEquals(1, Deployed.json(synced).getJsonArray("records").size(), "the sync is audited once: " + synced.body());
        } finally {
            try (Connection c = ItEnvironment.adminConnection(EmbeddedMariaDb.DATABASE); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER IF EXISTS it_budget_gate");
            }
        }
    }

    private static long globalStatus(String name) throws SQLException {
        try (Connection c = Deployed.database(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            assertTrue(rs.next(), name);
            return rs.getLong(2);
        }
    }

    private static long budgetTaken(String connector) throws SQLException {
        try (Connection c = Deployed.database();
             PreparedStatement s = c.prepareStatement("SELECT taken FROM plt_rate_budget WHERE channel = ?")) {
            s.setString(1, "crm:" + connector);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Whether a transaction other than {@code except} waits for a lock while it updates a budget row: InnoDB's list
     * (which the tests' administrator may read) names the statement of the trigger it waits in, or the update itself.
     */
    private static boolean budgetTakeWaiting(long except) {
        try (Connection c = ItEnvironment.adminConnection(""); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM information_schema.INNODB_TRX "
                + "WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id <> ? AND (trx_query LIKE 'UPDATE plt_rate_budget%' OR trx_query LIKE 'UPDATE it_deadlock_gate%')")) {
            s.setLong(1, except);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum of a metric's values on the lines that name {@code tag} (Prometheus text from /metrics). */
    private static double metric(Deployed app, String name, String tag) {
        double sum = 0;
        for (String line : app.get("/metrics", null).body().split("\n")) {
            if (line.startsWith(name + "{") && line.contains(tag)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 90 s: " + what);
            }
            Thread.sleep(200);
        }
    }
}
