package io.guestbridge.app.it;

import jakarta.mail.internet.MimeMessage;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The privacy center in a real browser: Debian's headless Chromium, driven through its chromedriver, with
 * JavaScript switched off, against the real WAR, with the one-time codes read from the test's SMTP server. Every
 * page and state is checked by axe-core (injected by the test, WCAG 2.2 AA) and photographed at phone and desktop
 * widths into target/screenshots.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PrivacyCenterIT {

    private static final Pattern LINK = Pattern.compile("/privacy/export/[A-Za-z0-9_-]{43}");
    private static final Pattern CODE = Pattern.compile("(?:enter this code:|saisissez ce code :) (\\d{8})");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    @Test
    void anAccessRequestInEnglishFromEmptyFormToReference() throws Exception {
        Deployed app = new Deployed(url);
        try (WebBrowser browser = new WebBrowser(app, "en", "privacy")) {
            browser.open("/privacy/");
            assertEquals("Your data, your choice", browser.text(By.tagName("h1")));
            assertEquals("en", browser.driver.findElement(By.tagName("html")).getAttribute("lang"));
            browser.sameOriginOnly();
            browser.check("start", "en");

            // nothing chosen, nothing typed: each error named in the summary and tied to its field
            browser.click(By.cssSelector("button[type=submit]"));
            assertTrue(browser.text(By.className("error-summary")).contains("Choose what you would like to do."));
            assertTrue(browser.text(By.id("email-error")).contains("Enter your email address."));
            WebElement email = browser.driver.findElement(By.id("email"));
            assertEquals("true", email.getAttribute("aria-invalid"));
            assertTrue(email.getAttribute("aria-describedby").contains("email-error"));
            browser.check("start-errors", "en");

            // markup typed into a field comes back as text, never as markup
            String markup = "<script>document.title='owned'</script><b id=\"injected\">x</b>";
            browser.driver.findElement(By.id("right-ACCESS")).click();
            browser.type(By.id("email"), markup);
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals(markup, browser.driver.findElement(By.id("email")).getAttribute("value"));
            assertTrue(browser.driver.findElements(By.id("injected")).isEmpty(), "no element made of the guest's input");
            assertFalse(browser.driver.getTitle().contains("owned"));
            assertTrue(browser.text(By.id("email-error")).contains("like name@example.com"));

            String address = "ada.center." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            browser.driver.findElement(By.id("right-ACCESS")).click();
            browser.type(By.id("email"), address);
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("Check your mail", browser.text(By.tagName("h1")));
            String id = browser.driver.findElement(By.name("request")).getAttribute("value");
            assertFalse(browser.driver.getPageSource().contains(address), "the address is not written back into the page");
            browser.check("code", "en");

            browser.type(By.id("code"), "00000000");
            browser.click(By.cssSelector("button[type=submit]"));
            assertTrue(browser.text(By.id("code-error")).contains("This code is not right. You have 4 attempts left."),
                    browser.text(By.id("code-error")));
            browser.check("code-wrong", "en");

            MimeMessage codeMail = awaitMail(address, id);
            assertEquals("Your code to confirm your privacy request", codeMail.getSubject());
            browser.type(By.id("code"), code(codeMail));
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("Your request is confirmed", browser.text(By.tagName("h1")));
            assertEquals(id, browser.text(By.id("reference")));
            assertEquals("We will answer by " + dueInWords(app, id, Locale.ENGLISH) + " at the latest.", browser.text(By.id("due")));
            assertEquals("We are working on your request.", browser.text(By.id("state")));
            browser.check("confirmed", "en");

            // the copy: the mailed link opens a page; opening the copy spends the link; the downloads are in the page
            Matcher link = LINK.matcher(com.icegreen.greenmail.util.GreenMailUtil.getBody(awaitMail(address, "completed", id)));
            assertTrue(link.find(), "the outcome mail links to the privacy center");
            browser.open(link.group());
            assertEquals("Your copy of your data is ready", browser.text(By.tagName("h1")));
            browser.check("export-ready", "en");
            browser.open(link.group());
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("Your data", browser.text(By.tagName("h1")));
            String href = browser.driver.findElement(By.id("json")).getAttribute("href");
            String json = new String(java.util.Base64.getDecoder().decode(href.substring(href.indexOf(",") + 1)), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"request\":\"" + id + "\"") && json.contains("\"article15\""), json);
            assertTrue(browser.text(By.tagName("main")).contains("Guestbridge Test Hotels Ltd"), "the Art. 15(1) information names the controller");
            assertTrue(Pattern.compile("Prepared on \\d{1,2} [A-Z][a-z]+ \\d{4} for request " + id).matcher(browser.text(By.tagName("main"))).find(),
                    "the date in words");
            assertFalse(browser.driver.findElements(By.cssSelector("a[download$='.csv']")).isEmpty(), "a CSV per table");
            browser.check("export", "en");
            browser.open(link.group());
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("This link no longer works", browser.text(By.tagName("h1")));
            browser.check("export-gone", "en");
        }
        HttpResponse<String> page = app.send(app.request("/privacy/", null).GET().build());
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
        assertTrue(page.body().contains("<form method=\"post\" action=\"/privacy/request\" novalidate>"), "a plain form: no script needed");
        assertFalse(page.body().contains("<script"), "no script at all");
    }

    @Test
    void anErasureInFrenchWithTheKeyboardOnly() throws Exception {
        Deployed app = new Deployed(url);
        try (WebBrowser browser = new WebBrowser(app, "fr", "privacy")) {
            browser.open("/privacy/");
            assertEquals("Vos données, votre choix", browser.text(By.tagName("h1")), "chosen from Accept-Language");
            assertEquals("fr", browser.driver.findElement(By.tagName("html")).getAttribute("lang"));
            browser.check("start", "fr");

            String address = "eve.centre." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
            browser.tabTo(By.id("right-ERASURE"));
            browser.keys(Keys.SPACE);
            assertTrue(browser.driver.findElement(By.id("right-ERASURE")).isSelected(), "the space bar chose erasure");
            browser.tabTo(By.id("email"));
            browser.keys(address);
            browser.tabTo(By.cssSelector("button[type=submit]"));
            browser.keysToNextPage(Keys.ENTER);
            assertEquals("Consultez vos courriels", browser.text(By.tagName("h1")));
            String id = browser.driver.findElement(By.name("request")).getAttribute("value");
            browser.check("code", "fr");

            browser.tabTo(By.id("code"));
            browser.keysToNextPage("12345678", Keys.ENTER);
            assertTrue(browser.text(By.id("code-error")).contains("Il vous reste 4 essais."), browser.text(By.id("code-error")));
            browser.check("code-wrong", "fr");

            MimeMessage codeMail = awaitMail(address, id);
            assertEquals("Votre code pour confirmer votre demande", codeMail.getSubject(), "the mail speaks the language of the page");
            browser.tabTo(By.id("code"));
            browser.keysToNextPage(code(codeMail), Keys.ENTER);
            assertEquals("Votre demande est confirmée", browser.text(By.tagName("h1")));
            assertEquals(id, browser.text(By.id("reference")));
            assertEquals("Nous vous répondrons au plus tard le " + dueInWords(app, id, Locale.FRENCH) + ".", browser.text(By.id("due")));
            assertEquals("Nous traitons votre demande.", browser.text(By.id("state")));
            browser.check("confirmed", "fr");
            String receipt = String.valueOf(awaitMail(address, "reçu", id).getContent());
            assertTrue(receipt.startsWith("Nous avons reçu votre demande d’effacement de vos données personnelles (Art. 17 RGPD) le "), receipt);
            assertTrue(receipt.contains("Nous vous répondrons au plus tard le " + dueInWords(app, id, Locale.FRENCH) + "."), receipt);
        }
    }

    @Test
    void theLanguageSwitchTurnsAnEnglishBrowserFrench() throws Exception {
        Deployed app = new Deployed(url);
        try (WebBrowser browser = new WebBrowser(app, "en", "privacy")) {
            browser.open("/privacy/");
            browser.click(By.linkText("Français"));
            assertEquals("Vos données, votre choix", browser.text(By.tagName("h1")));
            assertEquals("English", browser.driver.findElement(By.cssSelector("nav.languages a")).getText(), "and back again");
            browser.click(By.cssSelector("button[type=submit]"));
            assertTrue(browser.text(By.className("error-summary")).contains("Choisissez ce que vous souhaitez faire."), "the choice stays for the visit");
            browser.check("start-errors", "fr");
        }
    }

    @Test
    void forgedAndReplayedFormsAreRefused() throws Exception {
        Deployed app = new Deployed(url);
        String client = WebBrowser.testNetAddress();
        Map<String, String> fields = new LinkedHashMap<>(Map.of("right", "ACCESS", "email", "forged." + UUID.randomUUID().toString().substring(0, 8)
                + "@example.com"));

        HttpResponse<String> forged = postForm(app, client, null, fields);
        assertEquals(403, forged.statusCode(), "no session, no token: another site's form");
        assertTrue(forged.body().contains("This form cannot be sent again"), forged.body());

        try (WebBrowser browser = new WebBrowser(app, "en", "privacy")) {
            browser.open("/privacy/");
            Cookie session = browser.driver.manage().getCookieNamed("JSESSIONID");
            assertTrue(session != null && session.isHttpOnly(), "the session cookie is out of script's reach");
            assertEquals("Strict", session.getSameSite());
            String token = browser.driver.findElement(By.name("form-token")).getAttribute("value");

            Map<String, String> withForeignToken = new LinkedHashMap<>(fields);
            withForeignToken.put("form-token", (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1)); // one character changed, whatever it was
            assertEquals(403, postForm(app, client, session.getValue(), withForeignToken).statusCode(), "a token this session was not given");

            Map<String, String> withToken = new LinkedHashMap<>(fields);
            withToken.put("form-token", token);
            HttpResponse<String> first = postForm(app, client, session.getValue(), withToken);
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(first.body().contains("Check your mail"));
            HttpResponse<String> replayed = postForm(app, client, session.getValue(), withToken);
            assertEquals(403, replayed.statusCode(), "the same form again");

            // the form still on the screen carries the token the replay spent: sending it now is refused, and says so
            browser.driver.findElement(By.id("right-ACCESS")).click();
            browser.type(By.id("email"), fields.get("email"));
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("This form cannot be sent again", browser.text(By.tagName("h1")));
            browser.check("form-refused", "en");
        }
    }

    @Test
    void tooManyRequestsForOneAddressSayWhenToTryAgain() throws Exception {
        Deployed app = new Deployed(url);
        String address = "rita.limit." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        try (WebBrowser browser = new WebBrowser(app, "en", "privacy")) {
            // three requests an hour per address
            for (int i = 0; i < 4; i++) {
                browser.open("/privacy/");
                browser.driver.findElement(By.id("right-OBJECTION")).click();
                browser.type(By.id("email"), address);
                browser.click(By.cssSelector("button[type=submit]"));
                if (i < 3) {
                    assertEquals("Check your mail", browser.text(By.tagName("h1")), "request " + (i + 1));
                }
            }
            assertEquals("Please wait before trying again", browser.text(By.tagName("h1")));
            assertTrue(browser.text(By.id("detail")).matches("You can try again in \\d+ minutes?, at \\d\\d:\\d\\d\\."), browser.text(By.id("detail")));
            browser.check("too-many", "en");
        }
    }

    @Test
    void aRequestIsFollowedByItsReferenceAfterItForgotTheAddress() throws Exception {
        Deployed app = new Deployed(url);
        String address = "fay.follow." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpResponse<String> received = app.post("/api/v1/privacy/requests", Deployed.token("dpo"), "application/json",
                "{\"type\":\"ERASURE\",\"email\":\"" + address + "\",\"verifiedBy\":\"signed letter\"}");
        assertEquals(201, received.statusCode(), received.body());
        String id = Deployed.json(received).getString("id");
        HttpResponse<String> extended = app.post("/api/v1/privacy/requests/" + id + "/extension", Deployed.token("dpo"), "application/json",
                "{\"months\":1,\"reason\":\"the request covers the paper archives of 14 venues\"}");
        assertEquals(200, extended.statusCode(), extended.body());
        await(() -> "REQUIRES_INPUT".equals(state(app, id)), "the erasure waits for the paper forms");
        HttpResponse<String> confirmed = app.post("/api/v1/privacy/requests/" + id + "/steps/paper-forms/confirmation", Deployed.token("operator"),
                "application/json", "{\"evidence\":\"registration cards shredded\"}");
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        awaitMail(address, "partially completed", id);
        await(() -> sealedAddress(id) == null, "after its outcome mail the request keeps no address");

        String stranger = "sam.stranger." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        try (WebBrowser browser = new WebBrowser(app, "en", "privacy")) {
            browser.open("/privacy/");
            browser.click(By.id("to-follow"));
            assertEquals("Follow your request", browser.text(By.tagName("h1")));
            browser.check("follow", "en");
            browser.click(By.cssSelector("button[type=submit]"));
            assertTrue(browser.text(By.id("reference-error")).contains("Enter the reference of your request."));
            assertTrue(browser.text(By.id("email-error")).contains("Enter your email address."));
            assertEquals("true", browser.driver.findElement(By.id("reference")).getAttribute("aria-invalid"));
            browser.check("follow-errors", "en");

            // another address with the right reference: the same answer, and no code is mailed to it
            browser.type(By.id("reference"), id);
            browser.type(By.id("email"), stranger);
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("Check your mail", browser.text(By.tagName("h1")));
            browser.type(By.id("code"), "00000000");
            browser.click(By.cssSelector("button[type=submit]"));
            assertTrue(browser.text(By.id("code-error")).contains("You have 4 attempts left."), browser.text(By.id("code-error")));

            browser.open("/privacy/follow");
            browser.type(By.id("reference"), id.toUpperCase(Locale.ROOT));
            browser.type(By.id("email"), address.toUpperCase(Locale.ROOT));
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("Check your mail", browser.text(By.tagName("h1")));
            assertFalse(browser.driver.getPageSource().toLowerCase(Locale.ROOT).contains(address), "the address is not written back into the page");
            browser.check("follow-code", "en");
            browser.type(By.id("code"), code(awaitMail(address, "follow", id)));
            browser.click(By.cssSelector("button[type=submit]"));

            assertEquals("Your request", browser.text(By.tagName("h1")));
            assertEquals(id, browser.text(By.id("reference")));
            assertEquals("Erase my data", browser.text(By.id("what")));
            assertEquals("Your request is done as far as the law allows; we tell you what was kept and why.", browser.text(By.id("state")));
            assertTrue(browser.text(By.id("extension-reason")).equals("the request covers the paper archives of 14 venues"));
            assertTrue(browser.text(By.id("extension")).matches("(?s).*we extended it to \\d{1,2} [A-Z][a-z]+ \\d{4}\\..*"),
                    browser.text(By.id("extension")));
            String steps = browser.text(By.className("steps"));
            assertTrue(steps.matches("(?s).*paper-forms: done on \\d{1,2} [A-Z][a-z]+ \\d{4}.*"), steps);
            assertTrue(steps.contains("finance-archive: kept, as the law requires, because: invoices are kept 10 years under tax law"), steps);
            assertTrue(steps.contains("this service (guest WiFi, bookings, consents): done on"), steps);
            assertTrue(browser.text(By.id("outcome")).contains("tax law"), browser.text(By.id("outcome")));
            assertTrue(browser.driver.findElements(By.id("due")).isEmpty(), "a finished request has no due date left");
            assertFalse(browser.driver.getCurrentUrl().contains(id), "the reference is not in the address bar");
            browser.check("status", "en");

            // the page can be shown again for a while without a new code
            browser.open("/privacy/status");
            assertEquals(id, browser.text(By.id("reference")));
        }
        assertFalse(mailTo(stranger), "no code went to an address the request was not made with");
    }

    @Test
    void consentsAreShownWithTheirWordsAndWithdrawnInOneActionInFrench() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String address = "colette.consent." + run + "@example.com";
        ProcessingIT.publishWording(app, "portal-marketing", "4", "marketing_email");
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "consent center " + run).getString("signingSecret");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                "consent-" + run, "{\"email\":\"" + address + "\",\"full_name\":\"Colette Consent\",\"connect_time\":\"2026-11-22T18:30:00Z\","
                        + "\"venue_name\":\"Consent Hall\",\"marketing_consent\":true,\"consent_wording_id\":\"portal-marketing\","
                        + "\"consent_wording_version\":\"4\"}"))));
        await(() -> ItEnvironment.crm().mailchimp().member("guests", address).map(m -> "subscribed".equals(m.get("status"))).orElse(false),
                "subscribed in Mailchimp");

        try (WebBrowser browser = new WebBrowser(app, "fr", "privacy")) {
            browser.open("/privacy/");
            browser.click(By.id("to-consent"));
            assertEquals("Vos consentements", browser.text(By.tagName("h1")));
            browser.check("consent", "fr");
            browser.type(By.id("email"), address);
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("Consultez vos courriels", browser.text(By.tagName("h1")));
            MimeMessage mail = awaitMail(address, "consentements", "");
            assertTrue(String.valueOf(mail.getContent()).contains("Pour confirmer que c’est bien vous"), "the code mail is in French: " + mail.getContent());
            assertEquals("Votre code pour gérer vos consentements", mail.getSubject());
            browser.type(By.id("code"), code(mail));
            browser.click(By.cssSelector("button[type=submit]"));

            assertEquals("Vos consentements", browser.text(By.tagName("h1")));
            WebElement consent = browser.driver.findElement(By.cssSelector("section.consent"));
            assertEquals("Prospection par courriel", consent.findElement(By.tagName("h2")).getText());
            assertEquals("Vous avez accepté.", consent.findElement(By.className("decision")).getText());
            WebElement wording = consent.findElement(By.className("wording"));
            assertEquals("The text of portal-marketing version 4.", wording.getText().strip(), "the exact words the guest was shown");
            assertEquals("en", wording.getAttribute("lang"), "in the language they were shown in");
            assertTrue(consent.getText().contains("22 novembre 2026"), consent.getText());
            assertFalse(consent.findElement(By.className("channel")).getText().isBlank(), "where it was given");
            browser.check("consents", "fr");

            browser.click(By.id("withdraw-0"));
            assertEquals("Vous avez retiré votre consentement : Prospection par courriel. Nos systèmes cessent de l’utiliser dès maintenant ; "
                    + "les CRM suivent en quelques minutes.", browser.text(By.id("withdrawn")));
            assertEquals("Vous l’avez retiré.", browser.text(By.className("decision")));
            assertTrue(browser.driver.findElements(By.id("withdraw-0")).isEmpty(), "nothing left to withdraw");
            browser.check("consents-withdrawn", "fr");
        }
        assertEquals("WITHDRAWN", ProcessingIT.currentMarketing(app, address));
        await(() -> ItEnvironment.crm().mailchimp().member("guests", address).map(m -> "unsubscribed".equals(m.get("status"))).orElse(false),
                "Mailchimp unsubscribes the member, as after any withdrawal");
        String guest = ProcessingIT.find(app, address);
        HttpResponse<String> ledger = app.get("/api/v1/guests/" + guest + "/consent", Deployed.token("dpo"));
        assertTrue(ledger.body().contains("\"channel\":\"subject-portal\""), "the withdrawal is in the ledger as the guest's own: " + ledger.body());
    }

    @Test
    void aKnownGuestCorrectsTheirDateOfBirthThenReadsTheirCopy() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String address = "cora.copy." + run + "@example.com";
        ProcessingIT.publishWording(app, "portal-marketing", "4", "marketing_email");
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "copy " + run).getString("signingSecret");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                "copy-" + run, "{\"email\":\"" + address + "\",\"full_name\":\"Cora Copy\",\"birth_date\":\"1980-01-01\","
                        + "\"connect_time\":\"2026-11-22T18:30:00Z\",\"venue_name\":\"Copy Hall " + run + "\",\"marketing_consent\":true,"
                        + "\"consent_wording_id\":\"portal-marketing\",\"consent_wording_version\":\"4\"}"))));
        String guest = ProcessingIT.find(app, address);

        try (WebBrowser browser = new WebBrowser(app, "en", "privacy")) {
            browser.open("/privacy/");
            browser.driver.findElement(By.id("right-RECTIFICATION")).click();
            browser.type(By.id("email"), address);
            browser.type(By.id("birthDay"), "31");
            browser.type(By.id("birthMonth"), "2");
            browser.type(By.id("birthYear"), "1985");
            browser.click(By.cssSelector("button[type=submit]"));
            assertTrue(browser.text(By.id("birthDay-error")).contains("Enter a real date of birth"), browser.text(By.id("birthDay-error")));
            assertEquals("true", browser.driver.findElement(By.id("birthDay")).getAttribute("aria-invalid"));
            assertEquals("31", browser.driver.findElement(By.id("birthDay")).getAttribute("value"), "what was typed stays to be fixed");
            assertTrue(browser.driver.findElement(By.cssSelector(".error-summary a[href='#birthDay']")).isDisplayed());
            browser.check("start-birth-error", "en");
            browser.type(By.id("birthDay"), "27");
            browser.type(By.id("birthMonth"), "3");
            browser.click(By.cssSelector("button[type=submit]"));
            String rectification = browser.driver.findElement(By.name("request")).getAttribute("value");
            browser.type(By.id("code"), code(awaitMail(address, rectification)));
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("Your request is confirmed and waits for our data protection officer to approve it.", browser.text(By.id("state")));

            assertEquals(200, app.post("/api/v1/privacy/requests/" + rectification + "/approval", Deployed.token("dpo"), null, null).statusCode());
            await(() -> "COMPLETED".equals(state(app, rectification)), "the rectification is applied");

            browser.open("/privacy/");
            browser.driver.findElement(By.id("right-ACCESS")).click();
            browser.type(By.id("email"), address);
            browser.click(By.cssSelector("button[type=submit]"));
            String access = browser.driver.findElement(By.name("request")).getAttribute("value");
            browser.type(By.id("code"), code(awaitMail(address, access)));
            browser.click(By.cssSelector("button[type=submit]"));
            Matcher link = LINK.matcher(com.icegreen.greenmail.util.GreenMailUtil.getBody(awaitMail(address, "completed", access)));
            assertTrue(link.find(), "the outcome mail links to the copy");
            browser.open(link.group());
            browser.click(By.cssSelector("button[type=submit]"));
            assertEquals("Your data", browser.text(By.tagName("h1")));
            String copy = browser.text(By.tagName("main"));
            // the profile with each value's source: the corrected date of birth as the guest's own statement
            String born = browser.text(By.xpath("//tr[td[normalize-space()='1985-03-27']]"));
            assertTrue(born.contains("BIRTH_DATE") && born.contains("SUBJECT"), born);
            String first = browser.text(By.xpath("//tr[td[normalize-space()='Cora']]"));
            assertTrue(first.contains("FIRST_NAME") && first.contains("WIFI"), first);
            assertTrue(copy.contains("Copy Hall " + run), "the visit and its venue");
            assertTrue(copy.contains("The text of portal-marketing version 4."), "the consent with the words the guest was shown");
            assertTrue(copy.contains(rectification), "the guest's privacy requests");
            browser.check("export-known", "en");
        }
        HttpResponse<String> profile = app.get("/api/v1/guests/" + guest, Deployed.token("dpo"));
        assertTrue(profile.body().contains("1985-03-27"), profile.body());
    }

    @Test
    void aVenuesPagesCarryItsBrandingAndKeepTheirContrast() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "brand " + run).getString("signingSecret");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                "brand-" + run, "{\"email\":\"bea.brand." + run + "@example.com\",\"connect_time\":\"2026-11-22T18:30:00Z\","
                        + "\"venue_name\":\"Hotel Brand " + run + "\"}"))));
        HttpResponse<String> all = app.get("/api/v1/venues", Deployed.token("operator"));
        String venue = Deployed.parse(all.body()).asJsonArray().stream().map(v -> v.asJsonObject())
                .filter(v -> v.getString("name").equals("Hotel Brand " + run)).findFirst().orElseThrow().getString("id");

        HttpResponse<String> unreadable = app.send(app.request("/api/v1/venues/" + venue, Deployed.token("operator"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"branding\":{\"headerColour\":\"#ffcc00\"}}")).build());
        assertEquals(400, unreadable.statusCode(), unreadable.body());
        assertTrue(unreadable.body().contains("4.5:1"), "the operator learns why: " + unreadable.body());
        HttpResponse<String> foreignLogo = app.send(app.request("/api/v1/venues/" + venue, Deployed.token("operator"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"branding\":{\"logoPath\":\"https://cdn.example/logo.png\"}}")).build());
        assertEquals(400, foreignLogo.statusCode(), foreignLogo.body());
        HttpResponse<String> branded = app.send(app.request("/api/v1/venues/" + venue, Deployed.token("operator"))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "{\"branding\":{\"logoPath\":\"/privacy/mark.svg\",\"headerColour\":\"#5b1a3a\",\"actionColour\":\"#7a3e00\","
                                + "\"privacyNoticeUrl\":\"https://hotel-brand.example/privacy\"}}")).build());
        assertEquals(200, branded.statusCode(), branded.body());

        try (WebBrowser browser = new WebBrowser(app, "en", "privacy")) {
            browser.open("/privacy/?venue=" + venue);
            assertTrue(browser.text(By.cssSelector("header.site")).contains("Hotel Brand " + run), browser.text(By.cssSelector("header.site")));
            WebElement logo = browser.driver.findElement(By.cssSelector("header.site img"));
            assertEquals("Hotel Brand " + run, logo.getAttribute("alt"));
            assertTrue(logo.getAttribute("src").startsWith(app.uri("/privacy/").toString()), "the logo is on this origin");
            assertEquals("rgba(91, 26, 58, 1)", browser.driver.findElement(By.cssSelector("header.site")).getCssValue("background-color"));
            assertEquals("rgba(122, 62, 0, 1)", browser.driver.findElement(By.cssSelector("button[type=submit]")).getCssValue("background-color"));
            assertEquals("https://hotel-brand.example/privacy", browser.driver.findElement(By.id("notice")).getAttribute("href"));
            browser.check("branded", "en");

            // the venue stays for the visit: the next page (a form's answer) carries it too
            browser.click(By.cssSelector("button[type=submit]"));
            assertTrue(browser.text(By.cssSelector("header.site")).contains("Hotel Brand " + run));

            // a colour written around the registry's check (by hand, in the database) is not used: the neutral one is
            try (java.sql.Connection c = Deployed.database();
                 java.sql.PreparedStatement s = c.prepareStatement("UPDATE idn_venue SET brand_header_colour = '#ffee00' WHERE id = ?")) {
                s.setString(1, venue);
                assertEquals(1, s.executeUpdate());
            }
            browser.open("/privacy/");
            assertEquals("rgba(20, 61, 89, 1)", browser.driver.findElement(By.cssSelector("header.site")).getCssValue("background-color"));
            assertEquals("rgba(122, 62, 0, 1)", browser.driver.findElement(By.cssSelector("button[type=submit]")).getCssValue("background-color"));
        }
        try (WebBrowser neutral = new WebBrowser(app, "en", "privacy")) {
            neutral.open("/privacy/");
            assertEquals("Privacy center", neutral.text(By.cssSelector("header.site .brand")), "no venue named: the neutral center");
            assertTrue(neutral.driver.findElements(By.cssSelector("header.site img")).isEmpty());
        }
    }

    private static String state(Deployed app, String id) {
        return Deployed.json(app.get("/api/v1/privacy/requests/" + id, Deployed.token("dpo"))).getString("state");
    }

    private static String sealedAddress(String id) {
        try (java.sql.Connection c = Deployed.database(); java.sql.PreparedStatement s = c.prepareStatement("SELECT email_sealed FROM prv_request WHERE id = ?")) {
            s.setString(1, id);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "the request is stored");
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean mailTo(String address) throws Exception {
        for (MimeMessage message : ItEnvironment.mail().getReceivedMessages()) {
            if (message.getAllRecipients()[0].toString().equalsIgnoreCase(address)) {
                return true;
            }
        }
        return false;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + ": not within 60 s");
    }

    private static HttpResponse<String> postForm(Deployed app, String client, String session, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = app.request("/privacy/request", null).header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Forwarded-For", client).POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Cookie", "JSESSIONID=" + session);
        }
        return app.send(request.build());
    }

    /** The request's due date as the JSON portal reports it, in words in the given language, in UTC (the default venue time zone). */
    private static String dueInWords(Deployed app, String id, Locale locale) {
        HttpResponse<String> status = app.get("/api/v1/public/privacy/requests/" + id, null);
        assertEquals(200, status.statusCode(), status.body());
        Instant due = Instant.parse(Deployed.json(status).getString("dueAt"));
        // French writes the first of a month as an ordinal: le 1er janvier
        boolean ordinal = locale.getLanguage().equals("fr") && due.atZone(ZoneOffset.UTC).getDayOfMonth() == 1;
        return DateTimeFormatter.ofPattern(ordinal ? "d'er' MMMM yyyy" : "d MMMM yyyy", locale).withZone(ZoneOffset.UTC).format(due);
    }

    private static MimeMessage awaitMail(String to, String requestId) throws Exception {
        return awaitMail(to, "code", requestId);
    }

    private static MimeMessage awaitMail(String to, String subjectWords, String requestId) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (MimeMessage message : ItEnvironment.mail().getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equalsIgnoreCase(to) && message.getSubject().toLowerCase(Locale.ROOT).contains(subjectWords)
                        && com.icegreen.greenmail.util.GreenMailUtil.getBody(message).contains(requestId)) {
                    return message;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no mail about '" + subjectWords + "' to " + to + " for request " + requestId + " within 60 s");
    }

    private static String code(MimeMessage message) throws Exception {
        Matcher m = CODE.matcher(String.valueOf(message.getContent()));
        assertTrue(m.find(), "the mail carries a code");
        return m.group(1);
    }
}
