package io.guestbridge.app.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.sql.Connection;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console against a real Keycloak: each person signs in through Keycloak's own login page in a real browser
 * (Debian's headless Chromium, JavaScript off on the console's pages), walks the pages their role opens, acts on
 * privacy requests, and signs out at Keycloak too. The API, configured with the same provider, takes Keycloak's
 * tokens and refuses those of another realm and the development ones. Every console page is checked by axe-core
 * (WCAG 2.2 AA) and photographed into target/screenshots.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleIT {

    private static final Logger LOG = Logger.getLogger(ConsoleIT.class.getName());
    /** Short, so that a test can wait it out; every page of a walk comes well within it. */
    static final Duration IDLE = Duration.ofSeconds(15);
    /** Short, so that a test can see a role removed at Keycloak take effect. */
    static final Duration ROLES_RECHECK = Duration.ofSeconds(2);

    @Deployment(testable = false)
    static WebArchive deployment() {
        KeycloakServer keycloak = KeycloakServer.shared();
        LOG.info(() -> "Keycloak started in " + keycloak.startedIn().toMillis() + " ms");
        String issuer = keycloak.issuer(KeycloakServer.REALM);
        // above the environment's settings (ordinal 300), which name the development issuer for the other tests
        String config = "config_ordinal=500\n"
                + "console.oidc.issuer=" + issuer + "\n"
                + "console.oidc.client-id=" + KeycloakServer.CLIENT_ID + "\n"
                + "console.oidc.client-secret=" + KeycloakServer.CLIENT_SECRET + "\n"
                + "console.session.idle=" + IDLE + "\n"
                + "console.session.roles-recheck=" + ROLES_RECHECK + "\n"
                + "mp.jwt.verify.issuer=" + issuer + "\n"
                + "mp.jwt.verify.publickey.location=" + issuer + "/protocol/openid-connect/certs\n";
        JavaArchive settings = ShrinkWrap.create(JavaArchive.class, "console-it-settings.jar")
                .addAsManifestResource(new StringAsset(config), "microprofile-config.properties");
        return Deployed.war().addAsLibrary(settings);
    }

    @ArquillianResource
    URL url;

    @Test
    void aComplianceOfficerSeesRequestsButNoActionAndIsRefusedOperatorPages() throws Exception {
        Deployed app = new Deployed(url);
        String id = receive(app, "ERASURE", "carl-sees-" + UUID.randomUUID() + "@example.com", null);
        try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
            signIn(browser, "carl", "carl-it-password");
            assertEquals("Overview", browser.text(By.tagName("h1")));
            assertEquals("compliance-officer", browser.text(By.id("roles")));
            assertTrue(Long.parseLong(browser.text(By.cssSelector("#open-count .figure"))) >= 1, "the open request is counted");
            assertFalse(browser.has(By.linkText("Queues")), "no operator section in the navigation");
            browser.sameOriginOnly();
            browser.check("overview-compliance-officer", "en");

            browser.click(By.linkText("Privacy requests"));
            assertTrue(browser.has(By.id("requests")), "the list of open requests");
            browser.check("requests", "en");
            // the other suites' portal requests fill the first page; the request's own state and type find it
            String state = awaitState(app, id, "REQUIRES_INPUT");
            browser.open("/console/requests?type=ERASURE&state=" + state);
            assertTrue(browser.has(By.cssSelector("a[href$='/console/requests/" + id + "']")),
                    "the open request (" + state + ") is listed: " + browser.text(By.tagName("main")));
            browser.click(By.cssSelector("a[href$='/console/requests/" + id + "']"));
            assertEquals(id, browser.text(By.id("reference")));
            assertTrue(browser.driver.findElements(By.cssSelector("main form")).isEmpty(), "a compliance officer gets no action on a request");
            browser.check("request-compliance-officer", "en");

            browser.click(By.linkText("Data map"));
            assertEquals("Data map", browser.text(By.tagName("h1")));
            assertTrue(browser.has(By.id("record-of-processing")), "the Art. 30 record to download");
            browser.check("data-map", "en");
            HttpResponse<String> record = getWith(app, "/console/data-map/record-of-processing.csv", browser.driver.manage().getCookieNamed("gb_console"));
            assertEquals(200, record.statusCode());
            assertTrue(record.body().startsWith("controller,system,kind,") && record.body().contains("Guestbridge Test Hotels Ltd"), record.body());

            browser.open("/console/operations/queues");
            assertEquals("Not for your role", browser.text(By.tagName("h1")));

            // a forged post (no form token) does nothing; a post with a token of this session is still refused for the role
            Cookie session = browser.driver.manage().getCookieNamed("gb_console");
            HttpResponse<String> forged = postForm(app, "/console/requests/" + id + "/extend", session, "months=1&reason=forged");
            assertEquals(403, forged.statusCode());
            assertTrue(forged.body().contains("This form has expired"), forged.body());
        }
        // the API says the same as the page: 403 for this role
        String carl = KeycloakServer.shared().accessToken(KeycloakServer.REALM, "carl", "carl-it-password");
        assertEquals(403, app.get("/api/v1/queues", carl).statusCode());
    }

    @Test
    void aDpoExtendsAndApprovesARequest_auditedAsThemselves() throws Exception {
        Deployed app = new Deployed(url);
        String dora = KeycloakServer.shared().accessToken(KeycloakServer.REALM, "dora", "dora-it-password");
        String id = receive(app, "RECTIFICATION", "dora-decides-" + UUID.randomUUID() + "@example.com", dora);
        try (WebBrowser browser = new WebBrowser(app, "fr", "console")) {
            signIn(browser, "dora", "dora-it-password");
            assertEquals("Vue d’ensemble", browser.text(By.tagName("h1")));
            browser.check("overview-dpo", "fr");
            assertFalse(browser.has(By.linkText("Journal d’audit")), "the audit trail is the compliance officer's");
            browser.open("/console/audit");
            assertEquals("Pas pour votre rôle", browser.text(By.tagName("h1")));
            browser.open("/console/requests?state=AWAITING_APPROVAL&type=RECTIFICATION");
            assertTrue(browser.has(By.linkText(id)), "the filter finds the request awaiting approval");
            browser.check("requests-filtered", "fr");
            browser.click(By.linkText(id));
            assertEquals("En attente d’approbation", browser.text(By.id("state")));
            browser.check("request-awaiting-approval", "fr");

            // a reason with personal data is refused with the API's words, and nothing changes
            browser.type(By.id("extend-reason"), "asked by jane@example.com");
            browser.click(By.id("extend"));
            assertTrue(browser.text(By.id("problem")).contains("without personal data"), browser.text(By.id("problem")));
            assertTrue(browser.has(By.id("extend")), "still extendable");
            browser.check("request-refused", "fr");

            browser.type(By.id("extend-reason"), "the request covers 14 venues' paper archives");
            browser.click(By.id("extend"));
            assertEquals("Prolongée : la personne en est informée avec le motif.", browser.text(By.id("done")));
            assertEquals("the request covers 14 venues' paper archives", browser.text(By.id("extended")));
            assertFalse(browser.has(By.id("extend")), "extended once only");

            browser.click(By.id("approve"));
            assertEquals("Approuvée : les étapes ont commencé.", browser.text(By.id("done")));
            assertFalse(browser.text(By.id("state")).contains("approbation"), browser.text(By.id("state")));
            assertFalse(browser.has(By.id("decide-heading")), "approved and extended: nothing left to decide, no empty section");
            browser.check("request-approved", "fr");

            // a reload of the post (the same form token) is not taken twice
            Cookie session = browser.driver.manage().getCookieNamed("gb_console");
            assertEquals(403, postForm(app, "/console/requests/" + id + "/approve", session, "form-token=spent").statusCode());
        }
        JsonObject view = Deployed.json(app.get("/api/v1/privacy/requests/" + id, dora));
        assertEquals("the request covers 14 venues' paper archives", view.getString("extendedReason"));
        String carl = KeycloakServer.shared().accessToken(KeycloakServer.REALM, "carl", "carl-it-password");
        HttpResponse<String> audit = app.get("/api/v1/audit/records?actor=user:dora&subject=privacy-request:" + id, carl);
        assertEquals(200, audit.statusCode(), audit.body());
        assertTrue(audit.body().contains("PRIVACY_REQUEST_EXTENDED"), "the extension, by the person who signed in: " + audit.body());
        assertTrue(audit.body().contains("\"actor\":\"user:dora\""), audit.body());
        assertTrue(audit.body().contains("PRIVACY_REQUEST_IN_PROGRESS"), "the approval started it, by the same person: " + audit.body());
    }

    @Test
    void anOperatorConfirmsAManualStepAndSeesTheQueues() throws Exception {
        Deployed app = new Deployed(url);
        String olga = KeycloakServer.shared().accessToken(KeycloakServer.REALM, "olga", "olga-it-password");
        String id = receive(app, "ERASURE", "olga-confirms-" + UUID.randomUUID() + "@example.com", olga);
        awaitState(app, id, "REQUIRES_INPUT");
        try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
            signIn(browser, "olga", "olga-it-password");
            assertTrue(browser.has(By.id("dead-letters")), "the operator's overview shows the queues");
            browser.check("overview-operator", "en");
            browser.click(By.linkText("Queues"));
            assertEquals("Queues", browser.text(By.tagName("h1")));
            assertTrue(browser.has(By.cssSelector("#queues thead")) || browser.has(By.id("no-queue-work")), "the queues, or that none holds work");
            browser.check("queues", "en");
            browser.open("/console/requests/" + id);
            assertFalse(browser.has(By.id("approve")), "an operator does not approve");
            assertFalse(browser.has(By.id("extend")), "an operator does not extend");
            browser.check("request-awaiting-operator", "en");
            browser.type(By.id("evidence-paper-forms"), "registration cards shredded, certificate 4471");
            browser.click(By.id("confirm-paper-forms"));
            assertEquals("The step is confirmed.", browser.text(By.id("done")));
            assertTrue(browser.text(By.id("step-paper-forms")).contains("registration cards shredded, certificate 4471"));
        }
        JsonObject view = Deployed.json(app.get("/api/v1/privacy/requests/" + id, olga));
        assertTrue(view.toString().contains("confirmed by an operator: registration cards shredded"), view.toString());
    }

    @Test
    void aComplianceOfficerFiltersPagesVerifiesAndExportsTheAuditTrail() throws Exception {
        Deployed app = new Deployed(url);
        String since = java.time.Instant.now().minusSeconds(1).toString();
        receive(app, "ERASURE", "audit-range-" + UUID.randomUUID() + "@example.com", null);
        // more records than one page of the console holds, whatever ran before
        String officer = KeycloakServer.shared().accessToken(KeycloakServer.REALM, "carl", "carl-it-password");
        for (int i = 0; i < 30 && Deployed.json(app.get("/api/v1/audit/records?limit=1000", officer)).getJsonArray("records").size() <= 60; i++) {
            receive(app, "ACCESS", "audit-page-" + UUID.randomUUID() + "@example.com", null);
        }
        try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
            signIn(browser, "carl", "carl-it-password");
            browser.click(By.linkText("Audit trail"));
            assertEquals("Audit trail", browser.text(By.tagName("h1")));
            // paging: the whole trail holds more than a page by now
            String firstPage = browser.text(By.cssSelector("#records tbody tr:last-child td"));
            browser.click(By.id("next"));
            long nextFirst = Long.parseLong(browser.text(By.cssSelector("#records tbody tr:first-child td")));
            assertTrue(nextFirst > Long.parseLong(firstPage), "the next page goes on after the first: " + firstPage + " then " + nextFirst);

            browser.open("/console/audit?actor=user:carl&action=CONSOLE_SIGNED_IN");
            assertTrue(browser.text(By.id("records")).contains("CONSOLE_SIGNED_IN"), "the sign-in is in the trail with the person as actor");
            browser.check("audit-filtered", "en");
            browser.click(By.id("verify"));
            assertTrue(browser.text(By.id("verification")).startsWith("The chain is intact"), browser.text(By.id("verification")));
            assertEquals("user:carl", browser.driver.findElement(By.id("actor")).getAttribute("value"), "the filter stays after verifying");
            browser.check("audit-verified", "en");

            browser.open("/console/audit?from=" + since);
            Cookie session = browser.driver.manage().getCookieNamed("gb_console");
            String token = browser.driver.findElement(By.cssSelector("#export-json")).findElement(By.xpath("..")).findElement(By.name("form-token"))
                    .getAttribute("value");
            HttpResponse<String> json = postForm(app, "/console/audit/export", session, "format=json&from=" + since + "&form-token=" + token);
            assertEquals(200, json.statusCode(), json.body());
            assertTrue(json.headers().firstValue("Content-Disposition").orElse("").contains("audit-export.json"));
            JsonObject export = Deployed.json(json);
            assertTrue(export.getJsonObject("verification").getBoolean("intact"), export.getJsonObject("verification").toString());
            var records = export.getJsonArray("records");
            assertTrue(records.size() >= 2, "the range holds this test's records: " + records.size());
            assertTrue(records.toString().contains("PRIVACY_REQUEST_RECEIVED"), "the request received in the range is exported");
            for (int i = 1; i < records.size(); i++) {
                JsonObject before = records.getJsonObject(i - 1);
                JsonObject record = records.getJsonObject(i);
                if (record.getJsonNumber("sequence").longValue() == before.getJsonNumber("sequence").longValue() + 1) {
                    assertEquals(before.getString("hash"), record.getString("previousHash"), "the exported range links record to record");
                }
            }
            String csvToken = browser.driver.findElement(By.cssSelector("#export-csv")).findElement(By.xpath("..")).findElement(By.name("form-token"))
                    .getAttribute("value");
            HttpResponse<String> csv = postForm(app, "/console/audit/export", session, "format=csv&from=" + since + "&form-token=" + csvToken);
            assertEquals(200, csv.statusCode());
            assertTrue(csv.body().startsWith("# chain intact"), csv.body().lines().findFirst().orElse(""));
            assertEquals("# filter from=" + since, csv.body().lines().skip(1).findFirst().orElse(""), "the filter the export followed");
            assertTrue(csv.body().lines().skip(2).findFirst().orElse("").startsWith("\"sequence\",\"occurredAt\",\"actor\""), csv.body());
            assertTrue(csv.body().contains("\"PRIVACY_REQUEST_RECEIVED\""), "the range's records follow");

            // several values in one box, one a line: the records of either action, and the exports follow the same filter
            browser.open("/console/audit?actor=user:carl");
            browser.type(By.id("action"), "CONSOLE_SIGNED_IN\nAUDIT_CHAIN_VERIFIED");
            browser.click(By.id("apply"));
            List<String> shown = browser.driver.findElements(By.cssSelector("#records tbody td:nth-child(4)")).stream().map(e -> e.getText().strip()).toList();
            assertTrue(shown.contains("CONSOLE_SIGNED_IN") && shown.contains("AUDIT_CHAIN_VERIFIED"), "both actions: " + shown);
            assertTrue(shown.stream().allMatch(a -> a.equals("CONSOLE_SIGNED_IN") || a.equals("AUDIT_CHAIN_VERIFIED")), "only those: " + shown);
            StringBuilder form = new StringBuilder();
            for (var input : browser.driver.findElement(By.id("export-json")).findElement(By.xpath("..")).findElements(By.cssSelector("input[type=hidden]"))) {
                form.append(input.getAttribute("name")).append('=').append(java.net.URLEncoder.encode(input.getAttribute("value"), StandardCharsets.UTF_8)).append('&');
            }
            JsonObject several = Deployed.json(postForm(app, "/console/audit/export", session, form.toString()));
            assertEquals(List.of("CONSOLE_SIGNED_IN", "AUDIT_CHAIN_VERIFIED"), several.getJsonObject("filter").getJsonArray("action")
                    .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList(), several.getJsonObject("filter").toString());
            List<String> exportedActions = several.getJsonArray("records").getValuesAs(JsonObject.class).stream().map(r -> r.getString("action")).distinct().toList();
            assertTrue(exportedActions.containsAll(List.of("CONSOLE_SIGNED_IN", "AUDIT_CHAIN_VERIFIED")) && exportedActions.size() == 2, exportedActions.toString());

            // more than 20 values: the page says which field and why, in its language
            StringBuilder tooMany = new StringBuilder();
            for (int i = 0; i <= 20; i++) {
                tooMany.append(tooMany.length() == 0 ? "" : ",").append("ACTION_").append(i);
            }
            browser.open("/console/audit?lang=fr&action=" + tooMany);
            assertTrue(browser.text(By.id("problem")).contains("Action : au plus 20 valeurs, 21 saisies"), browser.text(By.id("problem")));
            assertEquals("true", browser.driver.findElement(By.id("action")).getAttribute("aria-invalid"));
            browser.check("audit-too-many", "fr");
        }
        // the API: repeated parameters, bounded the same way
        JsonObject either = Deployed.json(app.get("/api/v1/audit/records?actor=user:carl&action=CONSOLE_SIGNED_IN&action=AUDIT_EXPORTED&limit=1000", officer));
        List<String> apiActions = either.getJsonArray("records").getValuesAs(JsonObject.class).stream().map(r -> r.getString("action")).distinct().sorted().toList();
        assertEquals(List.of("AUDIT_EXPORTED", "CONSOLE_SIGNED_IN"), apiActions);
        StringBuilder modules = new StringBuilder();
        for (int i = 0; i <= 20; i++) {
            modules.append("&module=m").append(i);
        }
        HttpResponse<String> refused = app.get("/api/v1/audit/records?limit=5" + modules, officer);
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json") && refused.body().contains("at most 20"),
                refused.body());
        String carl = KeycloakServer.shared().accessToken(KeycloakServer.REALM, "carl", "carl-it-password");
        HttpResponse<String> exported = app.get("/api/v1/audit/records?actor=user:carl&action=AUDIT_EXPORTED", carl);
        assertTrue(exported.body().contains("AUDIT_EXPORTED"), "each export is in the trail: " + exported.body());
    }

    @Test
    void aPersonWithoutAConsoleRoleIsToldSo() throws Exception {
        Deployed app = new Deployed(url);
        try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
            signIn(browser, "nora", "nora-it-password");
            assertEquals("No console role", browser.text(By.tagName("h1")));
            assertFalse(browser.has(By.linkText("Privacy requests")), "no section offered");
            browser.check("no-role", "en");
            browser.open("/console/requests");
            assertEquals("No console role", browser.text(By.tagName("h1")));
        }
    }

    @Test
    void signingOutEndsTheSessionHereAndAtKeycloak() throws Exception {
        Deployed app = new Deployed(url);
        try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
            signIn(browser, "dora", "dora-it-password");
            Cookie session = browser.driver.manage().getCookieNamed("gb_console");
            assertTrue(session.isHttpOnly() && session.isSecure() && "Lax".equals(session.getSameSite()) && "/console".equals(session.getPath()),
                    "HttpOnly, Secure, SameSite=Lax, for the console only: " + session);
            browser.click(By.id("sign-out"));
            assertEquals("/console/signed-out", browser.path());
            assertEquals("You are signed out", browser.text(By.tagName("h1")));
            browser.check("signed-out", "en");
            // the old cookie opens nothing, and Keycloak asks for the password again
            assertEquals(401, getWith(app, "/console/", session).statusCode());
            browser.click(By.id("sign-in"));
            assertTrue(browser.has(By.id("password")), "Keycloak's own session ended too: " + browser.driver.getCurrentUrl());
        }
    }

    @Test
    void anIdleSessionEnds() throws Exception {
        Deployed app = new Deployed(url);
        try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
            signIn(browser, "olga", "olga-it-password");
            Thread.sleep(IDLE.plusSeconds(2).toMillis());
            browser.open("/console/requests");
            assertEquals("Your session has ended", browser.text(By.tagName("h1")));
            browser.check("session-ended", "en");
        }
    }

    @Test
    void theApiTakesKeycloaksTokensAndRefusesAnotherRealmsAndTheDevelopmentOnes() {
        Deployed app = new Deployed(url);
        KeycloakServer keycloak = KeycloakServer.shared();
        String dpo = keycloak.accessToken(KeycloakServer.REALM, "dora", "dora-it-password");
        assertEquals(200, app.get("/api/v1/privacy/requests", dpo).statusCode(), "a token of the configured realm");
        String otherRealm = keycloak.accessToken(KeycloakServer.OTHER_REALM, "dora", "dora-it-password");
        assertEquals(401, app.get("/api/v1/privacy/requests", otherRealm).statusCode(), "the same user and roles in another realm");
        assertEquals(401, app.get("/api/v1/privacy/requests", Deployed.token("dpo")).statusCode(), "a development token");
        // and the development sign-in links do not exist with a provider configured
        String link = ItEnvironment.tokens().mintConsoleLink("dev-dpo", Duration.ofMinutes(5), "dpo");
        assertEquals(404, app.get("/console/dev-sign-in/" + link, null).statusCode());
    }

    @Test
    void anOperatorRegistersASourceReplaysItsQuarantinedEventAndADpoLooksUpTheGuest() throws Exception {
        Deployed app = new Deployed(url);
        String email = "quinn-" + UUID.randomUUID() + "@example.com";
        String noDeparture = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-10-01T08:00:00Z\",\"reservation\":{\"id\":\"R-C1\","
                + "\"arrival\":\"2026-10-24T15:00\",\"timeZone\":\"Europe/London\"},\"guest\":{\"id\":\"G-C1\",\"email\":\"" + email + "\","
                + "\"firstName\":\"Quinn\"}}";
        long event;
        try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
            signIn(browser, "olga", "olga-it-password");
            browser.click(By.linkText("Sources"));
            browser.check("sources", "en");
            new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("source-kind"))).selectByValue("BOOKING");
            browser.type(By.id("source-name"), "Console quarantine hotel");
            browser.click(By.id("register"));
            String path = browser.text(By.id("source-path"));
            String secret = browser.text(By.id("source-secret"));
            assertTrue(path.startsWith("/api/v1/ingest/bookings/") && secret.length() > 20, path);
            browser.check("source-registered", "en");
            assertTrue(path.endsWith(browser.text(By.id("source-key"))), "the key, shown once, is the path's");
            String sourceId = sourceIdOf(app, "Console quarantine hotel");

            event = ProcessingIT.stored(ProcessingIT.signedPost(app, path, secret, "bk_c_1", noDeparture));
            assertEquals("QUARANTINED", ProcessingIT.awaitState(event));
            browser.open("/console/");
            assertTrue(Long.parseLong(browser.text(By.cssSelector("#quarantine-count .figure"))) >= 1, "the overview counts the quarantine");
            assertTrue(browser.text(By.id("chain-head")).matches("[0-9,]+ records chained\\."), browser.text(By.id("chain-head")));
            browser.click(By.id("quarantine-count"));
            assertEquals("Quarantine", browser.text(By.tagName("h1")));
            assertTrue(browser.text(By.id("quarantined")).contains("departure"), "the reason names what is missing");
            browser.check("quarantine", "en");
            browser.click(By.id("event-" + event));
            String payload = browser.text(By.id("payload"));
            assertTrue(payload.contains("2026-10-24T15:00"), "non-personal values stay visible: " + payload);
            assertFalse(payload.contains(email) || payload.contains("Quinn"), "personal values are masked: " + payload);
            browser.check("quarantined", "en");
            browser.type(By.id("discard-reason"), "asked by " + email);
            browser.click(By.id("discard"));
            assertTrue(browser.text(By.id("problem")).contains("personal data"), browser.text(By.id("problem")));
            assertEquals("QUARANTINED", ProcessingIT.state(event), "a refused discard changes nothing");
            browser.check("quarantined-refused", "en");
            browser.type(By.id("corrected"), noDeparture.replace("\"arrival\":\"2026-10-24T15:00\"",
                    "\"arrival\":\"2026-10-24T15:00\",\"departure\":\"2026-10-26T11:00\""));
            browser.click(By.id("replay-corrected"));
            assertEquals("Event " + event + " goes through processing again.", browser.text(By.id("done")));
            assertEquals("/console/operations/quarantine?done=replayed&id=" + event, browser.path());

            browser.click(By.linkText("CRM"));
            assertEquals("CRM connectors", browser.text(By.tagName("h1")));
            assertTrue(browser.has(By.cssSelector("main section h2")) || browser.has(By.id("no-connectors")), "the connectors, or that none is configured");
            String budget = browser.text(By.id("budget-hubspot-main"));
            assertTrue(budget.contains("Per 10 seconds") && budget.contains("of 100 used") && budget.contains("of 250,000 used"), budget);
            browser.check("crm", "en");
            JsonObject hubspot = Deployed.parse(app.get("/api/v1/crm/connectors", KeycloakServer.shared().accessToken(KeycloakServer.REALM, "olga",
                    "olga-it-password")).body()).asJsonArray().getValuesAs(JsonObject.class).stream()
                    .filter(c -> c.getString("connector").equals("hubspot-main")).findFirst().orElseThrow();
            JsonObject apiBudget = hubspot.getJsonObject("budget");
            assertEquals(100, apiBudget.getInt("requestsPerWindow"), apiBudget.toString());
            assertEquals(10_000, apiBudget.getJsonNumber("windowMs").longValue());
            assertEquals(250_000, apiBudget.getInt("requestsPerDay"));
            assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                    java.time.Instant.parse(apiBudget.getString("dayResetsAt")), "the day's count starts again at midnight UTC");
            assertTrue(apiBudget.getInt("usedToday") >= 0 && apiBudget.getInt("usedInWindow") <= apiBudget.getInt("usedToday"), apiBudget.toString());
            browser.open("/console/operations/crm?lang=fr");
            assertTrue(browser.text(By.id("budget-hubspot-main")).contains("sur 100 utilisées"), browser.text(By.id("budget-hubspot-main")));
            browser.check("crm", "fr");
            browser.open("/console/operations/crm?lang=en");

            browser.open("/console/operations/sources");
            browser.click(By.id("rotate-" + sourceId));
            String rotated = browser.text(By.id("source-secret"));
            assertTrue(rotated.length() > 20 && !rotated.equals(secret), "a new secret, shown once");
            assertFalse(browser.has(By.id("source-key")), "the key is not shown again");
            browser.open("/console/operations/sources");
            assertFalse(browser.text(By.id("sources")).contains(secret) || browser.text(By.id("sources")).contains(rotated), "no secret in the list");
            browser.click(By.id("revoke-" + sourceId));
            assertTrue(browser.has(By.id("done")), "revoked");
            assertFalse(browser.has(By.id("revoke-" + sourceId)), "a revoked source has no action left");
            assertEquals(404, ProcessingIT.signedPost(app, path, rotated, "bk_c_2", noDeparture).statusCode(), "a revoked source's key opens nothing");
        }
        assertEquals("PROCESSED", ProcessingIT.awaitState(event));

        try (WebBrowser browser = new WebBrowser(app, "fr", "console")) {
            signIn(browser, "dora", "dora-it-password");
            browser.click(By.linkText("Recherche d’un client"));
            browser.check("guest-lookup", "fr");
            browser.type(By.id("email"), email.replace("@example.com", "@Example.COM"));
            browser.click(By.id("look-up"));
            assertEquals("/console/guests/lookup", browser.path(), "the address is in no URL");
            assertTrue(browser.has(By.id("guest-id")) && !browser.text(By.id("guest-id")).isBlank());
            String fields = browser.text(By.id("table-identity-fields"));
            assertTrue(fields.contains("Quinn") && fields.contains("BOOKING"), "each value with its source: " + fields);
            assertTrue(browser.text(By.id("table-identity-stays")).contains("2026-10-26"), "the stay the correction completed");
            List<String> headings = browser.driver.findElements(By.cssSelector("main section h3")).stream().map(e -> e.getText().strip()).toList();
            assertTrue(headings.containsAll(List.of("Profil : chaque valeur et sa source", "Séjours (réservations)")), "headings in words: " + headings);
            assertTrue(headings.stream().noneMatch(h -> h.contains(" / ")), "no export key as a heading: " + headings);
            List<String> columns = browser.driver.findElements(By.cssSelector("#table-identity-fields th")).stream().map(e -> e.getText().strip()).toList();
            assertTrue(columns.containsAll(List.of("Champ", "Valeur", "Source")), "columns in words, in French: " + columns);
            browser.check("guest-found", "fr");
            browser.type(By.id("email"), "nobody-" + UUID.randomUUID() + "@example.com");
            browser.click(By.id("look-up"));
            assertTrue(browser.has(By.id("not-found")), "nothing held about an unknown address");
        }
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM aud_record_written WHERE (action = 'GUEST_LOOKED_UP' AND actor = 'user:dora') "
                        + "OR (action IN ('QUARANTINE_INSPECTED', 'QUARANTINE_REPLAYED') AND actor = 'user:olga' AND subject_ref = ?)")) {
            s.setString(1, "inbox:" + event);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertTrue(rs.getLong(1) >= 3, "the lookup, the inspections and the replay are audited with the person as actor");
            }
        }
        assertFalse(serverLog().contains(email.substring(0, email.indexOf('@'))), "the looked-up address is in no log");
    }

    @Test
    void aRoleRemovedAtKeycloakIsGoneFromTheOpenSessionAndADisabledPersonIsSignedOut() throws Exception {
        Deployed app = new Deployed(url);
        KeycloakServer keycloak = KeycloakServer.shared();
        // letters only: an actor name that looks like a number or an address would be recorded by its hash
        String user = "rita-" + UUID.randomUUID().toString().replaceAll("[^a-f]", "").substring(0, 4) + "x";
        String password = UUID.randomUUID().toString();
        HttpResponse<String> created = keycloak.admin("POST", "users", "{\"username\":\"" + user + "\",\"enabled\":true,\"emailVerified\":true,"
                + "\"email\":\"" + user + "@example.com\",\"firstName\":\"Rita\",\"lastName\":\"Tester\","
                + "\"credentials\":[{\"type\":\"password\",\"value\":\"" + password + "\",\"temporary\":false}]}");
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        String userPath = "users/" + location.substring(location.lastIndexOf('/') + 1);
        HttpResponse<String> dpoRole = keycloak.admin("GET", "roles/dpo", null);
        assertEquals(200, dpoRole.statusCode(), dpoRole.body());
        assertEquals(204, keycloak.admin("POST", userPath + "/role-mappings/realm", "[" + dpoRole.body() + "]").statusCode());

        try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
            signIn(browser, user, password);
            browser.open("/console/requests");
            assertEquals("Privacy requests", browser.text(By.tagName("h1")), "the DPO's list");
            assertEquals(204, keycloak.admin("DELETE", userPath + "/role-mappings/realm", "[" + dpoRole.body() + "]").statusCode());
            Thread.sleep(ROLES_RECHECK.toMillis() + 500);
            browser.open("/console/requests");
            assertEquals("No console role", browser.text(By.tagName("h1")), "the role removed at Keycloak is gone from the open session");

            assertEquals(204, keycloak.admin("POST", userPath + "/role-mappings/realm", "[" + dpoRole.body() + "]").statusCode());
            Thread.sleep(ROLES_RECHECK.toMillis() + 500);
            browser.open("/console/requests");
            assertEquals("Privacy requests", browser.text(By.tagName("h1")), "and a role given back is there again");
            assertEquals(204, keycloak.admin("PUT", userPath, "{\"enabled\":false}").statusCode());
            Thread.sleep(ROLES_RECHECK.toMillis() + 500);
            browser.open("/console/requests");
            assertEquals("Your session has ended", browser.text(By.tagName("h1")), "a person disabled at Keycloak is signed out here");
        }
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM aud_record_written WHERE action IN ('CONSOLE_ROLES_CHANGED', 'CONSOLE_SESSION_ENDED_BY_PROVIDER') AND subject_ref = ?")) {
            s.setString(1, "user:" + user);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(3, rs.getLong(1), "two role changes and the end are audited");
            }
        }
    }

    /**
     * The role × page matrix over HTTP with real sessions of each role (and of a person without a console role): every
     * page and action of the console, with a valid form token for every post, is refused (403) to exactly the roles
     * its row leaves out. Ids that exist nowhere keep an allowed action from changing anything (it answers 404 or 400).
     */
    @Test
    void everyPageAndActionIsForExactlyItsRoles() throws Exception {
        Deployed app = new Deployed(url);
        String request = "/console/requests/" + UUID.randomUUID();
        String[][] matrix = {
                // method, path, the roles it is for (o = operator, c = compliance officer, d = DPO)
                {"GET", "/console/", "ocd"},
                {"GET", "/console/requests", "ocd"},
                {"GET", request, "ocd"},
                {"POST", request + "/approve", "d"},
                {"POST", request + "/reject", "d"},
                {"POST", request + "/extend", "d"},
                {"POST", request + "/steps/paper-forms/confirm", "od"},
                {"POST", request + "/steps/paper-forms/resume", "od"},
                {"GET", "/console/audit", "c"},
                {"POST", "/console/audit/verify", "c"},
                {"POST", "/console/audit/export?format=csv&from=2999-01-01", "c"},
                {"GET", "/console/guests", "d"},
                {"POST", "/console/guests/lookup", "d"},
                {"GET", "/console/data-map", "ocd"},
                {"GET", "/console/data-map/record-of-processing.csv", "cd"},
                {"GET", "/console/data-map/record-of-processing", "cd"},
                {"GET", "/console/operations/queues", "o"},
                {"GET", "/console/operations/quarantine", "o"},
                {"GET", "/console/operations/quarantine/999999999999", "o"},
                {"POST", "/console/operations/quarantine/999999999999/replay", "o"},
                {"POST", "/console/operations/quarantine/999999999999/discard", "o"},
                {"GET", "/console/operations/crm", "o"},
                {"POST", "/console/operations/crm/no-such-connector/dead-letters/999999999999/replay", "o"},
                {"POST", "/console/operations/crm/no-such-connector/dead-letters/999999999999/discard", "o"},
                {"GET", "/console/operations/sources", "o"},
                {"POST", "/console/operations/sources", "o"},
                {"POST", "/console/operations/sources/no-such-source/rotate", "o"},
                {"POST", "/console/operations/sources/no-such-source/revoke", "o"}};
        Map<String, Cookie> sessions = new LinkedHashMap<>();
        for (String[] person : new String[][] {{"o", "olga"}, {"c", "carl"}, {"d", "dora"}, {"-", "nora"}}) {
            try (WebBrowser browser = new WebBrowser(app, "en", "console")) {
                signIn(browser, person[1], person[1] + "-it-password");
                sessions.put(person[0], browser.driver.manage().getCookieNamed("gb_console"));
            }
            // each sign-in takes seconds on a loaded machine: the sessions signed in before stay in use, so none of
            // them reaches the idle timeout (IDLE) before the matrix starts
            for (Cookie signedIn : sessions.values()) {
                getWith(app, "/console/", signedIn);
            }
        }
        List<String> wrong = new ArrayList<>();
        for (String[] row : matrix) {
            for (Map.Entry<String, Cookie> session : sessions.entrySet()) {
                int status;
                if (row[0].equals("GET")) {
                    status = getWith(app, row[1], session.getValue()).statusCode();
                } else {
                    String page = getWith(app, "/console/", session.getValue()).body();
                    Matcher token = FORM_TOKEN.matcher(page);
                    assertTrue(token.find(), "a form token on the page of " + session.getKey());
                    String[] pathAndQuery = row[1].split("\\?");
                    String form = "form-token=" + token.group(1) + "&reason=matrix&months=1&evidence=matrix&email=matrix%40example.com"
                            + (pathAndQuery.length > 1 ? "&" + pathAndQuery[1] : "");
                    status = postForm(app, pathAndQuery[0], session.getValue(), form).statusCode();
                }
                boolean allowed = row[2].contains(session.getKey());
                if (allowed == (status == 403) || status == 401) {
                    wrong.add(row[0] + " " + row[1] + " for " + session.getKey() + ": " + status);
                }
            }
        }
        assertEquals(List.of(), wrong, "pages and actions answering against the matrix");
    }

    private static final java.util.regex.Pattern FORM_TOKEN = java.util.regex.Pattern.compile("name=\"form-token\" value=\"([A-Za-z0-9_-]+)\"");

    /** A source's id, as the operator's API lists it (the console's list shows it too, but not as a field to read). */
    private static String sourceIdOf(Deployed app, String name) {
        String olga = KeycloakServer.shared().accessToken(KeycloakServer.REALM, "olga", "olga-it-password");
        return Deployed.parse(app.get("/api/v1/sources", olga).body()).asJsonArray().stream().map(v -> v.asJsonObject())
                .filter(v -> v.getString("name").equals(name)).findFirst().orElseThrow().getString("id");
    }

    private static String serverLog() throws Exception {
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("guestbridge.it.serverlog"));
        StringBuilder all = new StringBuilder();
        try (var files = java.nio.file.Files.list(log.getParent())) {
            for (java.nio.file.Path file : files.filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString())).toList()) {
                all.append(java.nio.file.Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** Waits (at most 90 s) until the automatic steps of a request are done and it waits in {@code state}. */
    private static String awaitState(Deployed app, String id, String state) throws InterruptedException {
        String token = KeycloakServer.shared().accessToken(KeycloakServer.REALM, "dora", "dora-it-password");
        long deadline = System.currentTimeMillis() + 90_000;
        String now;
        while (!state.equals(now = Deployed.json(app.get("/api/v1/privacy/requests/" + id, token)).getString("state"))) {
            assertTrue(System.currentTimeMillis() < deadline, "request " + id + " still " + now + ", not " + state + ", after 90 s");
            Thread.sleep(300);
        }
        return now;
    }

    /** Through the console's redirect to Keycloak's login page, and back signed in. */
    private static void signIn(WebBrowser browser, String user, String password) {
        browser.open("/console/");
        assertTrue(browser.driver.getCurrentUrl().startsWith(KeycloakServer.shared().issuer(KeycloakServer.REALM)),
                "sent to Keycloak: " + browser.driver.getCurrentUrl());
        assertTrue(browser.has(By.id("username")), "Keycloak's login page: " + browser.driver.getPageSource());
        browser.type(By.id("username"), user);
        browser.type(By.id("password"), password);
        browser.click(By.id("kc-login"));
        assertTrue(browser.path().startsWith("/console/"), "back in the console: " + browser.driver.getCurrentUrl());
    }

    /** A request received by staff (verified in person); a rectification waits for the DPO's approval here. */
    private static String receive(Deployed app, String type, String email, String token) {
        String body = "{\"type\":\"" + type + "\",\"email\":\"" + email + "\",\"verifiedBy\":\"reception: passport checked\""
                + (type.equals("RECTIFICATION") ? ",\"corrections\":{\"lastName\":\"Rightname\"}" : "") + "}";
        String bearer = token != null ? token : KeycloakServer.shared().accessToken(KeycloakServer.REALM, "dora", "dora-it-password");
        HttpResponse<String> received = app.post("/api/v1/privacy/requests", bearer, "application/json", body);
        assertEquals(201, received.statusCode(), received.body());
        return Deployed.json(received).getString("id");
    }

    private static HttpResponse<String> postForm(Deployed app, String path, Cookie session, String form) {
        return app.send(app.request(path, null).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", session.getName() + "=" + session.getValue()).POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static HttpResponse<String> getWith(Deployed app, String path, Cookie session) {
        return app.send(app.request(path, null).header("Cookie", session.getName() + "=" + session.getValue()).GET().build());
    }
}
