package io.guestbridge.console.internal;

import io.guestbridge.platform.api.QueueStats;
import io.guestbridge.privacy.api.PrivacyDesk;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every page renders in English and French with every word found, and what a person typed stays text. */
class ConsolePagesTest {

    private static final ConsoleSession DPO = new ConsoleSession("sub-1", "dora", "user:dora", Set.of("dpo"), null, Instant.now());
    private static final PrivacyDesk.Request REQUEST = new PrivacyDesk.Request("5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11", "RECTIFICATION", "CCPA", "STAFF",
            "AWAITING_APPROVAL", Instant.parse("2026-11-25T08:00:00Z"), Instant.parse("2026-12-25T08:00:00Z"), 24, false, null,
            "reception: passport checked", Instant.parse("2026-11-25T08:00:00Z"), null, null, null,
            List.of(new PrivacyDesk.Step("paper-forms", "MANUAL", "AWAITING_OPERATOR", 0, "<b id=\"typed\">shred</b>", null, null)),
            List.of(new PrivacyDesk.Event(Instant.parse("2026-11-25T08:00:00Z"), "RECEIVED", "RECTIFICATION request (Art. 16) through staff")));

    @Test
    void everyPageRendersInEveryLanguageWithEveryWordFound() {
        for (Locale locale : ConsoleServlet.PAGES.spoken()) {
            for (String key : List.of("signedOut", "sessionEnded", "signInFirst", "formExpired", "noRole", "forbidden", "notFound", "useDevLink",
                    "noProvider", "providerUnavailable", "signInFailed", "devLinkUsed")) {
                Map<String, Object> model = model(null);
                model.put("key", key);
                assertComplete(ConsoleServlet.PAGES.html("message", locale, model), key, locale);
            }
            Map<String, Object> overview = model(DPO);
            overview.put("counts", new PrivacyDesk.Counts(4, 1, 2));
            overview.put("queues", List.of(new QueueStats("privacy.steps", 1, 3, 0)));
            overview.put("deadLetters", 0L);
            overview.put("quarantined", 3L);
            overview.put("chain", new io.guestbridge.audit.api.AuditReader.ChainStatus(1204, null));
            assertComplete(ConsoleServlet.PAGES.html("overview", locale, overview), "overview", locale);
            for (String intact : List.of("true", "false")) {
                overview.put("chain", new io.guestbridge.audit.api.AuditReader.ChainStatus(1204, new io.guestbridge.audit.api.AuditReader.Entry(1204,
                        Instant.now(), "user:carl", "AUDIT_CHAIN_VERIFIED", "audit", null,
                        Map.of("intact", intact, "checkedRecords", "1203", "firstBrokenSequence", "77"), "ab", "cd")));
                String html = ConsoleServlet.PAGES.html("overview", locale, overview);
                assertComplete(html, "overview", locale);
                assertTrue(html.contains("user:carl") && html.contains(intact.equals("true") ? "1203" : "77"), html);
            }

            Map<String, Object> list = model(DPO);
            list.put("requests", List.of(REQUEST));
            list.put("allStates", List.of("RECEIVED", "IDENTITY_UNVERIFIED", "VERIFIED", "AWAITING_APPROVAL", "IN_PROGRESS", "REQUIRES_INPUT",
                    "COMPLETED", "PARTIALLY_COMPLETED", "REJECTED", "CANCELLED", "EXPIRED"));
            list.put("states", Set.of("AWAITING_APPROVAL"));
            list.put("types", Set.of());
            list.put("due", "ANY");
            list.put("limit", 1);
            String requests = ConsoleServlet.PAGES.html("requests", locale, list);
            assertComplete(requests, "requests", locale);
            assertTrue(requests.contains("<td>CCPA/CPRA</td>"), "each request's law: " + requests);
            assertTrue(requests.contains(locale.getLanguage().equals("fr") ? "<td>Correction (CCPA §1798.106)</td>" : "<td>Correct (CCPA §1798.106)</td>"),
                    "a CCPA request is named by the Act's right, not by a GDPR article: " + requests);

            for (String done : List.of("approve", "reject", "extend", "confirm", "resume")) {
                Map<String, Object> one = model(DPO);
                one.put("r", REQUEST);
                one.put("open", true);
                one.put("done", done);
                one.put("problem", "Request is COMPLETED.");
                Map<String, Boolean> may = new HashMap<>();
                for (PrivacyDesk.Action action : PrivacyDesk.Action.values()) {
                    may.put(action.name(), true);
                }
                one.put("may", may);
                String html = ConsoleServlet.PAGES.html("request", locale, one);
                assertComplete(html, "request", locale);
                assertFalse(html.contains("<b id=\"typed\">"), "evidence is shown as text");
                assertTrue(html.contains("id=\"approve\"") && html.contains("id=\"extend\"") && html.contains("id=\"confirm-paper-forms\""));
                assertTrue(html.contains("id=\"regime\">CCPA/CPRA<") && html.contains("id=\"due-rule\"") && html.contains("name=\"days\" value=\"45\"")
                        && !html.contains("id=\"months\""), "a CCPA request's law, its due rule and its one 45-day extension: " + html);
            }
            Map<String, Object> gdpr = model(DPO);
            gdpr.put("r", new PrivacyDesk.Request(REQUEST.id(), "ERASURE", "UK_GDPR", "STAFF", "IN_PROGRESS", REQUEST.receivedAt(), REQUEST.dueAt(), 24, false,
                    null, null, null, null, null, null, List.of(), List.of()));
            gdpr.put("open", true);
            gdpr.put("may", Map.of("APPROVE", true, "REJECT", true, "EXTEND", true, "CONFIRM_STEP", true, "RESUME_STEP", true));
            String ukGdpr = ConsoleServlet.PAGES.html("request", locale, gdpr);
            assertComplete(ukGdpr, "request", locale);
            assertTrue(ukGdpr.contains("id=\"months\"") && !ukGdpr.contains("name=\"days\""), "a GDPR request is extended in months: " + ukGdpr);
            assertTrue(ukGdpr.contains(locale.getLanguage().equals("fr") ? "id=\"type\">Effacement (art. 17)<" : "id=\"type\">Erasure (Art. 17)<"),
                    "a GDPR request keeps its article: " + ukGdpr);
            assertTrue(ukGdpr.contains("id=\"decide-heading\""), "a running request not yet extended can be: " + ukGdpr);
            Map<String, Object> extended = model(DPO);
            extended.put("r", new PrivacyDesk.Request(REQUEST.id(), "ERASURE", "GDPR", "STAFF", "IN_PROGRESS", REQUEST.receivedAt(), REQUEST.dueAt(), 24, false,
                    "archives at 14 venues", null, null, null, null, null, List.of(), List.of()));
            extended.put("open", true);
            extended.put("may", Map.of("APPROVE", true, "REJECT", true, "EXTEND", true, "CONFIRM_STEP", true, "RESUME_STEP", true));
            String nothingLeft = ConsoleServlet.PAGES.html("request", locale, extended);
            assertComplete(nothingLeft, "request", locale);
            assertFalse(nothingLeft.contains("decide-heading"), "running and extended once: nothing left to decide, no empty section: " + nothingLeft);
            Map<String, Object> audit = model(DPO);
            audit.put("entries", List.of(new io.guestbridge.audit.api.AuditReader.Entry(42, Instant.now(), "user:dora", "PRIVACY_REQUEST_EXTENDED",
                    "privacy", "privacy-request:5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11", Map.of("months", "1", "note", "<i>x</i>"), "ab", "cd")));
            audit.put("nextCursor", "YWZ0ZXI6NDI");
            audit.put("query", "actor=user%3Adora&");
            audit.put("problem", "from: a day");
            for (String field : List.of("subject", "actor", "from", "to")) {
                audit.put(field, "");
            }
            audit.put("action", "CONSENT_GRANTED\nCONSENT_WITHDRAWN");
            audit.put("module", "");
            audit.put("maxValues", 20);
            Map<String, List<String>> values = new java.util.LinkedHashMap<>();
            values.put("subject", List.of());
            values.put("actor", List.of());
            values.put("action", List.of("CONSENT_GRANTED", "CONSENT_WITHDRAWN"));
            values.put("module", List.of());
            audit.put("values", values);
            for (var verification : List.of(new io.guestbridge.audit.api.AuditReader.Verification(true, 10, 10, null, null),
                    new io.guestbridge.audit.api.AuditReader.Verification(false, 4, 10, 5L, "its content does not match its hash"))) {
                audit.put("verification", verification);
                String html = ConsoleServlet.PAGES.html("audit", locale, audit);
                assertComplete(html, "audit", locale);
                assertFalse(html.contains("<i>x</i>"), "details are text");
                assertTrue(html.contains(verification.intact() ? "10" : "its content does not match its hash"), html);
                assertTrue(html.contains(">CONSENT_GRANTED\nCONSENT_WITHDRAWN</textarea>"), "the box shows the values one a line: " + html);
                assertEquals(2 * 3, html.split("type=\"hidden\" name=\"action\"", -1).length - 1,
                        "each value is its own hidden field in the verify and both export forms: " + html);
            }
            audit.remove("problem");
            audit.put("invalidField", "action");
            audit.put("invalidReason", "tooMany");
            audit.put("invalidFigures", List.of(20, 21));
            String refused = ConsoleServlet.PAGES.html("audit", locale, audit);
            assertComplete(refused, "audit", locale);
            String problem = between(refused, "id=\"problem\"", "</div>");
            assertTrue(problem.contains("href=\"#action\"") && problem.contains("20") && problem.contains("21")
                    && problem.contains(locale.getLanguage().equals("fr") ? "au plus 20 valeurs" : "at most 20 values"), problem);
            assertTrue(refused.contains("aria-invalid=\"true\"") && between(refused, "id=\"action\"", ">").contains("aria-invalid=\"true\""), refused);
            assertFalse(between(refused, "id=\"actor\"", ">").contains("aria-invalid"), "only the field at fault is marked");
            audit.put("invalidField", "from");
            audit.put("invalidReason", "time");
            audit.put("invalidFigures", List.of("", ""));
            problem = between(ConsoleServlet.PAGES.html("audit", locale, audit), "id=\"problem\"", "</div>");
            assertTrue(problem.contains(locale.getLanguage().equals("fr") ? "Depuis : un jour" : "From: a day"), problem);
            audit.remove("invalidField");
            Map<String, Object> queues = model(DPO);
            queues.put("queues", List.of(new QueueStats("crm.hubspot-main", 0, 0, 2)));
            assertComplete(ConsoleServlet.PAGES.html("queues", locale, queues), "queues", locale);

            Map<String, Object> quarantine = model(DPO);
            quarantine.put("items", List.of(new io.guestbridge.ingestion.api.QuarantineDesk.Quarantined(1042, "purple-main", Instant.now(),
                    "the email is not a valid address", 512)));
            quarantine.put("next", 1042L);
            quarantine.put("done", "replayed");
            quarantine.put("doneId", "1042");
            assertComplete(ConsoleServlet.PAGES.html("quarantine", locale, quarantine), "quarantine", locale);
            quarantine.put("done", "discarded");
            assertComplete(ConsoleServlet.PAGES.html("quarantine", locale, quarantine), "quarantine", locale);
            Map<String, Object> event = model(DPO);
            event.put("q", new io.guestbridge.ingestion.api.QuarantineDesk.Inspection(new io.guestbridge.ingestion.api.QuarantineDesk.Quarantined(1042,
                    "purple-main", Instant.now(), "<b id=\"typed\">reason</b>", 512), null));
            event.put("payload", "{\"email\": \"«masked, 16 characters»\"}");
            event.put("problem", "Give a reason of 1–300 characters.");
            String eventHtml = ConsoleServlet.PAGES.html("quarantined", locale, event);
            assertComplete(eventHtml, "quarantined", locale);
            assertFalse(eventHtml.contains("<b id=\"typed\">"), "a reason is text");

            var source = new io.guestbridge.ingestion.api.SourceDesk.SourceInfo("0190c8a4-7f1e", "BOOKING", "<b id=\"typed\">Hotel</b>", null,
                    "Europe/London", true, Instant.now(), null);
            var revoked = new io.guestbridge.ingestion.api.SourceDesk.SourceInfo("0190c8a4-7f1f", "PURPLE", "WiFi", "venue-1", "Europe/Paris", false,
                    Instant.now(), Instant.now());
            Map<String, Object> sources = model(DPO);
            sources.put("sources", List.of(source, revoked));
            sources.put("problem", "name is required and at most 120 characters");
            sources.put("done", "revoked");
            String sourcesHtml = ConsoleServlet.PAGES.html("sources", locale, sources);
            assertComplete(sourcesHtml, "sources", locale);
            assertFalse(sourcesHtml.contains("<b id=\"typed\">"), "a name is text");
            assertTrue(sourcesHtml.contains("rotate-0190c8a4-7f1e") && !sourcesHtml.contains("rotate-0190c8a4-7f1f"), "a revoked source has no action");
            for (boolean rotated : List.of(false, true)) {
                Map<String, Object> secret = model(DPO);
                secret.put("source", source);
                secret.put("key", rotated ? null : "k3y");
                secret.put("path", "/api/v1/ingest/bookings/k3y");
                secret.put("secret", "whsec_s3cret");
                secret.put("rotated", rotated);
                String html = ConsoleServlet.PAGES.html("source-secret", locale, secret);
                assertComplete(html, "source-secret", locale);
                assertTrue(html.contains("whsec_s3cret") && html.contains("k3y") != rotated, html);
            }

            Map<String, Object> crmPage = model(DPO);
            crmPage.put("connectors", List.of(new io.guestbridge.crmsync.api.CrmDesk.ConnectorHealth("hubspot-main", "hubspot", "DEGRADED", "OPEN",
                    List.of("<i>token</i> missing"), 120, 3, 0.025, 4, 9, 80, 300, new io.guestbridge.crmsync.api.CrmDesk.RequestBudget(100, 10_000, 37,
                    Instant.parse("2026-11-25T08:00:10Z"), 250_000, 250_000, Instant.parse("2026-11-26T00:00:00Z"), Instant.parse("2026-11-26T00:00:00Z"))),
                    new io.guestbridge.crmsync.api.CrmDesk.ConnectorHealth("mailchimp", "mailchimp", "UP", "HALF_OPEN", List.of(), 0, 0, 0, 0, 0, 0, 0,
                            new io.guestbridge.crmsync.api.CrmDesk.RequestBudget(10, 1_500, 0, null, 1_000, 0, Instant.parse("2026-11-26T00:00:00Z"), null))));
            crmPage.put("dead", Map.of("hubspot-main", List.of(new io.guestbridge.crmsync.api.CrmDesk.DeadLetter(5012, "hubspot-main",
                    List.of("0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d"), 5, Instant.now(), "VALIDATION_ERROR"),
                    new io.guestbridge.crmsync.api.CrmDesk.DeadLetter(5013, "hubspot-main", List.of("0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2e",
                            "0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2f", "0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c30"), 5, Instant.now(), "HTTP 400")),
                    "mailchimp", List.of()));
            for (String done : List.of("replayed", "discarded")) {
                crmPage.put("done", done);
                crmPage.put("doneId", "5012");
                String html = ConsoleServlet.PAGES.html("crm", locale, crmPage);
                assertComplete(html, "crm", locale);
                assertTrue(html.contains("replay-5012") && !html.contains("<i>token</i>"), html);
                // a letter of one guest names them; one of a whole request names its first guest and counts the others
                assertTrue(html.contains("<td>0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d</td>"), html);
                assertTrue(html.contains(locale.getLanguage().equals("fr") ? "<td>0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2e et 2 autres</td>"
                        : "<td>0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2e and 2 more</td>"), html);
                String hubspotWindow = between(html, "id=\"budget-window-hubspot-main\"", "</dd>");
                assertTrue(hubspotWindow.contains("37") && hubspotWindow.contains("100") && hubspotWindow.contains("2026-11-25 08:00:10 UTC"), hubspotWindow);
                assertTrue(between(html, "id=\"budget-day-hubspot-main\"", "</dd>").contains("250"), "the day's use and limit");
                assertTrue(html.contains("id=\"budget-day-hubspot-main\" class=\"error\""), "a spent day stands out: " + html);
                assertTrue(between(html, "id=\"budget-next-hubspot-main\"", "</dd>").contains("2026-11-26 00:00:00 UTC"), "a spent day waits for midnight");
                assertTrue(html.contains(locale.getLanguage().equals("fr") ? "Par tranche de 1,5 secondes" : "Per 1.5 seconds"), html);
                String mailchimpWindow = between(html, "id=\"budget-window-mailchimp\"", "</dd>");
                assertFalse(mailchimpWindow.contains("UTC"), "no reset time for a window nothing was taken from: " + mailchimpWindow);
                assertFalse(html.contains("id=\"budget-day-mailchimp\" class="), "a day with requests left does not stand out");
            }

            Map<String, Object> map = model(DPO);
            map.put("controller", "Guestbridge Test Hotels Ltd");
            map.put("mayDownload", true);
            map.put("systems", List.of(new PrivacyDesk.DataMapSystem("guestbridge", "LOCAL", List.of("identity"), List.of("guest WiFi"), "2 years", List.of(),
                    null), new PrivacyDesk.DataMapSystem("finance-archive", "MANUAL", List.of("invoices"), List.of("accounting"), "10 years",
                    List.of("tax office"), "<b id=\"typed\">tax law</b>")));
            String mapHtml = ConsoleServlet.PAGES.html("data-map", locale, map);
            assertComplete(mapHtml, "data-map", locale);
            assertTrue(mapHtml.contains("record-of-processing.csv") && mapHtml.contains("finance-archive") && !mapHtml.contains("<b id=\"typed\">"));

            Map<String, Object> record = model(DPO);
            record.put("record", new PrivacyDesk.ProcessingRecord("Guestbridge Test Hotels Ltd", "Privacy Office", "dpo@example.com", "WiFi guests",
                    List.of(new PrivacyDesk.DataMapSystem("local", "LOCAL", List.of("identity"), List.of("guest WiFi"), "2 years",
                            List.of("hubspot-main", "Acme Drinks (sponsor acme)"), null)),
                    List.of(new PrivacyDesk.RecordRecipient("hubspot-main", "CRM", List.of("identity"), "marketing", "processor", "United States", null),
                            new PrivacyDesk.RecordRecipient("Acme Drinks (sponsor acme)", "SPONSOR", List.of("EMAIL"), "<b id=\"typed\">offers</b>",
                                    "consent", null, null)),
                    List.of(new PrivacyDesk.RecordRetention("inactive-profiles", "profiles without a visit", 730, false)),
                    List.of("encryption at rest")));
            String recordHtml = ConsoleServlet.PAGES.html("record-of-processing", locale, record);
            assertComplete(recordHtml, "record-of-processing", locale);
            assertTrue(recordHtml.contains("Acme Drinks (sponsor acme)") && recordHtml.contains("United States") && recordHtml.contains("730")
                    && !recordHtml.contains("<b id=\"typed\">"), recordHtml);
            assertTrue(mapHtml.contains("data-map/record-of-processing\""), "the data map links the printable record");

            Map<String, Object> lookup = model(DPO);
            lookup.put("problem", "This is not an email address.");
            lookup.put("notFound", true);
            assertComplete(ConsoleServlet.PAGES.html("guest", locale, lookup), "guest", locale);
            jakarta.json.JsonObject identity = io.guestbridge.platform.api.Jsonp.JSON.createObjectBuilder()
                    .add("fields", io.guestbridge.platform.api.Jsonp.JSON.createArrayBuilder().add(io.guestbridge.platform.api.Jsonp.JSON
                            .createObjectBuilder().add("field", "FIRST_NAME").add("value", "<b id=\"typed\">Jane</b>").add("source", "purple")))
                    .add("loyaltyTier", io.guestbridge.platform.api.Jsonp.JSON.createArrayBuilder().add("gold"))
                    .add("dataKeyHeld", true)
                    .build();
            jakarta.json.JsonObject crm = io.guestbridge.platform.api.Jsonp.JSON.createObjectBuilder().add("crmLinks", io.guestbridge.platform.api.Jsonp.JSON
                    .createArrayBuilder().add(io.guestbridge.platform.api.Jsonp.JSON.createObjectBuilder().add("connector", "hubspot-main").add("crmId", "901"))).build();
            Map<String, Object> found = model(DPO);
            found.put("notFound", false);
            found.put("file", new PrivacyDesk.GuestFile("0190c8a4-7f1e-7b3a-9c1d-3e5f7a9b1c2d", Map.of("identity", identity), List.of(REQUEST)));
            found.put("tables", io.guestbridge.webpages.api.DataTable.perModule(io.guestbridge.platform.api.Jsonp.JSON.createObjectBuilder()
                    .add("identity", identity).add("crmsync", crm).build()));
            String html = ConsoleServlet.PAGES.html("guest", locale, found);
            boolean french = locale.getLanguage().equals("fr");
            assertTrue(html.contains(french ? ">Profil : chaque valeur et sa source</h3>" : ">Profile: each value and its source</h3>"), html);
            assertTrue(html.contains(french ? ">Liens vers les contacts CRM</h3>" : ">Links to CRM contacts</h3>"), html);
            assertTrue(html.contains(french ? ">Identité : autres données</h3>" : ">Identity: other facts</h3>"), "a module's single facts: " + html);
            assertTrue(html.contains(">Identity: loyalty tier</h3>"), "a part no heading names yet still reads as words: " + html);
            assertFalse(html.contains(" / "), "no raw export key as a heading: " + html);
            assertTrue(html.contains(french ? ">Identifiant dans le CRM</th>" : ">Id in the CRM</th>")
                    && html.contains(french ? ">Champ</th>" : ">Field</th>"), "columns in words: " + html);
            assertFalse(html.contains(">crmId</th>") || html.contains(">field</th>"), "no raw export key as a column: " + html);
            assertTrue(html.contains("id=\"table-identity-fields\"") && html.contains("id=\"table-crmsync-crmLinks\""), "tables keep their ids");
            assertComplete(html, "guest", locale);
            assertFalse(html.contains("<b id=\"typed\">"), "a value is shown as text");
            assertTrue(html.contains("purple") && html.contains("/console/requests/" + REQUEST.id()), "each value's source and the address's requests");
        }
    }

