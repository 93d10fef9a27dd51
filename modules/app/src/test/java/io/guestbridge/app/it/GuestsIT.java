package io.guestbridge.app.it;

import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guest profiles in the server: provenance, ownership, rectification, audit and the CRM outbox. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class GuestsIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.sharedWar();
    }

    @ArquillianResource
    URL url;

    @Test
    void aProfileKeepsTheCrmsPhoneAndShowsWhereEachValueCameFrom() throws Exception {
        Deployed app = new Deployed(url);
        String email = "Guest." + UUID.randomUUID() + "@Example.com";
        String guest = create(app, email, "Jane", "+447911123456", "CRM", "2026-11-24T10:00:00Z");
        assertEquals(guest, create(app, email.toLowerCase(), "Janet", "+447911000000", "WIFI", "2026-11-25T10:00:00Z"),
                "the same email, differently written, is the same guest");

        HttpResponse<String> read = app.get("/api/v1/guests/" + guest, Deployed.token("dpo"));
        assertEquals(200, read.statusCode(), read.body());
        JsonObject fields = Deployed.json(read).getJsonObject("fields");
        assertEquals("+447911123456", fields.getJsonObject("PHONE").getString("value"), "WiFi did not overwrite the CRM's phone");
        assertEquals("CRM", fields.getJsonObject("PHONE").getString("source"));
        assertEquals("Jane", fields.getJsonObject("FIRST_NAME").getString("value"));
        assertEquals(email.toLowerCase(), fields.getJsonObject("EMAIL").getString("value"));
        assertEquals(403, app.get("/api/v1/guests/" + guest, Deployed.token("integration")).statusCode());

        HttpResponse<String> found = app.post("/api/v1/guests/search", Deployed.token("dpo"), "application/json",
                "{\"email\":\" " + email.toUpperCase() + " \"}");
        assertEquals(200, found.statusCode(), found.body());
        assertEquals(guest, Deployed.json(found).getString("guest"));
        assertEquals(404, app.post("/api/v1/guests/search", Deployed.token("dpo"), "application/json",
                "{\"email\":\"nobody-" + UUID.randomUUID() + "@example.com\"}").statusCode());
        HttpResponse<String> invalid = app.post("/api/v1/guests/search", Deployed.token("dpo"), "application/json", "{\"email\":\"not an email\"}");
        assertEquals(400, invalid.statusCode());
        assertFalse(invalid.body().contains("not an email"), "the refusal does not echo the input");

        HttpResponse<String> rectified = app.post("/api/v1/guests/" + guest + "/rectifications", Deployed.token("operator"),
                "application/json", "{\"field\":\"FIRST_NAME\",\"value\":\"Janet\",\"requestedBySubject\":true}");
        assertEquals(200, rectified.statusCode(), rectified.body());
        JsonObject first = Deployed.json(rectified).getJsonObject("fields").getJsonObject("FIRST_NAME");
        assertEquals("Janet", first.getString("value"));
        assertEquals("SUBJECT", first.getString("source"));
        assertEquals(400, app.post("/api/v1/guests/" + guest + "/rectifications", Deployed.token("operator"),
                "application/json", "{\"field\":\"PHONE\",\"value\":\"12\"}").statusCode());
        assertEquals(400, app.post("/api/v1/guests/" + guest + "/rectifications", Deployed.token("operator"),
                "application/json", "{\"field\":\"SHOE_SIZE\",\"value\":\"9\"}").statusCode());

        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            String subject = "guest:" + guest;
            assertEquals(1, count(s, "SELECT COUNT(*) FROM aud_record_written WHERE action = 'GUEST_CREATED' AND subject_ref = '" + subject + "'"));
            assertTrue(count(s, "SELECT COUNT(*) FROM aud_record_written WHERE action = 'GUEST_RECTIFIED' AND subject_ref = '" + subject + "'") == 1);
            assertTrue(count(s, "SELECT COUNT(*) FROM aud_record_written WHERE action = 'GUEST_PROFILE_VIEWED' AND subject_ref = '" + subject + "'") >= 1);
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_record_written WHERE subject_ref = '" + subject + "' AND (details LIKE '%Jane%' OR details LIKE '%7911%')"),
                    "the audit trail holds no values");
            // the CRM fan-out may already have taken it; what must never happen is a second item for the guest
            assertTrue(count(s, "SELECT COUNT(*) FROM plt_work_item WHERE queue = 'crm-sync' AND coalesce_key = '" + subject + "'") <= 1,
                    "all changes of one guest wait as one coalesced CRM sync");
            // an item of several contacts (a connector's request's worth) names the guest only in its payload
            assertTrue(count(s, "SELECT COUNT(*) FROM plt_work_item WHERE coalesce_key = '" + subject + "' OR payload LIKE '%\"" + guest + "\"%'")
                    + count(s, "SELECT COUNT(*) FROM crm_link WHERE guest_id = '" + guest + "'") >= 1, "the change was queued for the CRMs");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM idn_guest_field WHERE guest_id = '" + guest + "' AND BINARY value_sealed LIKE '%Jane%'"), "values are stored encrypted");
        }
    }

    @Test
    void consentEvidenceAndAWithdrawalThatTakesEffectAtOnce() throws Exception {
        Deployed app = new Deployed(url);
        ProcessingIT.publishWording(app, "portal-marketing", "4", "marketing_email");
        HttpResponse<String> changed = app.post("/api/v1/consent/wordings", Deployed.token("dpo"), "application/json",
                "{\"id\":\"portal-marketing\",\"version\":\"4\",\"purpose\":\"marketing_email\",\"language\":\"en\",\"text\":\"Another text.\"}");
        assertEquals(409, changed.statusCode(), "a published wording never changes: " + changed.body());
        assertEquals(403, app.post("/api/v1/consent/wordings", Deployed.token("operator"), "application/json", "{}").statusCode());
        String consentEmail = "consent-" + UUID.randomUUID() + "@example.com";
        String form = "email=" + enc(consentEmail) + "&source=WIFI&at=" + enc("2026-11-20T18:02:11Z")
                + "&consent=marketing_email";
        HttpResponse<String> created = app.send(app.request("/api/v1/it-probe/guests", null)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertEquals(200, created.statusCode(), created.body());
        String guest = created.body();

        JsonObject before = Deployed.json(app.get("/api/v1/guests/" + guest + "/consent", Deployed.token("compliance-officer")));
        assertEquals("GRANTED", before.getJsonObject("currentState").getString("marketing_email"));
        JsonObject grant = before.getJsonArray("decisions").getJsonObject(0);
        assertEquals("4", grant.getString("wordingVersion"));
        assertEquals("shown-unticked", grant.getJsonObject("evidence").getString("checkbox"));

        HttpResponse<String> withdrawn = app.post("/api/v1/guests/" + guest + "/consent/withdrawals", Deployed.token("operator"),
                "application/json", "{\"purpose\":\"marketing_email\",\"channel\":\"phone call to reception\"}");
        assertEquals(200, withdrawn.statusCode(), withdrawn.body());
        assertEquals("WITHDRAWN", Deployed.json(withdrawn).getString("decision"));
        JsonObject after = Deployed.json(app.get("/api/v1/guests/" + guest + "/consent", Deployed.token("dpo")));
        assertEquals("WITHDRAWN", after.getJsonObject("currentState").getString("marketing_email"));
        assertEquals(2, after.getJsonArray("decisions").size());
        assertTrue(after.getBoolean("chainIntact"));
        assertEquals(400, app.post("/api/v1/guests/" + guest + "/consent/withdrawals", Deployed.token("operator"),
                "application/json", "{\"purpose\":\"newsletter-of-doom\"}").statusCode());
        assertEquals(403, app.get("/api/v1/guests/" + guest + "/consent", Deployed.token("integration")).statusCode());
        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            String subject = "guest:" + guest;
            assertEquals(1, count(s, "SELECT COUNT(*) FROM aud_record_written WHERE action = 'CONSENT_WITHDRAWN' AND subject_ref = '" + subject + "'"));
        }
        // the withdrawal reaches the CRM (it was queued in the withdrawal's own transaction)
        long deadline = System.currentTimeMillis() + 60_000;
        while (!"false".equals(ItEnvironment.crm().hubspot().contact(consentEmail).map(c -> c.get("guestbridge_marketing")).orElse(null))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertEquals("false", ItEnvironment.crm().hubspot().contact(consentEmail).orElseThrow().get("guestbridge_marketing"),
                "the withdrawal turned marketing off in the CRM");
    }

    @Test
    void aFailedTransactionLeavesNoGuestNoAuditNoOutboxNoConsent() throws Exception {
        Deployed app = new Deployed(url);
        ProcessingIT.publishWording(app, "portal-marketing", "4", "marketing_email");
        String email = "rollback-" + UUID.randomUUID() + "@example.com";
        String form = "email=" + enc(email) + "&firstName=Rolf&source=WIFI&at=" + enc("2026-11-20T18:02:11Z")
                + "&consent=marketing_email&fail=yes";
        // counted by the probe's own actor and by guest: the server the test classes share may still be processing and
        // syncing earlier classes' guests, which writes audit records and CRM work of its own meanwhile
        long auditBefore;
        java.sql.Timestamp started;
        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            auditBefore = count(s, "SELECT COUNT(*) FROM aud_record_written WHERE actor = 'system:it-probe'");
            try (var rs = s.executeQuery("SELECT NOW(6)")) {  // the clock the queue stamps its rows with
                rs.next();
                started = rs.getTimestamp(1);
            }
        }
        HttpResponse<String> connection = app.get("/api/v1/it-probe/guests/connection", null);
        assertEquals("autocommit=false tx=true same=true", connection.body(), "JDBC and JPA work of a transaction share its one connection");
        HttpResponse<String> failed = app.send(app.request("/api/v1/it-probe/guests", null)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertEquals(500, failed.statusCode(), failed.body());
        assertEquals(404, app.post("/api/v1/guests/search", Deployed.token("dpo"), "application/json", "{\"email\":\"" + email + "\"}").statusCode(),
                "the guest went with the transaction");
        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            // the log and the waiting records apart: a view of their union, correlated with every guest, is read once per guest
            assertEquals(0, count(s, "SELECT COUNT(*) FROM idn_guest g WHERE NOT EXISTS (SELECT 1 FROM aud_record a WHERE a.action = 'GUEST_CREATED' "
                    + "AND a.subject_ref = CONCAT('guest:', g.id)) AND NOT EXISTS (SELECT 1 FROM aud_pending p WHERE p.action = 'GUEST_CREATED' "
                    + "AND p.subject_ref = CONCAT('guest:', g.id))"), "no guest row without its audit record");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM idn_guest_field f WHERE NOT EXISTS (SELECT 1 FROM idn_guest g WHERE g.id = f.guest_id)"));
            assertEquals(0, count(s, "SELECT COUNT(*) FROM cns_ledger l WHERE NOT EXISTS (SELECT 1 FROM idn_guest g WHERE g.id = l.guest_id)"),
                    "no consent row of a guest that does not exist");
            assertEquals(auditBefore, count(s, "SELECT COUNT(*) FROM aud_record_written WHERE actor = 'system:it-probe'"),
                    "no audit record of the rolled-back work");
        }
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM plt_work_item w "
                + "WHERE w.queue = 'crm-sync' AND w.created_at >= ? AND NOT EXISTS (SELECT 1 FROM idn_guest g WHERE g.id = w.guest_id)")) {
            s.setTimestamp(1, started);
            try (var rs = s.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no CRM work for a guest that does not exist");
            }
        }
    }

    @Test
    void aPhoneTheCrmHoldsIsKeptFlaggedWhenItCannotBeVerifiedAndAPersonsCorrectionMustBeReal() throws Exception {
        Deployed app = new Deployed(url);
        String email = "crm-national-" + UUID.randomUUID() + "@example.com";
        String guest = create(app, email, "Jane", "+447911123456", "WIFI", "2026-11-20T10:00:00Z");
        // HubSpot keeps a phone as it was typed: a national number, with no country to read it in
        HttpResponse<String> changed = app.post("/api/v1/crm-events/hubspot-main", Deployed.token("integration"), "application/json",
                "{\"events\":[{\"eventId\":\"nat-" + guest + "\",\"email\":\"" + email + "\",\"changedAt\":\"2026-11-21T10:00:00Z\","
                        + "\"properties\":{\"phone\":\"07922 222222\"}}]}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(1, Deployed.json(changed).getInt("applied"), "kept, not ignored: " + changed.body());
        JsonObject phone = Deployed.json(app.get("/api/v1/guests/" + guest, Deployed.token("operator"))).getJsonObject("fields").getJsonObject("PHONE");
        assertEquals("07922 222222", phone.getString("value"), "as the CRM holds it");
        assertEquals("CRM", phone.getString("source"));
        assertFalse(phone.getBoolean("verified"));
        assertTrue(phone.getString("unverifiedReason").contains("no country"), phone.toString());

        HttpResponse<String> drama = app.post("/api/v1/guests/" + guest + "/rectifications", Deployed.token("operator"),
                "application/json", "{\"field\":\"PHONE\",\"value\":\"+44 7700 900123\"}");
        assertEquals(400, drama.statusCode(), "a person correcting a number must give a real one: " + drama.body());
        assertFalse(drama.body().contains("900123"), "the refusal does not echo the number");
        HttpResponse<String> fixed = app.post("/api/v1/guests/" + guest + "/rectifications", Deployed.token("operator"),
                "application/json", "{\"field\":\"PHONE\",\"value\":\"+44 7922 222222\"}");
        assertEquals(200, fixed.statusCode(), fixed.body());
        phone = Deployed.json(fixed).getJsonObject("fields").getJsonObject("PHONE");
        assertEquals("+447922222222", phone.getString("value"));
        assertTrue(phone.getBoolean("verified"), "the operator's correction clears the flag");
    }

    @Test
    void aPhoneChangedInTheCrmIsKeptAgainstLaterWifiLogins() throws Exception {
        Deployed app = new Deployed(url);
        String email = "crm-change-" + UUID.randomUUID() + "@example.com";
        String guest = create(app, email, "Jane", "+447911123456", "WIFI", "2026-11-20T10:00:00Z");
        HttpResponse<String> changed = app.post("/api/v1/crm-events/hubspot-main", Deployed.token("integration"), "application/json",
                "{\"events\":[{\"eventId\":\"chg-" + guest + "\",\"email\":\"" + email + "\",\"changedAt\":\"2026-11-21T10:00:00Z\","
                        + "\"properties\":{\"phone\":\"+44 7922 222222\",\"favourite_colour\":\"green\"}}]}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(1, Deployed.json(changed).getInt("applied"));
        assertEquals(1, Deployed.json(changed).getInt("ignored"), "unknown properties are ignored");
        create(app, email, "Jane", "+447933333333", "WIFI", "2026-11-22T10:00:00Z"); // the next WiFi login, with the old phone app's value
        JsonObject phone = Deployed.json(app.get("/api/v1/guests/" + guest, Deployed.token("operator"))).getJsonObject("fields").getJsonObject("PHONE");
        assertEquals("+447922222222", phone.getString("value"), "the CRM is master of the phone: a later WiFi value does not overwrite it");
        assertEquals("CRM", phone.getString("source"));

        // HubSpot's own webhook: signed, naming the contact by HubSpot's id
        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO crm_link (connector, crm_id, guest_id, linked_at) VALUES ('hubspot-main', '9" + Math.abs(guest.hashCode()) + "', '"
                    + guest + "', NOW(6))");
        }
        String objectId = "9" + Math.abs(guest.hashCode());
        String hubspot = "[{\"eventId\":" + Math.abs(guest.hashCode()) + ",\"subscriptionId\":42,\"portalId\":62515,\"occurredAt\":"
                + java.time.Instant.parse("2026-11-23T10:00:00Z").toEpochMilli() + ",\"subscriptionType\":\"contact.propertyChange\","
                + "\"attemptNumber\":0,\"objectId\":" + objectId + ",\"changeSource\":\"CRM_UI\",\"propertyName\":\"lastname\","
                + "\"propertyValue\":\"Smythe\"}]";
        HttpResponse<String> signed = hubspotPost(app, hubspot, "it-hubspot-client-secret");
        assertEquals(200, signed.statusCode(), signed.body());
        assertEquals(1, Deployed.json(signed).getInt("applied"));
        assertEquals("Smythe", Deployed.json(app.get("/api/v1/guests/" + guest, Deployed.token("operator"))).getJsonObject("fields")
                .getJsonObject("LAST_NAME").getString("value"));
        assertEquals(1, Deployed.json(hubspotPost(app, hubspot, "it-hubspot-client-secret")).getInt("duplicates"), "a redelivery is not applied twice");
        assertEquals(401, hubspotPost(app, hubspot, "not-the-secret").statusCode(), "a wrong signature is refused");
        String echo = hubspot.replace("CRM_UI", "INTEGRATION").replace("Smythe", "Echo").replace("\"eventId\":", "\"eventId\":1");
        assertEquals(0, Deployed.json(hubspotPost(app, echo, "it-hubspot-client-secret")).getInt("applied"), "guestbridge's own writes are not echoed back");

        assertEquals(401, app.post("/api/v1/crm-events/hubspot-main", null, "application/json", "{\"events\":[]}").statusCode());
        assertEquals(403, app.post("/api/v1/crm-events/hubspot-main", Deployed.token("operator"), "application/json", "{\"events\":[]}").statusCode());
        assertEquals(404, app.post("/api/v1/crm-events/no-such-crm", Deployed.token("integration"), "application/json", "{\"events\":[]}").statusCode());
        assertEquals(400, app.post("/api/v1/crm-events/hubspot-main", Deployed.token("integration"), "application/json",
                "{\"events\":[{\"email\":\"" + email + "\"}]}").statusCode(), "changedAt is required");
    }

    private static HttpResponse<String> hubspotPost(Deployed app, String body, String secret) {
        long now = System.currentTimeMillis();
        String uri = app.uri("/api/v1/crm-events/hubspot-main").toString();
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String signature;
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("POST" + uri).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            mac.update(bytes);
            mac.update(Long.toString(now).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            signature = java.util.Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return app.send(app.request("/api/v1/crm-events/hubspot-main", null).header("Content-Type", "application/json")
                .header("X-HubSpot-Signature-v3", signature).header("X-HubSpot-Request-Timestamp", Long.toString(now))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    @Test
    void malformedIdsAndUnknownGuestsAreProblems() {
        Deployed app = new Deployed(url);
        assertEquals(400, app.get("/api/v1/guests/not-a-uuid", Deployed.token("dpo")).statusCode());
        assertEquals(404, app.get("/api/v1/guests/" + UUID.randomUUID(), Deployed.token("dpo")).statusCode());
    }

    private static String create(Deployed app, String email, String firstName, String phone, String source, String at) {
        String form = "email=" + enc(email) + "&firstName=" + enc(firstName) + "&phone=" + enc(phone) + "&source=" + source + "&at=" + enc(at);
        HttpResponse<String> created = app.send(app.request("/api/v1/it-probe/guests", null)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertEquals(200, created.statusCode(), created.body());
        return created.body();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
