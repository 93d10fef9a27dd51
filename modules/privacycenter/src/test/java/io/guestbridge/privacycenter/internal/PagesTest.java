package io.guestbridge.privacycenter.internal;

import io.guestbridge.privacy.api.SubjectPortal;
import io.guestbridge.privacy.api.SubjectPortal.Right;
import io.guestbridge.webpages.api.FormTokens;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.io.InputStream;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every page in every language the center speaks: each word found, every value escaped. */
class PagesTest {

    private static final String MARKUP = "<script>alert(1)</script>\"'&";

    @Test
    void everyPageRendersInEveryLanguageWithoutAMissingWord() {
        for (Locale locale : Languages.SPOKEN) {
            for (Map.Entry<String, Map<String, Object>> page : pages().entrySet()) {
                String html = PrivacyCenterServlet.PAGES.html(page.getKey().split("/")[0], locale, page.getValue());
                assertFalse(html.contains("??"), page.getKey() + " (" + locale + ") misses a word: " + html);
                assertTrue(html.contains("<html lang=\"" + locale.getLanguage() + "\">"), html);
                assertFalse(html.contains("th:"), "no template attribute left");
            }
        }
    }

    @Test
    void whatAGuestTypedIsWrittenAsText() {
        String html = PrivacyCenterServlet.PAGES.html("start", Locale.ENGLISH, pages().get("start"));
        assertFalse(html.contains(MARKUP), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"), html);
        for (Map.Entry<String, Map<String, Object>> page : pages().entrySet()) {
            assertFalse(PrivacyCenterServlet.PAGES.html(page.getKey().split("/")[0], Locale.ENGLISH, page.getValue()).contains("<script>"), page.getKey() + " writes markup as text");
        }
        for (String page : List.of("status/PARTIALLY_COMPLETED", "consents", "prove/follow")) {
            assertTrue(PrivacyCenterServlet.PAGES.html(page.split("/")[0], Locale.ENGLISH, pages().get(page)).contains("&lt;script&gt;"), page + " shows what it was given");
        }
    }

    @Test
    void theExportIsReadableAndItsDownloadsCarryTheSameData() {
        String html = PrivacyCenterServlet.PAGES.html("export", Locale.ENGLISH, pages().get("export"));
        assertTrue(html.contains("<td>Hall</td>") && html.contains(">WiFi visits</h3>") && !html.contains("identity / visits"), html);
        assertTrue(html.contains(">Venue</th>") && html.contains(">At</th>"), "columns as words: " + html);
        assertTrue(html.contains("Download “WiFi visits” as CSV"), html);
        String french = PrivacyCenterServlet.PAGES.html("export", Locale.FRENCH, pages().get("export"));
        assertTrue(french.contains(">Visites WiFi</h3>") && french.contains("Télécharger « Visites WiFi » en CSV"), french);
        assertFalse(html.contains(MARKUP), "the export's values are text too");
        assertTrue(html.contains("download=\"identity-visits.csv\""), html);
        assertTrue(html.contains("Prepared on 1 December 2026 for request r1."), html);
        ExportView view = (ExportView) pages().get("export").get("export");
        String csv = new String(java.util.Base64.getDecoder().decode(view.getData().stream().filter(t -> t.title().equals("identity / visits"))
                .findFirst().orElseThrow().csvHref().replaceFirst("^data:text/csv;charset=utf-8;base64,", "")), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("\"venue\",\"at\"\r\n\"Hall\",\"2026\"\r\n\"'=cmd\",\"\"\r\n", csv, "a formula is made inert");
    }

    @Test
    void aVenuesPagesCarryItsNameLogoColoursAndNotice() {
        String html = PrivacyCenterServlet.PAGES.html("start", Locale.FRENCH, pages().get("start/branded"));
        assertTrue(html.contains("<img src=\"/branding/logo.svg\" alt=\"&lt;script&gt;"), html);
        assertTrue(html.contains("<link rel=\"stylesheet\" href=\"/privacy/brand/5b0c2f7e-1d0a-4c5e-9a51-0e6f3f1a2b3c.css?v=5b1a3a.-\">"), html);
        assertTrue(html.contains("href=\"https://hotel.example/privacy\">La politique de confidentialité de &lt;script&gt;"), html);
        String neutral = PrivacyCenterServlet.PAGES.html("start", Locale.ENGLISH, pages().get("start"));
        assertTrue(neutral.contains("<p class=\"brand\">Privacy center</p>") && !neutral.contains("/brand/") && !neutral.contains("<img"), neutral);
        String css = Brands.stylesheet(new Brands.Brand("v1", "Hall", null, "#5b1a3a", "#0b6e3b", null));
        assertTrue(css.contains("header.site { background: #5b1a3a; }") && css.contains("button { background: #0b6e3b; }"), css);
        assertEquals("header.site { background: #5b1a3a; }", Brands.stylesheet(new Brands.Brand("v1", "Hall", null, "#5b1a3a", null, null))
                .lines().skip(1).findFirst().orElseThrow(), "only the colours the venue has");
    }

    @Test
    void aDateOfBirthIsARealPastDate() {
        assertEquals(java.util.Optional.of(java.time.LocalDate.of(1985, 3, 27)), PrivacyCenterServlet.birthDate("27", "3", "1985"));
        assertEquals(java.util.Optional.of(java.time.LocalDate.of(2000, 2, 29)), PrivacyCenterServlet.birthDate("29", "02", "2000"));
        assertTrue(PrivacyCenterServlet.birthDate("29", "2", "2001").isEmpty(), "no such day");
        assertTrue(PrivacyCenterServlet.birthDate("1", "1", "1899").isEmpty());
        assertTrue(PrivacyCenterServlet.birthDate("1", "1", "2999").isEmpty(), "not born yet");
        assertTrue(PrivacyCenterServlet.birthDate("1", "1", "85").isEmpty(), "four digits for the year");
        assertTrue(PrivacyCenterServlet.birthDate("1", null, "1985").isEmpty());
        String html = PrivacyCenterServlet.PAGES.html("start", Locale.ENGLISH, pages().get("start"));
        assertTrue(html.contains("id=\"birthDay-error\"") && html.contains("href=\"#birthDay\""), "the error is tied to the date and summarised");
    }

    @Test
    void bothLanguagesHaveTheSameWords() throws Exception {
        Properties english = load("privacycenter/messages.properties");
        Properties french = load("privacycenter/messages_fr.properties");
        assertEquals(english.keySet(), french.keySet());
    }

    @Test
    void datesAndCountsAreInTheGuestsLanguage() {
        assertEquals("This code is not right. You have 1 attempt left.", PrivacyCenterServlet.PAGES.message(Locale.ENGLISH, "error.codeWrong", 1));
        assertEquals("Ce code n’est pas le bon. Il vous reste 3 essais.", PrivacyCenterServlet.PAGES.message(Locale.FRENCH, "error.codeWrong", 3));
        assertEquals("You can try again in 12 minutes, at 14:05.", PrivacyCenterServlet.PAGES.message(Locale.ENGLISH, "msg.tooMany.when", 12, "14:05"));
        assertEquals("Vous pourrez réessayer dans 1 minute, à 14:05.", PrivacyCenterServlet.PAGES.message(Locale.FRENCH, "msg.tooMany.when", 1, "14:05"));
        Instant due = Instant.parse("2027-01-02T10:00:00Z");
        assertEquals("2 January 2027", java.time.format.DateTimeFormatter.ofPattern(PrivacyCenterServlet.PAGES.message(Locale.ENGLISH, "date.pattern"), Locale.ENGLISH)
                .withZone(java.time.ZoneOffset.UTC).format(due));
        assertEquals("1er janvier 2027", PrivacyCenterServlet.day(java.time.Instant.parse("2027-01-01T12:00:00Z"), Locale.FRENCH, java.time.ZoneOffset.UTC),
                "French writes the first of the month as an ordinal");
        assertEquals("1 January 2027", PrivacyCenterServlet.day(java.time.Instant.parse("2027-01-01T12:00:00Z"), Locale.ENGLISH, java.time.ZoneOffset.UTC));
        assertEquals("2 janvier 2027", PrivacyCenterServlet.day(java.time.Instant.parse("2027-01-02T12:00:00Z"), Locale.FRENCH, java.time.ZoneOffset.UTC));
        assertEquals("31 décembre 2026", PrivacyCenterServlet.day(java.time.Instant.parse("2027-01-01T00:30:00Z"), Locale.FRENCH,
                java.time.ZoneId.of("America/New_York")), "in the venues' time zone");
        assertEquals("2 janvier 2027", java.time.format.DateTimeFormatter.ofPattern(PrivacyCenterServlet.PAGES.message(Locale.FRENCH, "date.pattern"), Locale.FRENCH)
                .withZone(java.time.ZoneOffset.UTC).format(due));
    }

    private static Properties load(String name) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = PagesTest.class.getClassLoader().getResourceAsStream(name)) {
            properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return properties;
    }

    private static Map<String, Map<String, Object>> pages() {
        Map<String, Map<String, Object>> pages = new HashMap<>();
        PrivacyCenterServlet.Form form = new PrivacyCenterServlet.Form();
        form.email = MARKUP;
        form.firstName = MARKUP;
        form.errors.put("right", "error.right");
        form.errors.put("email", "error.email");
        form.errors.put("firstName", "error.corrections");
        form.birthYear = MARKUP;
        form.errors.put("birthDay", "error.birthDate");
        Map<String, Object> start = common();
        start.put("form", form);
        start.put("rights", Right.values());
        start.put("showSwitch", true);
        pages.put("start", start);
        Map<String, Object> code = common();
        code.put("action", "code");
        code.put("hidden", Map.of("request", "5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11", "right", "ERASURE"));
        code.put("submitKey", "code.submit");
        code.put("error", "wrong");
        pages.put("code", code);
        for (String purpose : List.of("follow", "consent")) {
            Map<String, Object> proofCode = common();
            proofCode.put("action", "proof");
            proofCode.put("hidden", Map.of("challenge", "5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11", "purpose", purpose.toUpperCase(Locale.ROOT)));
            proofCode.put("submitKey", "code.submit." + purpose);
            proofCode.put("error", null);
            pages.put("code/" + purpose, proofCode);
            PrivacyCenterServlet.Form proveForm = new PrivacyCenterServlet.Form();
            proveForm.email = MARKUP;
            proveForm.reference = MARKUP;
            proveForm.errors.put("reference", "error.reference");
            proveForm.errors.put("email", "error.email");
            Map<String, Object> prove = common();
            prove.put("form", proveForm);
            prove.put("purpose", purpose);
            prove.put("showSwitch", true);
            pages.put("prove/" + purpose, prove);
        }
        for (String state : List.of("IN_PROGRESS", "PARTIALLY_COMPLETED")) {
            boolean done = state.equals("PARTIALLY_COMPLETED");
            Map<String, Object> status = common();
            status.put("request", new SubjectPortal.RequestDetail("5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11", Right.ERASURE, state,
                    Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2027-03-01T10:00:00Z"), true, MARKUP, done ? Instant.now() : null,
                    done ? MARKUP : null, List.of()));
            status.put("received", "1 December 2026");
            status.put("due", "1 March 2027");
            status.put("completed", done ? "3 December 2026" : null);
            status.put("steps", List.of(Map.of("system", "hubspot", "state", "done on 2 December 2026"),
                    new HashMap<>(Map.of("system", "finance", "state", "kept", "kept", MARKUP))));
            pages.put("status/" + state, status);
        }
        Map<String, Object> consents = common();
        Map<String, Object> consent = new HashMap<>(Map.of("purpose", "marketing_email", "purposeName", "Marketing by email", "decision", "You agreed.",
                "when", "14:02, 3 December 2026", "channel", MARKUP, "evidence", Map.of("checkbox", MARKUP), "wording", MARKUP,
                "wordingLanguage", "en", "wordingVersion", "1", "withdrawable", true));
        consents.put("consents", List.of(consent));
        consents.put("withdrawn", MARKUP);
        pages.put("consents", consents);
        Map<String, Object> noConsents = common();
        noConsents.put("consents", List.of());
        noConsents.put("withdrawn", null);
        pages.put("consents/none", noConsents);
        Map<String, Object> branded = new HashMap<>(start);
        branded.put("brand", new Brands.Brand("5b0c2f7e-1d0a-4c5e-9a51-0e6f3f1a2b3c", MARKUP, "/branding/logo.svg", "#5b1a3a", null,
                "https://hotel.example/privacy"));
        pages.put("start/branded", branded);
        for (Right right : Right.values()) {
            Map<String, Object> confirmed = common();
            confirmed.put("reference", "5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11");
            confirmed.put("right", right.name());
            confirmed.put("state", "IN_PROGRESS");
            confirmed.put("due", "2 January 2027");
            pages.put("confirmed/" + right, confirmed);
        }
        Map<String, Object> ready = common();
        ready.put("exportToken", "x".repeat(43));
        pages.put("export-ready", ready);
        Map<String, Object> export = common();
        export.put("export", new ExportView("{\"format\":\"v1\",\"generatedAt\":\"2026-12-01T10:00:00Z\",\"request\":\"r1\",\"summary\":[\"" + MARKUP.replace("\"", "\\\"")
                + "\"],\"article15\":{\"controller\":\"Hotels\",\"purposes\":[\"wifi\"],\"recipientsAndRetention\":[{\"system\":\"crm\",\"retention\":\"2y\"}]},"
                + "\"data\":{\"identity\":{\"profile\":{\"email\":\"a@b.c\"},\"visits\":[{\"venue\":\"Hall\",\"at\":\"2026\"},{\"venue\":\"=cmd\"}]}},"
                + "\"requests\":[{\"id\":\"r1\",\"type\":\"ACCESS\"}]}"));
        export.put("generated", "1 December 2026");
        pages.put("export", export);
        for (String key : List.of("exportGone", "notFound", "formRefused", "tooMany", "codeExpired", "tooManyWrongCodes", "notWaiting", "unknownRequest",
                "followNothing", "proofGone", "proofExpired", "proofTooManyWrongCodes", "unknownProof")) {
            Map<String, Object> message = common();
            message.put("key", key);
            message.put("detail", "later");
            pages.put("message/" + key, message);
        }
        return pages;
    }

    private static Map<String, Object> common() {
        Map<String, Object> page = new HashMap<>();
        page.put("root", "/privacy/");
        page.put("token", "token");
        page.put("tokenField", FormTokens.FIELD);
        page.put("otherLanguages", Map.of("fr", "Français"));
        page.put("showSwitch", false);
        return page;
    }
}