    @Test
    void frenchHasEveryEnglishKey() throws Exception {
        Properties en = new Properties();
        Properties fr = new Properties();
        try (var e = getClass().getResourceAsStream("/console/messages.properties");
             var f = new java.io.InputStreamReader(getClass().getResourceAsStream("/console/messages_fr.properties"), java.nio.charset.StandardCharsets.UTF_8)) {
            en.load(new java.io.InputStreamReader(e, java.nio.charset.StandardCharsets.UTF_8));
            fr.load(f);
        }
        assertEquals(en.stringPropertyNames(), fr.stringPropertyNames());
    }

    private static Map<String, Object> model(ConsoleSession session) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("root", "/console/");
        model.put("here", "/console/");
        model.put("fmt", new Times());
        model.put("session", session);
        model.put("tokenField", "form-token");
        model.put("otherLanguages", Map.of("fr", "français"));
        if (session != null) {
            model.put("forms", session.forms());
            model.put("roles", List.copyOf(session.roles()));
            model.put("operator", false);
        }
        return model;
    }

    /** The text after the first {@code from} up to the next {@code to}. */
    private static String between(String html, String from, String to) {
        int start = html.indexOf(from);
        assertTrue(start >= 0, from + " is missing: " + html);
        return html.substring(start + from.length(), html.indexOf(to, start));
    }

    private static void assertComplete(String html, String page, Locale locale) {
        assertFalse(html.contains("??"), page + " (" + locale + ") has a missing message: " + html);
        assertTrue(html.contains("lang=\"" + locale.getLanguage() + "\""), page);
    }
}
