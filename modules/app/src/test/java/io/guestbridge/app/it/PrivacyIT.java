package io.guestbridge.app.it;

import io.guestbridge.crmemulator.CrmEmulator;
import jakarta.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-subject requests end to end, against the real server, MariaDB, the CRM and Purple emulators, a
 * warehouse database and a real SMTP server: erasure across every system of the data map (one of them
 * down for a while) with the residue check (a dump, every file of the database server, and a backup from before
 * the erasure restored after it); the key store apart from the data; portal intake with emailed codes, no enumeration, rate
 * limits, duplicates and approval; the access export against everything the database holds; objection;
 * the statutory clock (extension, expiry, escalation, metrics); the data map and the Art. 30 record.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PrivacyIT {

    private static final Pattern CODE = Pattern.compile("enter this code: (\\d{8})");
    private static final Pattern LINK = Pattern.compile("/privacy/export/([A-Za-z0-9_-]{43})");

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
    void anErasureReachesEverySystemOfTheDataMapAndLeavesNoResidue() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "erin.erasmus." + run + "@example.com";
        // above +447911199999: OnboardingIT texts +447911100000 onwards through the same emulator, whose stores this test searches
        String phone = "+447911" + (200000 + (int) (Math.random() * 799999));
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
        // another guest, who is not erased: what a backup still shows of them proves the backup can be read at all
        String control = "carla.control." + run + "@example.com";
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                "control-" + run, "{\"email\":\"" + control + "\",\"full_name\":\"Carla Control" + run + "\",\"connect_time\":\"2026-11-20T11:00:00Z\","
                        + "\"venue_name\":\"Erasure Hall\"}"))));
        // the same person in the WiFi platform and in the warehouse, as the integration would have left them
        crm().purple().addVisitor("it-company", email, "Erin", "Erasmus" + run, phone, mac);
        warehouse("INSERT INTO guest_facts (email, venue, visits) VALUES (?, 'Erasure Hall', 2)", email);
        await(() -> crm().hubspot().contact(email).isPresent() && crm().salesforce().contactWhere("Email", email).isPresent()
                && crm().mailchimp().member("guests", email).isPresent(), "the guest is in all three CRMs");

        // a backup of the data database, as its own user would take it, before the erasure (the key store is not in it)
        Path backup = backupOfTheDataDatabase();
        List<String> traces = traces(email, "Erasmus" + run, phone, mac);
        assertEquals(List.of("CREATE TABLE `idn_guest`"), search(backup, List.of("CREATE TABLE `idn_guest`")), "a real backup");
        assertEquals(List.of(), tracesInDump(backup, traces), "nothing personal in clear at rest, even before the erasure");

        // the WiFi platform is down for its first five calls: the step retries, the DPO hears of it, then it completes
        crm().purple().failNext(5, 503);
        HttpResponse<String> received = app.post("/api/v1/privacy/requests", Deployed.token("dpo"), "application/json",
                "{\"type\":\"ERASURE\",\"email\":\"" + email + "\",\"verifiedBy\":\"reception: passport checked\"}");
        assertEquals(201, received.statusCode(), received.body());
        JsonObject request = Deployed.json(received);
        assertTrue(request.getInt("daysLeft") >= 28, "due a month after receipt: " + request);
        String id = request.getString("id");
        MimeMessage escalation = awaitMail("dpo@guestbridge.test", "dpo step failing", id);
        assertTrue(text(escalation).contains("purple-wifi"), "the escalation names the failing system");
        assertFalse(text(escalation).contains(email), "no personal data in the DPO's mail");

        try {
            await(() -> "REQUIRES_INPUT".equals(view(app, id).getString("state")), "every automatic step is confirmed; the manual one waits");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ", the request as it stands: " + view(app, id), e); // which step, with its evidence
        }
        JsonObject waiting = view(app, id);
        JsonObject purpleStep = step(waiting, "purple-wifi");
        assertEquals("CONFIRMED", purpleStep.getString("state"), waiting.toString());
        assertTrue(purpleStep.getInt("attempts") >= 6, "failed five times, then confirmed: " + purpleStep);
        assertTrue(purpleStep.getString("evidence").contains("deleted 1 visitor"), purpleStep.toString());
        for (String crm : List.of("hubspot-main", "salesforce-main", "mailchimp-main", "warehouse", "local")) {
            assertEquals(1, step(waiting, crm).getInt("attempts"), "a confirmed step is not redone while another one retries: " + crm);
        }
        assertEquals("AWAITING_OPERATOR", step(waiting, "paper-forms").getString("state"));
        assertTrue(step(waiting, "paper-forms").containsKey("taskDueAt"));
        assertEquals("HELD", step(waiting, "finance-archive").getString("state"));
        HttpResponse<String> tooEarly = app.get("/api/v1/privacy/requests/" + id + "/certificate", Deployed.token("dpo"));
        assertEquals(409, tooEarly.statusCode(), "no certificate while a step is open: " + tooEarly.body());
        assertTrue(tooEarly.body().contains("REQUIRES_INPUT"), "the refusal says why: " + tooEarly.body());
        assertTrue(step(waiting, "warehouse").getString("evidence").startsWith("1 row(s) deleted"), waiting.toString());

        // resuming a confirmed step is refused; the operator confirms the manual one
        assertEquals(409, app.post("/api/v1/privacy/requests/" + id + "/steps/purple-wifi/resumption", Deployed.token("operator"), null, null).statusCode());
        HttpResponse<String> confirmed = app.post("/api/v1/privacy/requests/" + id + "/steps/paper-forms/confirmation", Deployed.token("operator"),
                "application/json", "{\"evidence\":\"registration cards shredded, certificate 4471\"}");
        assertEquals(200, confirmed.statusCode(), confirmed.body());
        JsonObject done = Deployed.json(confirmed);
        assertEquals("PARTIALLY_COMPLETED", done.getString("state"), "the finance archive is kept under Art. 17(3): " + done);
        assertTrue(done.getString("outcome").contains("tax law"), done.toString());
        List<String> systems = done.getJsonArray("steps").stream().map(s -> s.asJsonObject().getString("system")).sorted().toList();
        assertEquals(List.of("finance-archive", "hubspot-main", "local", "mailchimp-main", "paper-forms", "purple-wifi", "salesforce-main", "warehouse"),
                systems, "one step per system of the data map");
        assertFalse(done.toString().contains(email), "the request shows no email");
        theCertificateProvesTheRequestOffline(app, id, done);
        MimeMessage outcome = awaitMail(email, "partially completed", id);
        assertTrue(text(outcome).contains("tax law"), "the subject is told what was kept and why");

        // real deletion everywhere: HubSpot gdpr-delete, Salesforce delete, Mailchimp delete-permanent (not archive), Purple, the warehouse
        assertTrue(crm().hubspot().contact(email).isEmpty() && crm().hubspot().gdprDeleted().contains(email.toLowerCase()));
        assertTrue(crm().salesforce().contactWhere("Email", email).isEmpty());
        assertTrue(crm().mailchimp().member("guests", email).isEmpty());
        assertTrue(crm().mailchimp().permanentlyDeleted().stream().anyMatch(m -> m.emailAddress().equalsIgnoreCase(email)));
        assertTrue(crm().mailchimp().archived().stream().noneMatch(m -> m.emailAddress().equalsIgnoreCase(email)));
        assertTrue(crm().purple().visitor("it-company", email).isEmpty());
        assertEquals(0, warehouseCount(email));

        // residue check: a full dump of the database and every emulator's stores hold nothing of the subject
        Path dump = dump();
        assertEquals(List.of(), tracesInDump(dump, traces), "the database dump still contains a trace of the subject");
        String stores = crm().storedText().toLowerCase();
        for (String trace : traces) {
            assertFalse(stores.contains(trace.toLowerCase()), "an emulated system still stores a trace of the subject: " + trace);
        }
        assertEquals(List.of(guest), search(dump, List.of(guest)), "pseudonymous audit rows stay (the guest id, nothing readable)");

        // nor any file of the database server: tablespaces, redo and undo logs, binary logs, temporary files
        List<String> inFiles = residueInDatabaseFiles(traces);
        assertEquals(List.of(), inFiles, "the database's files still hold a trace of the subject");

        // the backup from before the erasure, restored after it, opens for the other guest and shows nothing of the subject
        String restored = readableInRestoredBackup(backup).toLowerCase();
        assertTrue(restored.contains(control.toLowerCase()), "the restored backup is readable where keys still exist (the other guest's email)");
        assertTrue(restored.contains(("Control" + run).toLowerCase()), "and the other guest's raw event");
        for (String trace : traces) {
            assertFalse(restored.contains(trace.toLowerCase()), "the restored backup still reveals the erased subject: " + trace);
        }

        // a late Purple retry of a login from before the erasure is refused; a new login starts a new profile
        long late = ProcessingIT.stored(ProcessingIT.post(app, purplePath, purpleLogin.replace("\"id\":888,\"lastName\"", "\"id\":889,\"lastName\"")));
        assertEquals("REFUSED", ProcessingIT.awaitState(late));
        assertEquals(0, ProcessingIT.body(late).length, "the refused payload is discarded");
        String now = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ").withZone(ZoneOffset.UTC).format(Instant.now().plusSeconds(5));
        long fresh = ProcessingIT.stored(ProcessingIT.post(app, purplePath, purpleLogin.replace("2026-11-21T09:00:00+0000", now)));
        assertEquals("PROCESSED", ProcessingIT.awaitState(fresh));
        assertNotEquals(guest, ProcessingIT.find(app, email), "a new login after the erasure is a new guest");
    }

    @Test
    void thePortalVerifiesByCodeRevealsNothingAndHandsOutTheAccessExportOnce() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String known = "ada.access." + run + "@example.com";
        String unknown = "nobody." + run + "@example.com";
        ProcessingIT.publishWording(app, "portal-marketing", "4", "marketing_email");
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "access " + run).getString("signingSecret");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                "access-" + run, "{\"email\":\"" + known + "\",\"full_name\":\"Ada Access" + run + "\",\"phone\":\"+447700900" + (100 + run.hashCode() % 800 + 800) % 1000
                        + "\",\"mac\":\"AA-BB-CC-" + run.substring(0, 2) + "-" + run.substring(2, 4) + "-" + run.substring(4, 6) + "\","
                        + "\"device_type\":\"mobile\",\"os\":\"iOS 17\",\"connect_time\":\"2026-11-22T18:30:00Z\",\"dwell_time_minutes\":42,"
                        + "\"venue_name\":\"Access Arena\",\"access_point_zone\":\"North Stand\",\"marketing_consent\":true,"
                        + "\"consent_wording_id\":\"portal-marketing\",\"consent_wording_version\":\"4\"}"))));
        String guest = ProcessingIT.find(app, known);
        // the export is a snapshot: let the CRM sync finish first, so the database holds no link the export could not have seen
        await(() -> crm().hubspot().contact(known).isPresent() && crm().salesforce().contactWhere("Email", known).isPresent()
                && crm().mailchimp().member("guests", known).isPresent(), "the guest is in all three CRMs");
        await(() -> {
            try {
                return ProcessingIT.count("SELECT COUNT(*) FROM crm_link WHERE guest_id = '" + guest + "'") == 3;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "the three CRM links are recorded");

        // the same answer, known or not
        HttpResponse<String> first = app.post("/api/v1/public/privacy/requests", null, "application/json", "{\"type\":\"ACCESS\",\"email\":\"" + known + "\"}");
        HttpResponse<String> other = app.post("/api/v1/public/privacy/requests", null, "application/json", "{\"type\":\"ACCESS\",\"email\":\"" + unknown + "\"}");
        assertEquals(202, first.statusCode(), first.body());
        assertEquals(202, other.statusCode(), other.body());
        String id = Deployed.json(first).getString("requestId");
        String otherId = Deployed.json(other).getString("requestId");
        assertEquals(first.body().replace(id, "ID"), other.body().replace(otherId, "ID"), "no account enumeration");
        assertEquals("IDENTITY_UNVERIFIED", view(app, id).getString("state"));

        // a wrong code counts; the mailed one verifies; then the export runs and its link arrives
        String code = code(awaitMail(known, "code", id));
        HttpResponse<String> wrong = app.post("/api/v1/public/privacy/requests/" + id + "/verification", null, "application/json", "{\"code\":\"00000000\"}");
        assertEquals(400, wrong.statusCode(), wrong.body());
        assertEquals(4, Deployed.json(wrong).getInt("attemptsLeft"), wrong.body());
        HttpResponse<String> verified = app.post("/api/v1/public/privacy/requests/" + id + "/verification", null, "application/json",
                "{\"code\":\"" + code + "\"}");
        assertEquals(200, verified.statusCode(), verified.body());
        assertEquals(409, app.post("/api/v1/public/privacy/requests/" + id + "/verification", null, "application/json", "{\"code\":\"" + code + "\"}")
                .statusCode(), "a code works once");
        await(() -> "COMPLETED".equals(view(app, id).getString("state")), "the access request completes");
        Matcher link = LINK.matcher(text(awaitMail(known, "completed", id)));
        assertTrue(link.find(), "the outcome mail carries the one-time link");
        HttpResponse<String> download = app.get("/api/v1/public/privacy/exports/" + link.group(1), null);
        assertEquals(200, download.statusCode(), download.body());
        assertEquals(404, app.get("/api/v1/public/privacy/exports/" + link.group(1), null).statusCode(), "the link works once");
        Files.writeString(Path.of("target", "privacy-it-export.json"), download.body());
        JsonObject export = Deployed.json(download);
        assertTrue(export.getJsonObject("article15").getString("controller").contains("Guestbridge Test Hotels"));
        assertTrue(export.getJsonObject("article15").getJsonArray("recipientsAndRetention").size() >= 7, "every system of the data map");
        String text = download.body();
        for (String expected : List.of(known, "Ada", "Access" + run, "Access Arena", "North Stand", "iOS 17", "The text of portal-marketing version 4.",
                "hubspot-main", id)) {
            assertTrue(text.contains(expected), "the export holds " + expected);
        }
        // everything the database holds about the subject: every readable value of every row keyed to the guest
        List<String> missing = new ArrayList<>();
        for (String value : databaseValues(guest)) {
            if (!text.contains(value)) {
                missing.add(value);
            }
        }
        assertEquals(List.of(), missing, "values the database holds about the guest but the export lacks");

        // rate limit per email: three an hour (two used above and below), the next is refused with Retry-After
        assertEquals(202, app.post("/api/v1/public/privacy/requests", null, "application/json", "{\"type\":\"ACCESS\",\"email\":\"" + known + "\"}").statusCode());
        assertEquals(202, app.post("/api/v1/public/privacy/requests", null, "application/json", "{\"type\":\"ERASURE\",\"email\":\"" + known + "\"}").statusCode());
        HttpResponse<String> limited = app.post("/api/v1/public/privacy/requests", null, "application/json", "{\"type\":\"ACCESS\",\"email\":\"" + known + "\"}");
        assertEquals(429, limited.statusCode(), limited.body());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        assertTrue(limited.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));

        // never verified: the request expires (the code's expiry is moved into the past, as time would), audited, address dropped
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement(
                "UPDATE prv_request SET code_expires_at = ? WHERE id = ?")) {
            s.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1));
            s.setString(2, otherId);
            assertEquals(1, s.executeUpdate());
        }
        await(() -> "EXPIRED".equals(view(app, otherId).getString("state")), "an unverified request expires");
        assertEquals(0, ProcessingIT.count("SELECT COUNT(*) FROM prv_request WHERE id = '" + otherId + "' AND email_sealed IS NOT NULL"));
        assertTrue(ProcessingIT.count("SELECT COUNT(*) FROM aud_record_written WHERE subject_ref = 'privacy-request:" + otherId + "' AND action = 'PRIVACY_REQUEST_EXPIRED'") == 1);
    }

    @Test
    void aDuplicateIsVerifiedAgainAndClosedAndApprovalGatesARectification() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "rita.rect." + run + "@example.com";
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "rectification " + run).getString("signingSecret");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                "rect-" + run, "{\"email\":\"" + email + "\",\"full_name\":\"Rita Wrongname\",\"connect_time\":\"2026-11-22T18:30:00Z\","
                        + "\"venue_name\":\"Rect Hall\",\"marketing_consent\":false}"))));
        String guest = ProcessingIT.find(app, email);

        HttpResponse<String> staff = app.post("/api/v1/privacy/requests", Deployed.token("operator"), "application/json",
                "{\"type\":\"RECTIFICATION\",\"email\":\"" + email + "\",\"verifiedBy\":\"phone call, booking reference checked\","
                        + "\"corrections\":{\"lastName\":\"Rightname\"}}");
        assertEquals(201, staff.statusCode(), staff.body());
        String id = Deployed.json(staff).getString("id");
        assertEquals("AWAITING_APPROVAL", Deployed.json(staff).getString("state"), "rectifications wait for the DPO here");
        assertEquals(400, app.post("/api/v1/privacy/requests", Deployed.token("operator"), "application/json",
                "{\"type\":\"RECTIFICATION\",\"email\":\"" + email + "\",\"verifiedBy\":\"x\",\"corrections\":{\"email\":\"new@example.com\"}}").statusCode(),
                "the email is not corrected this way");

        // the same request through the portal: verified on its own, then closed as a duplicate
        HttpResponse<String> again = app.post("/api/v1/public/privacy/requests", null, "application/json",
                "{\"type\":\"RECTIFICATION\",\"email\":\"" + email + "\",\"corrections\":{\"lastName\":\"Rightname\"}}");
        String duplicate = Deployed.json(again).getString("requestId");
        assertEquals("IDENTITY_UNVERIFIED", view(app, duplicate).getString("state"), "a duplicate is verified again before anything runs");
        String code = code(awaitMail(email, "code", duplicate));
        HttpResponse<String> verified = app.post("/api/v1/public/privacy/requests/" + duplicate + "/verification", null, "application/json",
                "{\"code\":\"" + code + "\"}");
        assertEquals(200, verified.statusCode(), verified.body());
        JsonObject closed = view(app, duplicate);
        assertEquals("CANCELLED", closed.getString("state"), closed.toString());
        assertEquals(id, closed.getString("duplicateOf"));

        // the DPO approves; the correction is applied as the subject's own, outranking the WiFi source
        assertEquals(403, app.post("/api/v1/privacy/requests/" + id + "/approval", Deployed.token("operator"), null, null).statusCode());
        HttpResponse<String> approved = app.post("/api/v1/privacy/requests/" + id + "/approval", Deployed.token("dpo"), null, null);
        assertEquals(200, approved.statusCode(), approved.body());
        await(() -> "COMPLETED".equals(view(app, id).getString("state")), "the rectification completes");
        JsonObject profile = Deployed.json(app.get("/api/v1/guests/" + guest, Deployed.token("dpo")));
        assertTrue(profile.toString().contains("Rightname") && !profile.toString().contains("Wrongname"), profile.toString());
    }

    @Test
    void anObjectionWithdrawsMarketingAndTheCrmsFollow() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "otto.object." + run + "@example.com";
        ProcessingIT.publishWording(app, "portal-marketing", "4", "marketing_email");
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "objection " + run).getString("signingSecret");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                "object-" + run, "{\"email\":\"" + email + "\",\"full_name\":\"Otto Object\",\"connect_time\":\"2026-11-22T18:30:00Z\","
                        + "\"venue_name\":\"Objection Hall\",\"marketing_consent\":true,\"consent_wording_id\":\"portal-marketing\","
                        + "\"consent_wording_version\":\"4\"}"))));
        await(() -> crm().mailchimp().member("guests", email).map(m -> "subscribed".equals(m.get("status"))).orElse(false), "subscribed in Mailchimp");

        HttpResponse<String> received = app.post("/api/v1/privacy/requests", Deployed.token("dpo"), "application/json",
                "{\"type\":\"OBJECTION\",\"email\":\"" + email + "\",\"verifiedBy\":\"signed letter\"}");
        assertEquals(201, received.statusCode(), received.body());
        String id = Deployed.json(received).getString("id");
        await(() -> "COMPLETED".equals(view(app, id).getString("state")), "the objection completes");
        assertTrue(step(view(app, id), "local").getString("evidence").contains("marketing_email"));
        assertEquals("WITHDRAWN", ProcessingIT.currentMarketing(app, email));
        await(() -> crm().mailchimp().member("guests", email).map(m -> "unsubscribed".equals(m.get("status"))).orElse(false),
                "Mailchimp unsubscribes the member");
    }

    /**
     * A request whose steps have all ended but which is still in progress (a server of an earlier version, which ended
     * steps and requests in separate transactions, stopped between the two) ends when one of its steps' work items is
     * delivered again: the item finds its step ended and ends the request then. The stop is set up here as the database
     * holds it.
     */
    @Test
    void aRequestWhoseStepsAllEndedBeforeAStopEndsWhenAStepIsDeliveredAgain() throws Exception {
        Deployed app = new Deployed(url);
        String email = "stella.stopped." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpResponse<String> received = app.post("/api/v1/privacy/requests", Deployed.token("dpo"), "application/json",
                "{\"type\":\"OBJECTION\",\"email\":\"" + email + "\",\"verifiedBy\":\"signed letter\"}");
        assertEquals(201, received.statusCode(), received.body());
        String id = Deployed.json(received).getString("id");
        await(() -> "COMPLETED".equals(view(app, id).getString("state")), "the objection completes");
        List<String> systems = view(app, id).getJsonArray("steps").stream().map(v -> v.asJsonObject())
                .peek(step -> assertEquals("CONFIRMED", step.getString("state"), step.toString())).map(step -> step.getString("system")).toList();

        // as the stop left it: every step ended, the request still in progress, and the last step's work item not done
        try (Connection c = Deployed.database()) {
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_request SET state = 'IN_PROGRESS', completed_at = NULL, outcome = NULL WHERE id = ?")) {
                s.setString(1, id);
                assertEquals(1, s.executeUpdate());
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO plt_work_item (queue, payload, next_attempt_at, created_at, updated_at) "
                    + "VALUES ('privacy-steps', ?, NOW(6), NOW(6), NOW(6))")) {
                s.setString(1, "{\"request\":\"" + id + "\",\"system\":\"" + systems.get(systems.size() - 1) + "\"}");
                assertEquals(1, s.executeUpdate());
            }
        }
        assertEquals("IN_PROGRESS", view(app, id).getString("state"));
        await(() -> "COMPLETED".equals(view(app, id).getString("state")), "the request ends when its step comes again");
        assertEquals("every system confirmed", view(app, id).getString("outcome"));
    }

    @Test
    void theClockExtendsOnceEscalatesAndCounts() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "clara.clock." + run + "@example.com";
        HttpResponse<String> received = app.post("/api/v1/privacy/requests", Deployed.token("dpo"), "application/json",
                "{\"type\":\"RECTIFICATION\",\"email\":\"" + email + "\",\"verifiedBy\":\"in person\",\"corrections\":{\"firstName\":\"Clara\"}}");
        String id = Deployed.json(received).getString("id");
        Instant due = Instant.parse(Deployed.json(received).getString("dueAt"));

        assertEquals(400, app.post("/api/v1/privacy/requests/" + id + "/extension", Deployed.token("dpo"), "application/json",
                "{\"months\":3,\"reason\":\"too long\"}").statusCode(), "at most two further months");
        HttpResponse<String> extended = app.post("/api/v1/privacy/requests/" + id + "/extension", Deployed.token("dpo"), "application/json",
                "{\"months\":2,\"reason\":\"the request covers 14 venues' archives\"}");
        assertEquals(200, extended.statusCode(), extended.body());
        Instant newDue = Instant.parse(Deployed.json(extended).getString("dueAt"));
        assertEquals(LocalDateTime.ofInstant(due, ZoneOffset.UTC).plusMonths(2), LocalDateTime.ofInstant(newDue, ZoneOffset.UTC));
        assertEquals(409, app.post("/api/v1/privacy/requests/" + id + "/extension", Deployed.token("dpo"), "application/json",
                "{\"months\":1,\"reason\":\"again\"}").statusCode(), "one extension only");
        assertTrue(text(awaitMail(email, "more time", id)).contains("14 venues"), "the subject is told why, before the first month ends");

        // due within 7 days (moved there, as time would): the DPO is mailed once; past due: it counts as overdue
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("UPDATE prv_request SET due_at = ? WHERE id = ?")) {
            s.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minusHours(1));
            s.setString(2, id);
            s.executeUpdate();
        }
        MimeMessage escalation = awaitMail("dpo@guestbridge.test", "dpo due soon", id);
        assertFalse(text(escalation).contains(email));
        await(() -> metric(app, "guestbridge_privacy_requests_overdue") >= 1, "the overdue count in /metrics");
        assertTrue(metric(app, "guestbridge_privacy_requests_open") >= 1);
        JsonObject overdue = Deployed.parse(app.get("/api/v1/privacy/requests?state=overdue", Deployed.token("compliance-officer")).body()).asJsonArray()
                .stream().map(v -> v.asJsonObject()).filter(v -> v.getString("id").equals(id)).findFirst().orElseThrow();
        assertTrue(overdue.getBoolean("overdue"));
        HttpResponse<String> rejected = app.post("/api/v1/privacy/requests/" + id + "/rejection", Deployed.token("dpo"), "application/json",
                "{\"reason\":\"no guest profile matches and no venue knows the requester\"}");
        assertEquals(200, rejected.statusCode(), rejected.body());
        assertEquals(409, app.post("/api/v1/privacy/requests/" + id + "/approval", Deployed.token("dpo"), null, null).statusCode(), "an ended request stays ended");
    }

    @Test
    void aSponsorReceivesOnlyItsConsentingGuestsUntilOneWithdrawsOrItsAgreementEnds() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String sponsor = "acme-" + run;
        String dpo = Deployed.token("dpo");
        Instant now = Instant.now();
        String registration = "{\"id\":\"" + sponsor + "\",\"name\":\"Acme Drinks " + run + "\",\"agreementRef\":\"DSA-" + run + "\","
                + "\"purpose\":\"Offers from Acme Drinks\",\"sharedFields\":[\"EMAIL\",\"FIRST_NAME\"%s],\"startsAt\":\"%s\",\"endsAt\":\"%s\"}";
        HttpResponse<String> endBeforeStart = app.post("/api/v1/sponsors", dpo, "application/json",
                registration.formatted("", now.plusSeconds(86_400), now.minusSeconds(86_400)));
        assertEquals(400, endBeforeStart.statusCode(), endBeforeStart.body());
        assertTrue(endBeforeStart.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(endBeforeStart.body().contains("must be after its start"), endBeforeStart.body());
        HttpResponse<String> unknownField = app.post("/api/v1/sponsors", dpo, "application/json",
                registration.formatted(",\"SHOE_SIZE\"", now.minusSeconds(86_400), now.plusSeconds(86_400)));
        assertEquals(400, unknownField.statusCode());
        assertTrue(unknownField.body().contains("SHOE_SIZE"), unknownField.body());
        HttpResponse<String> registered = app.post("/api/v1/sponsors", dpo, "application/json",
                registration.formatted("", now.minusSeconds(86_400), now.plusSeconds(86_400)));
        assertEquals(201, registered.statusCode(), registered.body());
        assertEquals("IN_FORCE", Deployed.json(registered).getString("status"));
        assertEquals(409, app.post("/api/v1/sponsors", dpo, "application/json", registration.replace(sponsor, sponsor + "b")
                .formatted("", now.minusSeconds(86_400), now.plusSeconds(86_400))).statusCode(), "one agreement, one sponsor");
        assertEquals(403, app.post("/api/v1/sponsors/" + sponsor + "/exports", Deployed.token("operator"), null, null).statusCode());

        // three guests of a hotel: two consent to the sponsor, one only to the hotel's own marketing
        ProcessingIT.publishWording(app, "sponsor-" + run, "1", "sponsor:" + sponsor);
        JsonObject hotel = ProcessingIT.registerSigned(app, "BOOKING", "sponsor hotel " + run);
        String ada = "ada.sponsor." + run + "@example.com";
        String bob = "bob.sponsor." + run + "@example.com";
        String cy = "cy.sponsor." + run + "@example.com";
        for (String[] guest : List.of(new String[]{ada, "Ada", "GRANTED"}, new String[]{bob, "Bob", "GRANTED"}, new String[]{cy, "Cy", "DENIED"})) {
            String booking = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-11-25T08:00:00Z\",\"reservation\":{\"id\":\"R-" + guest[1] + run
                    + "\",\"arrival\":\"2026-12-28T15:00\",\"departure\":\"2026-12-30T11:00\",\"timeZone\":\"Europe/London\"},\"guest\":{\"id\":\"G-" + guest[1] + run + "\",\"email\":\""
                    + guest[0] + "\",\"firstName\":\"" + guest[1] + "\",\"lastName\":\"Sponsored\"},\"consent\":[{\"purpose\":\"sponsor:" + sponsor
                    + "\",\"decision\":\"" + guest[2] + "\",\"wordingId\":\"sponsor-" + run + "\",\"wordingVersion\":\"1\"}]}";
            assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, hotel.getString("webhookPath"),
                    hotel.getString("signingSecret"), "sponsor-" + guest[1] + run, booking))));
        }

        JsonObject first = sponsorExport(app, sponsor, 200);
        assertEquals(List.of("Ada", "Bob"), first.getJsonArray("guests").stream().map(g -> g.asJsonObject().getString("FIRST_NAME")).sorted().toList(),
                "exactly the guests whose sponsor consent is granted");
        assertTrue(first.getJsonArray("guests").stream().allMatch(g -> g.asJsonObject().keySet().equals(java.util.Set.of("EMAIL", "FIRST_NAME"))),
                "the agreement's fields only: " + first);
        assertFalse(first.toString().contains(cy));

        String bobId = ProcessingIT.find(app, bob);
        HttpResponse<String> withdrawn = app.post("/api/v1/guests/" + bobId + "/consent/withdrawals", dpo, "application/json",
                "{\"purpose\":\"sponsor:" + sponsor + "\",\"channel\":\"letter to the hotel\"}");
        assertEquals(200, withdrawn.statusCode(), withdrawn.body());
        JsonObject second = sponsorExport(app, sponsor, 200);
        assertEquals(List.of(ada), second.getJsonArray("guests").stream().map(g -> g.asJsonObject().getString("EMAIL")).toList());
        assertEquals(1, second.getInt("stopped"));
        await(() -> app.get("/api/v1/audit/records?subject=guest:" + bobId + "&action=SPONSOR_SHARING_STOPPED", Deployed.token("compliance-officer"))
                .body().contains("CONSENT_NOT_IN_FORCE"), "the withdrawal's stop is audited about the guest");

        // the agreement expires (moved there, as time would): nothing is shared, and what was shared is recorded as stopped
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("UPDATE crm_sponsor SET ends_at = ? WHERE id = ?")) {
            s.setObject(1, LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1));
            s.setString(2, sponsor);
            assertEquals(1, s.executeUpdate());
        }
        HttpResponse<String> expired = app.post("/api/v1/sponsors/" + sponsor + "/exports", dpo, null, null);
        assertEquals(409, expired.statusCode(), expired.body());
        assertTrue(expired.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertFalse(expired.body().contains(ada), "nothing shared outside the agreement");
        String adaId = ProcessingIT.find(app, ada);
        await(() -> app.get("/api/v1/audit/records?subject=guest:" + adaId + "&action=SPONSOR_SHARING_STOPPED", Deployed.token("compliance-officer"))
                .body().contains("AGREEMENT_NOT_IN_FORCE"), "the expiry's stop is audited about the guest");
        assertEquals("ENDED", Deployed.json(app.get("/api/v1/sponsors/" + sponsor, dpo)).getString("status"));

        // renewed, then ended now by the DPO
        HttpResponse<String> renewed = app.send(app.request("/api/v1/sponsors/" + sponsor + "/agreement-end", dpo).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"endsAt\":\"" + now.plusSeconds(86_400) + "\"}")).build());
        assertEquals(200, renewed.statusCode(), renewed.body());
        assertEquals(1, sponsorExport(app, sponsor, 200).getJsonArray("guests").size());
        assertEquals(200, app.post("/api/v1/sponsors/" + sponsor + "/end", dpo, null, null).statusCode());
        assertEquals(409, app.post("/api/v1/sponsors/" + sponsor + "/end", dpo, null, null).statusCode(), "an ended agreement stays ended");
        sponsorExport(app, sponsor, 409);
    }

    @Test
    void aCcpaRequestRunsOnCaliforniasClockAndAnOptOutStopsSponsorSharingAtOnce() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String dpo = Deployed.token("dpo");
        String email = "cal.ccpa." + run + "@example.com";

        HttpResponse<String> objection = app.post("/api/v1/privacy/requests", dpo, "application/json",
                "{\"type\":\"OBJECTION\",\"email\":\"" + email + "\",\"verifiedBy\":\"signed letter\",\"regime\":\"CCPA\"}");
        assertEquals(400, objection.statusCode(), objection.body());
        assertTrue(objection.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(objection.body().contains("OPT_OUT (opt out of sale or sharing)"), "the problem names the types the law has: " + objection.body());
        HttpResponse<String> unknown = app.post("/api/v1/privacy/requests", dpo, "application/json",
                "{\"type\":\"ACCESS\",\"email\":\"" + email + "\",\"verifiedBy\":\"signed letter\",\"regime\":\"PIPEDA\"}");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("GDPR, UK_GDPR, CCPA"), unknown.body());

        // a request to correct (it waits for approval here, so it stays open): 45 days of California, one 45-day extension
        HttpResponse<String> received = app.post("/api/v1/privacy/requests", dpo, "application/json", "{\"type\":\"RECTIFICATION\",\"email\":\""
                + email + "\",\"verifiedBy\":\"in person\",\"corrections\":{\"firstName\":\"Cal\"},\"regime\":\"CCPA\"}");
        assertEquals(201, received.statusCode(), received.body());
        JsonObject request = Deployed.json(received);
        String id = request.getString("id");
        assertEquals("CCPA", request.getString("regime"));
        java.time.ZoneId california = java.time.ZoneId.of("America/Los_Angeles");
        Instant due = Instant.parse(request.getString("dueAt"));
        assertEquals(Instant.parse(request.getString("receivedAt")).atZone(california).plusDays(45).toInstant(), due);
        HttpResponse<String> inMonths = app.post("/api/v1/privacy/requests/" + id + "/extension", dpo, "application/json",
                "{\"months\":1,\"reason\":\"the archives of 14 venues\"}");
        assertEquals(400, inMonths.statusCode(), inMonths.body());
        assertTrue(inMonths.body().contains("45 days"), inMonths.body());
        HttpResponse<String> extended = app.post("/api/v1/privacy/requests/" + id + "/extension", dpo, "application/json",
                "{\"days\":45,\"reason\":\"the archives of 14 venues\"}");
        assertEquals(200, extended.statusCode(), extended.body());
        assertEquals(due.atZone(california).plusDays(45).toInstant(), Instant.parse(Deployed.json(extended).getString("dueAt")));
        HttpResponse<String> again = app.post("/api/v1/privacy/requests/" + id + "/extension", dpo, "application/json",
                "{\"reason\":\"still more archives\"}");
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("one extension of 45 days"), again.body());
        assertTrue(text(awaitMail(email, "more time", id)).contains("1798.130"), "the subject is told under which provision");
        assertTrue(app.get("/api/v1/privacy/requests?state=AWAITING_APPROVAL&regime=CCPA", dpo).body().contains(id));
        assertFalse(app.get("/api/v1/privacy/requests?state=AWAITING_APPROVAL&regime=GDPR", dpo).body().contains(id));
        assertEquals(400, app.get("/api/v1/privacy/requests?regime=PIPEDA", dpo).statusCode());
        await(() -> app.get("/api/v1/audit/records?subject=privacy-request:" + id + "&action=PRIVACY_REQUEST_RECEIVED", Deployed.token("compliance-officer"))
                .body().contains("CCPA"), "the regime is audited with the request");
        assertEquals(200, app.post("/api/v1/privacy/requests/" + id + "/rejection", dpo, "application/json",
                "{\"reason\":\"no guest profile matches\"}").statusCode());

        // a guest a sponsor receives opts out of sale or sharing: sharing stops at once, not at the sponsor's next export
        String sponsor = "optout-" + run;
        Instant now = Instant.now();
        assertEquals(201, app.post("/api/v1/sponsors", dpo, "application/json", "{\"id\":\"" + sponsor + "\",\"name\":\"Opt Out Drinks " + run
                + "\",\"agreementRef\":\"DSA-OO-" + run + "\",\"purpose\":\"Offers\",\"sharedFields\":[\"EMAIL\"],\"startsAt\":\""
                + now.minusSeconds(86_400) + "\",\"endsAt\":\"" + now.plusSeconds(86_400) + "\",\"contactEmail\":\"privacy@" + sponsor + ".example\"}").statusCode());
        ProcessingIT.publishWording(app, "sponsor-" + sponsor, "1", "sponsor:" + sponsor);
        JsonObject hotel = ProcessingIT.registerSigned(app, "BOOKING", "opt-out hotel " + run);
        String guestEmail = "olive.optout." + run + "@example.com";
        String booking = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"2026-11-25T08:00:00Z\",\"reservation\":{\"id\":\"R-O" + run
                + "\",\"arrival\":\"2026-12-28T15:00\",\"departure\":\"2026-12-30T11:00\",\"timeZone\":\"America/Los_Angeles\"},\"guest\":{\"id\":\"G-O"
                + run + "\",\"email\":\"" + guestEmail + "\",\"firstName\":\"Olive\",\"lastName\":\"Optout\"},\"consent\":[{\"purpose\":\"sponsor:"
                + sponsor + "\",\"decision\":\"GRANTED\",\"wordingId\":\"sponsor-" + sponsor + "\",\"wordingVersion\":\"1\"}]}";
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, hotel.getString("webhookPath"),
                hotel.getString("signingSecret"), "optout-" + run, booking))));
        assertEquals(1, sponsorExport(app, sponsor, 200).getJsonArray("guests").size());
        String guest = ProcessingIT.find(app, guestEmail);

        HttpResponse<String> optOut = app.post("/api/v1/privacy/requests", dpo, "application/json",
                "{\"type\":\"OPT_OUT\",\"email\":\"" + guestEmail + "\",\"verifiedBy\":\"phone call, booking reference checked\",\"regime\":\"CCPA\"}");
        assertEquals(201, optOut.statusCode(), optOut.body());
        JsonObject optOutRequest = Deployed.json(optOut);
        String optOutId = optOutRequest.getString("id");
        Instant optOutReceived = Instant.parse(optOutRequest.getString("receivedAt"));
        Instant optOutDue = Instant.parse(optOutRequest.getString("dueAt"));
        assertTrue(optOutDue.isAfter(optOutReceived.plus(java.time.Duration.ofDays(18))) && optOutDue.isBefore(optOutReceived.plus(java.time.Duration.ofDays(22))),
                "15 business days are three weeks: " + optOutDue);
        await(() -> "COMPLETED".equals(view(app, optOutId).getString("state")), "the opt-out completes");
        assertTrue(step(view(app, optOutId), "local").getString("evidence").contains("sharing stopped with sponsor(s): " + sponsor),
                step(view(app, optOutId), "local").toString());
        assertEquals("WITHDRAWN", Deployed.json(app.get("/api/v1/guests/" + guest + "/consent", dpo)).getJsonObject("currentState")
                .getString("sponsor:" + sponsor));
        await(() -> app.get("/api/v1/audit/records?subject=guest:" + guest + "&action=SPONSOR_SHARING_STOPPED", Deployed.token("compliance-officer"))
                .body().contains(optOutId), "the stop is audited about the guest, with the request as evidence");
        JsonObject next = sponsorExport(app, sponsor, 200);
        assertEquals(0, next.getJsonArray("guests").size());
        assertEquals(0, next.getInt("stopped"), "already stopped by the opt-out, not by this export");
        assertEquals(409, app.post("/api/v1/privacy/requests/" + optOutId + "/extension", dpo, "application/json",
                "{\"reason\":\"more time\"}").statusCode(), "an ended request is not extended");

        // the guest is then erased: the sponsor that received them is told, with the request's reference and nothing about the guest
        HttpResponse<String> erasure = app.post("/api/v1/privacy/requests", dpo, "application/json",
                "{\"type\":\"ERASURE\",\"email\":\"" + guestEmail + "\",\"verifiedBy\":\"phone call, booking reference checked\",\"regime\":\"CCPA\"}");
        assertEquals(201, erasure.statusCode(), erasure.body());
        String erasureId = Deployed.json(erasure).getString("id");
        await(() -> "REQUIRES_INPUT".equals(view(app, erasureId).getString("state")), "every automatic step is confirmed; the manual one waits");
        assertTrue(step(view(app, erasureId), "local").getString("evidence").contains("sponsors to tell when the erasure ends: " + sponsor));
        assertEquals(200, app.post("/api/v1/privacy/requests/" + erasureId + "/steps/paper-forms/confirmation", Deployed.token("operator"),
                "application/json", "{\"evidence\":\"cards shredded\"}").statusCode());
        MimeMessage told = awaitMail("privacy@" + sponsor + ".example", "erasure of shared personal data", erasureId);
        assertTrue(text(told).contains("DSA-OO-" + run) && text(told).contains("1798.105"), text(told));
        assertFalse(text(told).contains(guestEmail) || text(told).contains("Olive") || text(told).contains(guest), "nothing about the guest: " + text(told));
        await(() -> app.get("/api/v1/audit/records?subject=privacy-request:" + erasureId + "&action=PRIVACY_RECIPIENT_NOTIFIED",
                Deployed.token("compliance-officer")).body().contains(sponsor), "the notice is audited");
    }

    private static JsonObject sponsorExport(Deployed app, String sponsor, int status) {
        HttpResponse<String> export = app.post("/api/v1/sponsors/" + sponsor + "/exports", Deployed.token("dpo"), null, null);
        assertEquals(status, export.statusCode(), export.body());
        return Deployed.json(export);
    }

    @Test
    void theDataMapProducesTheRecordOfProcessing() {
        Deployed app = new Deployed(url);
        HttpResponse<String> map = app.get("/api/v1/privacy/data-map", Deployed.token("compliance-officer"));
        assertEquals(200, map.statusCode(), map.body());
        List<String> names = Deployed.parse(map.body()).asJsonArray().stream().map(v -> v.asJsonObject().getString("name")).toList();
        assertTrue(names.containsAll(List.of("local", "hubspot-main", "salesforce-main", "mailchimp-main", "purple-wifi", "warehouse", "paper-forms",
                "finance-archive")), names.toString());
        assertFalse(map.body().contains("purple-test-token") || map.body().contains("jdbc:"), "no settings or secrets in the map");
        HttpResponse<String> csv = app.get("/api/v1/privacy/data-map/record-of-processing", Deployed.token("dpo"));
        assertEquals(200, csv.statusCode(), csv.body());
        String[] lines = csv.body().split("\r\n");
        assertTrue(lines[0].startsWith("controller,system,kind,categories of data,purposes,recipients,retention"), lines[0]);
        assertEquals(names.size(), Arrays.stream(lines).filter(l -> l.matches("^\"[^\"]*\",\"[^\"]*\",\"(LOCAL|CRM|PURPLE|JDBC|MANUAL)\",.*")).count(),
                "one row per system of the map");
        assertTrue(Arrays.stream(lines).anyMatch(l -> l.contains("\"finance-archive\"") && l.contains("tax law")));
        assertEquals(403, app.get("/api/v1/privacy/data-map/record-of-processing", Deployed.token("integration")).statusCode());
    }

    @Test
    void theRecordOfProcessingNamesEveryRecipientOfTheDataMapWithItsTransfersRetentionAndSecurity() {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        HttpResponse<String> registered = app.post("/api/v1/sponsors", Deployed.token("dpo"), "application/json", "{\"id\":\"record-" + run
                + "\",\"name\":\"Record Sponsor " + run + "\",\"agreementRef\":\"DSA-R-" + run + "\",\"purpose\":\"Offers to guests who asked for them\","
                + "\"sharedFields\":[\"EMAIL\"],\"startsAt\":\"" + now.minusSeconds(60) + "\"}");
        assertEquals(201, registered.statusCode(), registered.body());

        List<String> recipients = Deployed.parse(app.get("/api/v1/privacy/data-map", Deployed.token("dpo")).body()).asJsonArray().stream()
                .flatMap(v -> v.asJsonObject().getJsonArray("recipients").getValuesAs(jakarta.json.JsonString.class).stream())
                .map(jakarta.json.JsonString::getString).distinct().toList();
        assertTrue(recipients.containsAll(List.of("hubspot-main", "salesforce-main", "mailchimp-main", "cloud-hosting",
                "Record Sponsor " + run + " (sponsor record-" + run + ")")), recipients.toString());
        String csv = app.get("/api/v1/privacy/data-map/record-of-processing", Deployed.token("compliance-officer")).body();
        List<String[]> rows = Arrays.stream(csv.split("\r\n")).skip(1).map(l -> l.substring(1, l.length() - 1).split("\",\"", -1)).toList();
        for (String recipient : recipients) {
            assertTrue(rows.stream().anyMatch(r -> r[1].equals(recipient)), "the record has a row for " + recipient + ":\n" + csv);
        }
        String[] sponsorRow = rows.stream().filter(r -> r[1].startsWith("Record Sponsor " + run)).findFirst().orElseThrow();
        assertEquals("SPONSOR", sponsorRow[2]);
        assertTrue(sponsorRow[14].contains("sponsor:record-" + run) && sponsorRow[14].contains("DSA-R-" + run), String.join("|", sponsorRow));
        String[] hubspot = rows.stream().filter(r -> r[1].equals("hubspot-main")).findFirst().orElseThrow();
        assertEquals(List.of("United States", "EU-US Data Privacy Framework (adequacy decision (EU) 2023/1795)"), List.of(hubspot[12], hubspot[13]));
        String[] mailchimp = rows.stream().filter(r -> r[1].equals("mailchimp-main")).findFirst().orElseThrow();
        assertTrue(mailchimp[13].startsWith("NONE CONFIGURED"), "a transfer without a safeguard shows as a gap");
        assertTrue(rows.stream().allMatch(r -> r[0].equals("Guestbridge Test Hotels Ltd") && r[10].equals("Dana Protector <dpo@guestbridge.test>")
                && r[9].startsWith("Privacy Office")), "the controller and the DPO's contact on every row");
        assertTrue(rows.stream().anyMatch(r -> r[2].equals("RETENTION") && r[1].equals("inactive-profiles") && r[6].startsWith("730 days")), csv);
        assertTrue(rows.stream().filter(r -> r[2].equals("SECURITY")).count() >= 3, "the security measures");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    @Test
    void anInactiveProfileIsErasedByTheRetentionPolicyThroughTheSameStepsAndTheRunsAreShown() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "retention " + run).getString("signingSecret");
        List<String> guests = new ArrayList<>();
        for (String who : List.of("ina.active", "ada.present")) {
            String email = who + "." + run + "@example.com";
            assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                    who + "-" + run, "{\"email\":\"" + email + "\",\"connect_time\":\"2026-11-20T10:00:00Z\",\"venue_name\":\"Quiet Hall\"}"))));
            guests.add(ProcessingIT.find(app, email));
        }
        List<String> before = retentionRequests(app);
        // the first guest was created and last seen 800 days ago: past the default 730 days of inactive-profiles
        try (Connection c = Deployed.database()) {
            for (String sql : List.of("UPDATE idn_guest SET created_at = created_at - INTERVAL 800 DAY WHERE id = ?",
                    "UPDATE idn_visit SET first_seen = first_seen - INTERVAL 800 DAY, last_seen = last_seen - INTERVAL 800 DAY WHERE guest_id = ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, guests.get(0));
                    assertTrue(s.executeUpdate() >= 1, sql);
                }
            }
        }
        await(() -> guestRows(guests.get(0)) == 0, "the inactive guest is erased by the retention policy");
        assertEquals(1, guestRows(guests.get(1)), "a guest seen this month stays");

        List<String> started = new ArrayList<>(retentionRequests(app));
        started.removeAll(before);
        assertEquals(1, started.size(), "one system-initiated erasure: " + started);
        await(() -> !"IN_PROGRESS".equals(view(app, started.get(0)).getString("state")), "its automatic steps are done");
        JsonObject request = view(app, started.get(0));
        assertEquals("ERASURE", request.getString("type"));
        assertEquals("RETENTION", request.getString("channel"));
        assertTrue(request.getString("verifiedBy").startsWith("retention policy: no visit, stay or login since"), request.toString());
        assertEquals("CONFIRMED", step(request, "local").getString("state"), "this database's step, with its evidence: " + request);
        assertEquals("CONFIRMED", step(request, "hubspot-main").getString("state"), "every system of the data map: " + request);
        assertEquals("HELD", step(request, "finance-archive").getString("state"), "legal holds apply as to any erasure");
        assertTrue(request.toString().contains("no receipt mail sent: the request is system-initiated"), "nobody is mailed: " + request);

        HttpResponse<String> overview = app.get("/api/v1/privacy/retention", Deployed.token("compliance-officer"));
        assertEquals(200, overview.statusCode(), overview.body());
        JsonObject retention = Deployed.json(overview);
        JsonObject inactive = retention.getJsonArray("policies").getJsonObject(0);
        assertEquals("inactive-profiles", inactive.getString("category"));
        assertEquals(730, inactive.getInt("retentionDays"), "the documented default");
        assertFalse(inactive.getBoolean("configured"), inactive.toString());
        for (String category : List.of("inactive-profiles", "crm-dedup-keys", "dead-letters", "verification-codes", "expired-exports")) {
            assertTrue(retention.getJsonArray("runs").stream().anyMatch(r -> r.asJsonObject().getString("category").equals(category)),
                    "ran by itself: " + category + " in " + retention);
        }
        HttpResponse<String> refused = app.get("/api/v1/privacy/retention", Deployed.token("integration"));
        assertEquals(403, refused.statusCode());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    @Test
    void serverLogFilesPastTheirRetentionAreDeletedOnScheduleAndTheRunIsAuditedWithCountsOnly() throws Exception {
        Deployed app = new Deployed(url);
        java.nio.file.Path logs = java.nio.file.Path.of(System.getProperty("guestbridge.it.server-logs"));
        java.nio.file.Files.createDirectories(logs);
        String run = UUID.randomUUID().toString().substring(0, 8);
        java.time.Instant now = java.time.Instant.now();
        List<java.nio.file.Path> old = new ArrayList<>();
        for (String name : List.of("server.log_" + run + "-a", "database.log." + run)) {
            java.nio.file.Path file = java.nio.file.Files.writeString(logs.resolve(name), "a line\n");
            java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofDays(20))));
            old.add(file);
        }
        java.nio.file.Path recent = java.nio.file.Files.writeString(logs.resolve("server.log." + run), "a line\n");
        java.nio.file.Files.setLastModifiedTime(recent, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofDays(3))));
        java.nio.file.Path other = java.nio.file.Files.writeString(logs.resolve("notes-" + run + ".txt"), "not a log\n");
        java.nio.file.Files.setLastModifiedTime(other, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofDays(90))));
        long auditedBefore = serverLogRuns();

        await(() -> old.stream().noneMatch(java.nio.file.Files::exists), "the log files older than 14 days deleted by the schedule");
        assertTrue(java.nio.file.Files.exists(recent), "a log file of three days ago stays");
        assertTrue(java.nio.file.Files.exists(other), "a file that is no log stays, however old");
        await(() -> serverLogRuns() > auditedBefore, "the run audited");
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT details FROM aud_record_written WHERE action = "
                + "'RETENTION_PURGED' AND details LIKE '%server-logs%' ORDER BY occurred_at DESC LIMIT 1")) {
            try (java.sql.ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                String details = rs.getString(1);
                assertTrue(details.contains("14"), "the policy's documented default: " + details);
                assertFalse(details.contains(run) || details.contains(logs.toString()), "counts, not file names or paths: " + details);
            }
        }
        HttpResponse<String> overview = app.get("/api/v1/privacy/retention", Deployed.token("dpo"));
        assertEquals(200, overview.statusCode(), overview.body());
        JsonObject policy = Deployed.json(overview).getJsonArray("policies").stream().map(v -> v.asJsonObject())
                .filter(p -> p.getString("category").equals("server-logs")).findFirst().orElseThrow();
        assertEquals(14, policy.getInt("retentionDays"), policy.toString());
        assertTrue(policy.getString("description").contains(logs.toString()), "the directory it looks in: " + policy);
    }

    /** Audited runs of the server logs' retention that deleted something. */
    private static long serverLogRuns() {
        try {
            return ProcessingIT.count("SELECT COUNT(*) FROM aud_record_written WHERE action = 'RETENTION_PURGED' AND details LIKE '%server-logs%'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> retentionRequests(Deployed app) {
        List<String> ids = new ArrayList<>();
        for (String state : List.of("open", "COMPLETED", "PARTIALLY_COMPLETED")) {
            HttpResponse<String> response = app.get("/api/v1/privacy/requests?limit=500&state=" + state, Deployed.token("dpo"));
            assertEquals(200, response.statusCode(), response.body());
            Deployed.parse(response.body()).asJsonArray().stream().map(v -> v.asJsonObject())
                    .filter(r -> r.getString("channel").equals("RETENTION")).forEach(r -> ids.add(r.getString("id")));
        }
        return ids;
    }

    private static int guestRows(String guest) {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM idn_guest WHERE id = ?")) {
            s.setString(1, guest);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject view(Deployed app, String id) {
        HttpResponse<String> response = app.get("/api/v1/privacy/requests/" + id, Deployed.token("dpo"));
        assertEquals(200, response.statusCode(), response.body());
        return Deployed.json(response);
    }

    private static JsonObject step(JsonObject request, String system) {
        return request.getJsonArray("steps").stream().map(v -> v.asJsonObject()).filter(s -> s.getString("system").equals(system)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + system + " in " + request));
    }

    private static long metric(Deployed app, String name) {
        String body = app.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.]+)").matcher(body);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    /** Waits for a mail to the address whose subject contains the words and whose body names the request. */
    private static MimeMessage awaitMail(String to, String subjectWords, String requestId) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (MimeMessage message : ItEnvironment.mail().getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equalsIgnoreCase(to)
                        && message.getSubject().toLowerCase().contains(subjectWords.toLowerCase()) && text(message).contains(requestId)) {
                    return message;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no mail to " + to + " about '" + subjectWords + "' for request " + requestId + " within 60 s");
    }

    private static String text(MimeMessage message) {
        try {
            // the raw body: our mails are short ASCII lines, sent 7bit (getContent() would need javax.activation handlers)
            return com.icegreen.greenmail.util.GreenMailUtil.getBody(message);
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String code(MimeMessage message) {
        Matcher m = CODE.matcher(text(message));
        assertTrue(m.find(), "the mail carries a code");
        return m.group(1);
    }

    /**
     * Every readable value the database holds in a row keyed to the guest (any table with a guest_id column):
     * strings, numbers and times; ciphertext, hashes and which key seals a body are skipped (the export shows them
     * decrypted).
     */
    private static List<String> databaseValues(String guest) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = Deployed.database()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT table_name FROM information_schema.columns WHERE table_schema = 'guestbridge' "
                    + "AND column_name = 'guest_id' AND table_name NOT LIKE 'aud_%' AND table_name NOT IN ('idn_guest_key', 'plt_work_item')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            tables.add("idn_guest");
            for (String table : tables) {
                String key = table.equals("idn_guest") ? "id" : "guest_id";
                try (PreparedStatement s = c.prepareStatement("SELECT * FROM " + table + " WHERE " + key + " = ?")) {
                    s.setString(1, guest);
                    try (ResultSet rs = s.executeQuery()) {
                        ResultSetMetaData meta = rs.getMetaData();
                        while (rs.next()) {
                            for (int i = 1; i <= meta.getColumnCount(); i++) {
                                String column = meta.getColumnName(i).toLowerCase();
                                int type = meta.getColumnType(i);
                                if (rs.getObject(i) == null || column.contains("hash") || column.endsWith("_sealed") || column.contains("cipher")
                                        || column.equals("body") || column.equals("body_key") || type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY
                                        || type == Types.BLOB || type == Types.BIT || type == Types.BOOLEAN) {
                                    continue;
                                }
                                if (column.equals("evidence")) {
                                    values.addAll(lengthPrefixed(rs.getString(i))); // the ledger keeps evidence as length-prefixed pairs
                                } else if (type == Types.TIMESTAMP) {
                                    values.add(rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC).toString());
                                } else {
                                    values.add(rs.getString(i));
                                }
                            }
                        }
                    }
                }
            }
        }
        return values;
    }

    /** The values of a "5:venue17:name:access arena" style encoding (length:key length:value …). */
    private static List<String> lengthPrefixed(String encoded) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < encoded.length()) {
            int colon = encoded.indexOf(':', i);
            int length = Integer.parseInt(encoded.substring(i, colon));
            parts.add(encoded.substring(colon + 1, colon + 1 + length));
            i = colon + 1 + length;
        }
        List<String> values = new ArrayList<>();
        for (int k = 1; k < parts.size(); k += 2) {
            values.add(parts.get(k));
        }
        return values;
    }

    @Test
    void theKeyStoreIsApartFromTheData() throws Exception {
        Deployed app = new Deployed(url);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String secret = ProcessingIT.registerSigned(app, "GENERIC", "key store " + run).getString("signingSecret");
        assertEquals("PROCESSED", ProcessingIT.awaitState(ProcessingIT.stored(ProcessingIT.signedPost(app, "/api/v1/ingest/guest-events", secret,
                "keys-" + run, "{\"email\":\"kim.keys." + run + "@example.com\",\"connect_time\":\"2026-11-20T10:00:00Z\","
                        + "\"venue_name\":\"Key Hall\"}"))));
        String guest = ProcessingIT.find(app, "kim.keys." + run + "@example.com");
        try (Connection data = ItEnvironment.dataConnection(); java.sql.Statement s = data.createStatement()) {
            java.sql.SQLException denied = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.executeQuery("SELECT COUNT(*) FROM guestbridge_keys.gbk_key").close());
            assertTrue(denied.getErrorCode() == 1142 || denied.getErrorCode() == 1044, "the data user has no right on the key store: " + denied);
            try (ResultSet rs = s.executeQuery("SHOW DATABASES")) {
                while (rs.next()) {
                    assertNotEquals("guestbridge_keys", rs.getString(1), "the data user does not even see the key store");
                }
            }
        }
        try (Connection keys = ItEnvironment.keysConnection(); java.sql.Statement s = keys.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM gbk_key WHERE kind = 'guest' AND id = '" + guest + "'")) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the guest's data key is in the key store");
            }
            java.sql.SQLException denied = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.executeQuery("SELECT COUNT(*) FROM guestbridge.idn_guest_field").close());
            assertTrue(denied.getErrorCode() == 1142 || denied.getErrorCode() == 1044, "and the key store's user none on the data: " + denied);
        }
        try (Connection data = ItEnvironment.dataConnection(); java.sql.Statement s = data.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'guestbridge' "
                     + "AND table_name = 'idn_guest_key'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no key is left in the data database");
        }
    }

    /**
     * Every form a trace of the subject may take in a file: the email (also URL-encoded), the name, the phone in
     * E.164, without '+', national and spaced, the MAC with any separator or none and Cisco's dotted form.
     */
    private static List<String> traces(String email, String name, String phone, String mac) {
        String national = "0" + phone.substring(3);
        String hex = mac.replace("-", "").toLowerCase();
        return List.of(email, email.replace("@", "%40"), name, phone, phone.substring(1), national,
                phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7), national.substring(0, 5) + " " + national.substring(5),
                mac, mac.replace('-', ':'), hex, hex.substring(0, 4) + "." + hex.substring(4, 8) + "." + hex.substring(8));
    }

    /** mariadb-dump of the data database alone, as the data user (whose rights stop at that database). */
    private static Path backupOfTheDataDatabase() throws Exception {
        Path file = Path.of("target", "privacy-it-backup.sql").toAbsolutePath();
        Path options = ItEnvironment.clientOptions("guestbridge", ItEnvironment.database().password());
        Process process = new ProcessBuilder(client("mariadb-dump").toString(), "--defaults-extra-file=" + options, "--host=127.0.0.1",
                "--port=" + ItEnvironment.database().port(), "--skip-ssl", "--single-transaction", "--no-tablespaces", "--hex-blob",
                "--no-autocommit", "--triggers", "guestbridge")
                .redirectOutput(file.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "mariadb-dump of the data database ran");
        return file;
    }

    /**
     * Restores the backup into a new database (as an operator would after losing the live one), then reads it
     * the way the server does, with the live key store: everything a live key opens.
     */
    private static String readableInRestoredBackup(Path backup) throws Exception {
        String copy = "guestbridge_restored";
        try (Connection admin = ItEnvironment.adminConnection(""); java.sql.Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + copy);
            s.execute("CREATE DATABASE " + copy + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        try {
            Process process = new ProcessBuilder(client("mariadb").toString(), "--defaults-extra-file=" + ItEnvironment.adminClientOptions(),
                    "--host=127.0.0.1", "--port=" + ItEnvironment.database().port(), "--skip-ssl", "--init-command=SET sql_log_bin = 0", copy)
                    .redirectInput(backup.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertTrue(process.waitFor(180, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), "the backup was restored");
            try (Connection restored = ItEnvironment.adminConnection(copy); Connection keys = ItEnvironment.keysConnection()) {
                return new AtRestReader(restored, keys).everythingReadable();
            }
        } finally {
            try (Connection admin = ItEnvironment.adminConnection(""); java.sql.Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + copy);
            }
        }
    }

    /**
     * Every trace found in any file of the database server (data directory and temporary directory), searched
     * byte by byte, ignoring case, after the server was made to write its dirty pages out. Fails unless the
     * search does find what is in clear there on purpose (table names in the table definitions).
     */
    private static List<String> residueInDatabaseFiles(List<String> traces) throws Exception {
        try (Connection admin = ItEnvironment.adminConnection(""); java.sql.Statement s = admin.createStatement()) {
            s.execute("FLUSH TABLES");
            s.execute("FLUSH BINARY LOGS");
            s.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
            try {
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")) {
                        rs.next();
                        if (rs.getLong(2) == 0) {
                            break;
                        }
                    }
                    Thread.sleep(200);
                }
            } finally {
                s.execute("SET GLOBAL innodb_max_dirty_pages_pct = 90");
            }
        }
        List<String> needles = new ArrayList<>(traces);
        needles.add("guest_facts");
        List<String> found = new ArrayList<>();
        int files = 0;
        for (Path root : List.of(ItEnvironment.database().dataDirectory(), ItEnvironment.database().temporaryDirectory())) {
            List<Path> all;
            try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
                all = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : all) {
                files++;
                for (String trace : search(file, needles)) {
                    found.add(root.relativize(file) + ": " + trace);
                }
            }
        }
        assertTrue(files > 10, "the data directory was found: " + files + " files");
        assertTrue(found.stream().anyMatch(f -> f.endsWith(": guest_facts")), "the search finds what is in clear on purpose: " + found);
        return found.stream().filter(f -> !f.endsWith(": guest_facts")).toList();
    }

    /** The needles a file contains, ASCII case ignored; read in chunks that overlap by the longest needle. */
    private static List<String> search(Path file, List<String> needles) throws java.io.IOException {
        List<String> lower = needles.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList();
        int overlap = lower.stream().mapToInt(String::length).max().orElse(1);
        List<String> hits = new ArrayList<>();
        byte[] chunk = new byte[8 << 20];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int carried = 0;
            while (true) {
                int read = in.readNBytes(chunk, carried, chunk.length - carried);
                int length = carried + read;
                for (int i = carried; i < length; i++) {
                    byte b = chunk[i];
                    if (b >= 'A' && b <= 'Z') {
                        chunk[i] = (byte) (b + 32);
                    }
                }
                String text = new String(chunk, 0, length, StandardCharsets.ISO_8859_1);
                for (int n = 0; n < lower.size(); n++) {
                    if (!hits.contains(needles.get(n)) && text.contains(lower.get(n))) {
                        hits.add(needles.get(n));
                    }
                }
                if (read == 0 || length < chunk.length) {
                    return hits;
                }
                carried = Math.min(overlap - 1, length);
                System.arraycopy(chunk, length - carried, chunk, 0, carried);
            }
        }
    }

    private static Path client(String name) {
        return ItEnvironment.database().home().resolve("base").resolve("bin").resolve(name);
    }

    /**
     * The traces a dump holds, in its text or in its blobs (which come out as hex literals: they are decoded
     * into a file beside it, so a payload cannot hide a trace), searched byte by byte as the files are.
     */
    private static List<String> tracesInDump(Path dump, List<String> traces) throws java.io.IOException {
        Path blobs = dump.resolveSibling(dump.getFileName() + ".blobs");
        String text = Files.readString(dump, StandardCharsets.ISO_8859_1);
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(blobs))) {
            Matcher hex = Pattern.compile("0x([0-9A-F]{16,})").matcher(text);
            while (hex.find()) {
                out.write(java.util.HexFormat.of().parseHex(hex.group(1)));
                out.write('\n');
            }
        }
        List<String> found = new ArrayList<>(search(dump, traces));
        search(blobs, traces).stream().filter(t -> !found.contains(t)).forEach(found::add);
        return found;
    }

    private static void warehouse(String sql, String email) throws Exception {
        try (Connection c = ItEnvironment.warehouseConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, email);
            s.executeUpdate();
        }
    }

    private static int warehouseCount(String email) throws Exception {
        try (Connection c = ItEnvironment.warehouseConnection(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM guest_facts WHERE email = ?")) {
            s.setString(1, email);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A full dump of every database of the server but its own (the data, the key store, the warehouse). */
    private static Path dump() throws Exception {
        Path file = Path.of("target", "privacy-it-dump.sql").toAbsolutePath();
        Process process = new ProcessBuilder(client("mariadb-dump").toString(), "--defaults-extra-file=" + ItEnvironment.adminClientOptions(),
                "--host=127.0.0.1", "--port=" + ItEnvironment.database().port(), "--skip-ssl", "--no-tablespaces", "--hex-blob",
                "--databases", "guestbridge", "guestbridge_keys", "warehouse")
                .redirectOutput(file.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "mariadb-dump ran");
        assertEquals(List.of("CREATE TABLE `idn_guest`"), search(file, List.of("CREATE TABLE `idn_guest`")), "a real dump");
        return file;
    }

    /**
     * The ended request's certificate, checked as a recipient would without our code: the signatures with the JDK's
     * Ed25519 and the verifier key from its file, every record's inclusion proof with {@link Rfc9162}, the outcomes
     * against the request as the API shows it, the records against the audit trail's own list; then the launcher's
     * offline command accepts it and refuses it once an outcome is edited.
     */
    private static void theCertificateProvesTheRequestOffline(Deployed app, String id, JsonObject done) throws Exception {
        assertEquals(403, app.get("/api/v1/privacy/requests/" + id + "/certificate", Deployed.token("operator")).statusCode(),
                "the DPO and compliance officers download certificates");
        String[] body = new String[1];
        long asked = System.nanoTime();
        await(() -> {
            HttpResponse<String> answer = app.get("/api/v1/privacy/requests/" + id + "/certificate", Deployed.token("dpo"));
            if (answer.statusCode() == 409) {
                assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "a 409 while the records are signed says when to retry");
                return false;
            }
            assertEquals(200, answer.statusCode(), answer.body());
            body[0] = answer.body();
            return true;
        }, "the certificate is issued once the request's records are in a signed checkpoint");
        java.util.logging.Logger.getLogger(PrivacyIT.class.getName()).info("certificate issued " + (System.nanoTime() - asked) / 1_000_000
                + " ms after the request ended");
        JsonObject certificate = Deployed.json(app.get("/api/v1/privacy/requests/" + id + "/certificate", Deployed.token("compliance-officer")));
        assertEquals(Deployed.parse(body[0]), certificate, "issued once: every download is the same certificate");
        String ref = "privacy-request:" + id;
        assertEquals(ref, certificate.getString("request"));
        assertEquals("ERASURE", certificate.getString("type"));
        assertEquals("PARTIALLY_COMPLETED", certificate.getString("state"));

        String verifierKey = Files.readString(ItEnvironment.home().resolve("dev-keys").resolve("audit-verifier.key")).trim();
        String[] checkpoint = Rfc9162.openNote(certificate.getString("checkpoint"), verifierKey).split("\n");
        long treeSize = Long.parseLong(checkpoint[1]);
        byte[] root = java.util.Base64.getDecoder().decode(checkpoint[2]);
        String statement = Rfc9162.openNote(certificate.getString("signature"), verifierKey);
        assertTrue(statement.contains("\ncheckpoint " + treeSize + " " + checkpoint[2] + "\n"), "the statement names the checkpoint: " + statement);

        List<JsonObject> systems = certificate.getJsonArray("systems").getValuesAs(JsonObject.class);
        assertEquals(done.getJsonArray("steps").size(), systems.size(), "every system's outcome");
        for (JsonObject system : systems) {
            JsonObject step = step(done, system.getString("system"));
            assertEquals(step.getString("state"), system.getString("outcome"), system.toString());
            String evidenceHash = Rfc9162.hex(Rfc9162.sha256(step.getString("evidence", "").getBytes(StandardCharsets.UTF_8)));
            assertEquals(evidenceHash, system.getString("evidenceSha256"), "the hash of the evidence the request shows: " + system);
            assertTrue(statement.contains("\nsystem {\"system\":\"" + system.getString("system") + "\",\"outcome\":\"" + system.getString("outcome")
                    + "\",\"evidence\":\"" + evidenceHash + "\"}\n"), "the signed statement holds the outcome of " + system.getString("system"));
        }

        List<Long> proven = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (JsonObject record : certificate.getJsonArray("auditRecords").getValuesAs(JsonObject.class)) {
            long sequence = record.getJsonNumber("sequence").longValue();
            byte[] entry = record.getString("leafEntry").getBytes(StandardCharsets.UTF_8);
            JsonObject leaf = (JsonObject) Deployed.parse(record.getString("leafEntry"));
            assertEquals(ref, leaf.getString("subject"), "a record of the request");
            assertEquals(Long.toString(sequence), leaf.getString("seq"));
            List<byte[]> path = record.getJsonArray("auditPath").getValuesAs(jakarta.json.JsonString.class).stream()
                    .map(h -> java.util.Base64.getDecoder().decode(h.getString())).toList();
            assertTrue(Rfc9162.verifyInclusion(sequence - 1, treeSize, Rfc9162.leafHash(entry), path, root),
                    "record " + sequence + " is in the signed tree of " + treeSize);
            assertTrue(statement.contains("\nrecord " + sequence + " " + java.util.Base64.getEncoder().encodeToString(Rfc9162.leafHash(entry)) + "\n"),
                    "the signed statement names record " + sequence + "'s leaf");
            proven.add(sequence);
            actions.add(leaf.getString("action"));
        }
        assertTrue(actions.containsAll(List.of("PRIVACY_REQUEST_RECEIVED", "PRIVACY_STEP_CONFIRMED", "PRIVACY_REQUEST_PARTIALLY_COMPLETED")), actions.toString());
        String officer = Deployed.token("compliance-officer");
        List<Long> trail = Deployed.json(app.get("/api/v1/audit/records?limit=1000&subject=" + java.net.URLEncoder.encode(ref, StandardCharsets.UTF_8),
                officer)).getJsonArray("records").getValuesAs(JsonObject.class).stream().map(r -> r.getJsonNumber("sequence").longValue())
                .filter(s -> s <= proven.get(proven.size() - 1)).toList();
        assertEquals(trail, proven, "every record of the request up to the certificate, none of another");

        Path file = Files.createTempFile("certificate", ".json");
        Files.writeString(file, body[0]);
        Path key = ItEnvironment.home().resolve("dev-keys").resolve("audit-verifier.key");
        assertEquals(0, launcher("verify-certificate", "--certificate", file.toString(), "--key", key.toString()), "the offline command accepts it");
        int confirmedAt = body[0].indexOf("\"outcome\":\"HELD\"");
        assertTrue(confirmedAt > 0, body[0]);
        Files.writeString(file, body[0].substring(0, confirmedAt) + "\"outcome\":\"CONFIRMED\"" + body[0].substring(confirmedAt + "\"outcome\":\"HELD\"".length()));
        assertEquals(1, launcher("verify-certificate", "--certificate", file.toString(), "--key", key.toString()),
                "a kept system shown as erased is refused");
        Files.delete(file);
    }

    /** Runs the launcher jar's offline command as a recipient would, no server or database settings; its exit status. */
    private static int launcher(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of("..", "launcher", "target", "guestbridge-launcher.jar").toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().retainAll(List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "JAVA_HOME", "TZ"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher's check ends");
        java.util.logging.Logger.getLogger(PrivacyIT.class.getName()).info("launcher " + String.join(" ", arguments) + ": " + output.strip());
        return process.exitValue();
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
