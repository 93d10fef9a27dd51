package io.guestbridge.app.it;

import io.guestbridge.crmemulator.CrmEmulator;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasure end to end: a guest known to this database (profile, visits, device, consent, raw inbox
 * payloads) and to the emulated HubSpot, Salesforce and Mailchimp is erased step by step; afterwards a
 * full dump of the database and the emulators' stores hold nothing of them, a late Purple retry of a
 * login from before the erasure is refused, and a new login starts a fresh profile.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PrivacyIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.war();
    }

    @ArquillianResource
    URL url;

    private static CrmEmulator crm() {
        return ItEnvironment.crm();
    }

    @Test
    void anErasureLeavesNoResidueAnywhereAndKeepsTheSubjectOut() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "erin.erasmus." + run + "@example.com";
        String phone = "+447911" + (100000 + (int) (Math.random() * 899999));
        String mac = "00-0A-95-9D-" + run.substring(0, 2).toUpperCase() + "-" + run.substring(2, 4).toUpperCase();
        ProcessingIT.publishWording(app, "portal-marketing", "4", "marketing_email");
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "erasure " + run).getString("signingSecret");
        HttpResponse<String> login = ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret, "erase-" + run,
                "{\"email\":\"" + email + "\",\"full_name\":\"Erin Erasmus" + run + "\",\"phone\":\"" + phone + "\",\"mac\":\"" + mac + "\","
                        + "\"connect_time\":\"2026-11-20T10:00:00Z\",\"venue_name\":\"Erasure Hall\",\"marketing_consent\":true,"
                        + "\"consent_wording_id\":\"portal-marketing\",\"consent_wording_version\":\"4\"}");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(login)));
        String purplePath = ProcessingIT.registerPurple(app, "erasure purple " + run);
        String purpleLogin = new String(ProcessingIT.fixture(), StandardCharsets.UTF_8).replace("webhook@test.com", email)
                .replace("2018-01-18T13:27:08+0000", "2026-11-21T09:00:00+0000");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.post(app, purplePath, purpleLogin))));
        String guest = ProcessingIT.find(app, email);
        await(() -> crm().hubspot().contact(email).isPresent() && crm().salesforce().contactWhere("Email", email).isPresent()
                && crm().mailchimp().member("guests", email).isPresent(), "the guest is in all three CRMs");

        HttpResponse<String> received = app.post("/api/v1/privacy/requests", Deployed.token("dpo"), "application/json",
                "{\"type\":\"ERASURE\",\"email\":\"" + email + "\",\"verifiedBy\":\"reception: passport checked\"}");
        assertEquals(201, received.statusCode(), received.body());
        JsonObject request = Deployed.json(received);
        assertTrue(request.getInt("daysLeft") >= 28, "due a month after receipt: " + request);
        String id = request.getString("id");
        await(() -> "COMPLETED".equals(Deployed.json(app.get("/api/v1/privacy/requests/" + id, Deployed.token("dpo"))).getString("state")),
                "the request completes");
        JsonObject done = Deployed.json(app.get("/api/v1/privacy/requests/" + id, Deployed.token("compliance-officer")));
        List<String> systems = done.getJsonArray("steps").stream().map(s -> s.asJsonObject().getString("system")).sorted().toList();
        assertEquals(List.of("hubspot-main", "local", "mailchimp-main", "salesforce-main"), systems, "one step per system of the data map");
        assertTrue(done.getJsonArray("steps").stream().allMatch(s -> "CONFIRMED".equals(s.asJsonObject().getString("state"))
                && s.asJsonObject().containsKey("evidence")), done.toString());
        assertFalse(done.toString().contains(email), "the request shows no email");

        // the CRMs really deleted (HubSpot gdpr-delete, Salesforce delete, Mailchimp delete-permanent, not archive)
        assertTrue(crm().hubspot().contact(email).isEmpty() && crm().hubspot().gdprDeleted().contains(email.toLowerCase()));
        assertTrue(crm().salesforce().contactWhere("Email", email).isEmpty());
        assertTrue(crm().mailchimp().member("guests", email).isEmpty());
        assertTrue(crm().mailchimp().permanentlyDeleted().stream().anyMatch(m -> m.emailAddress().equalsIgnoreCase(email)));
        assertTrue(crm().mailchimp().archived().stream().noneMatch(m -> m.emailAddress().equalsIgnoreCase(email)));

        // residue check: a full dump of the database holds nothing of the subject
        String dump = dump();
        for (String trace : List.of(email, "Erasmus" + run, phone, phone.substring(1), mac, mac.replace("-", "").toLowerCase(), mac.toLowerCase())) {
            assertFalse(dump.toLowerCase().contains(trace.toLowerCase()), "the dump still contains a trace of the subject: " + trace);
        }
        assertTrue(dump.contains(guest), "pseudonymous audit rows stay (the guest id, nothing readable)");

        // a late Purple retry of a login from before the erasure is refused; a new login starts a new profile
        long late = ProcessingIT.stored(ProcessingIT.post(app, purplePath, purpleLogin.replace("\"id\":888,\"lastName\"", "\"id\":889,\"lastName\"")));
        assertEquals("REFUSED", ProcessingIT.awaitState(late));
        assertEquals(0, ProcessingIT.body(late).length, "the refused payload is discarded");
        String now = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC).format(Instant.now().plusSeconds(5));
        long fresh = ProcessingIT.stored(ProcessingIT.post(app, purplePath, purpleLogin.replace("2026-11-21T09:00:00+0000", now)));
        assertEquals("PROCESSED", ProcessingIT.awaitState(fresh));
        assertNotEquals(guest, ProcessingIT.find(app, email), "a new login after the erasure is a new guest");
    }

    private static String dump() throws Exception {
        Path binary = ItEnvironment.home().resolve("mariadb").resolve("base").resolve("bin").resolve("mariadb-dump");
        Process process = new ProcessBuilder(binary.toString(), "--host=127.0.0.1", "--port=" + System.getProperty("guestbridge.it.db.port"),
                "--user=guestbridge", "--skip-ssl", "--hex-blob", "--skip-extended-insert", "guestbridge")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "mariadb-dump ran");
        String dump = new String(out, StandardCharsets.UTF_8);
        assertTrue(dump.contains("CREATE TABLE `idn_guest`"), "a real dump");
        Files.writeString(Path.of("target", "privacy-it-dump.sql"), dump);
        // blobs come out as hex: decode the inbox bodies so a payload cannot hide the email
        StringBuilder decoded = new StringBuilder(dump);
        java.util.regex.Matcher hex = java.util.regex.Pattern.compile("0x([0-9A-F]{16,})").matcher(dump);
        while (hex.find()) {
            decoded.append('\n').append(new String(java.util.HexFormat.of().parseHex(hex.group(1)), StandardCharsets.UTF_8));
        }
        return decoded.toString();
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
