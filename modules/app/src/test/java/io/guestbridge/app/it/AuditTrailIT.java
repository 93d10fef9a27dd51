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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail in the running server: recorded in the caller's transaction, paged, filtered, verified, tamper-evident. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuditTrailIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployed.war();
    }

    @ArquillianResource
    URL url;

    @Test
    void verificationIsItselfAuditedAndTheTrailPagesWithoutGapsOrRepeats() {
        Deployed app = new Deployed(url);
        String officer = Deployed.tokenFor("officer-7", "compliance-officer");
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> verified = app.post("/api/v1/audit/verifications", officer, null, null);
            assertEquals(200, verified.statusCode(), verified.body());
            assertTrue(Deployed.json(verified).getBoolean("intact"));
        }
        Set<Long> seen = new HashSet<>();
        long previous = 0;
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> page = app.get("/api/v1/audit/records?action=AUDIT_CHAIN_VERIFIED&actor=user:officer-7&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), officer);
            assertEquals(200, page.statusCode(), page.body());
            JsonObject body = Deployed.json(page);
            for (JsonObject record : body.getJsonArray("records").getValuesAs(JsonObject.class)) {
                long seq = record.getJsonNumber("sequence").longValue();
                assertTrue(seq > previous, "pages are in sequence order");
                assertTrue(seen.add(seq), "no record appears twice");
                previous = seq;
                assertEquals("audit", record.getString("module"));
                assertEquals(64, record.getString("hash").length());
            }
            cursor = body.containsKey("nextCursor") && !body.isNull("nextCursor") ? body.getString("nextCursor") : null;
            pages++;
        } while (cursor != null && pages < 20);
        assertEquals(7, seen.size());
        assertEquals(3, pages);
    }

    @Test
    void anEditedRowIsNamedByVerification() throws SQLException {
        Deployed app = new Deployed(url);
        String officer = Deployed.token("compliance-officer");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, app.post("/api/v1/audit/verifications", officer, null, null).statusCode());
        }
        long target;
        String original;
        try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT MAX(seq) - 1 FROM aud_record")) {
                rs.next();
                target = rs.getLong(1);
            }
            try (ResultSet rs = s.executeQuery("SELECT details FROM aud_record WHERE seq = " + target)) {
                rs.next();
                original = rs.getString(1);
            }
            // the triggers refuse the edit…
            SQLException refused = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE aud_record SET details = '{}' WHERE seq = " + target));
            assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM aud_record WHERE seq = " + target));
            // …so an attacker with DDL rights drops them first; the hash chain still gives it away
            tamper(s, target, "{\"intact\":\"false\"}");
        }
        try {
            HttpResponse<String> verified = app.post("/api/v1/audit/verifications", officer, null, null);
            assertEquals(200, verified.statusCode(), verified.body());
            JsonObject result = Deployed.json(verified);
            assertFalse(result.getBoolean("intact"));
            assertEquals(target, result.getJsonObject("firstBroken").getJsonNumber("sequence").longValue());
            assertTrue(result.getJsonObject("firstBroken").getString("reason").contains("does not match its hash"));
        } finally {
            try (Connection c = Deployed.database(); Statement s = c.createStatement()) {
                tamper(s, target, original);
            }
        }
        assertTrue(Deployed.json(app.post("/api/v1/audit/verifications", officer, null, null)).getBoolean("intact"),
                "restoring the original content restores the chain");
    }

    @Test
    void filtersNarrowTheTrail() {
        Deployed app = new Deployed(url);
        String officer = Deployed.tokenFor("officer-filter", "compliance-officer");
        assertEquals(200, app.post("/api/v1/audit/verifications", officer, null, null).statusCode());
        String future = URLEncoder.encode("2999-01-01T00:00:00Z", StandardCharsets.UTF_8);
        JsonObject none = Deployed.json(app.get("/api/v1/audit/records?from=" + future, officer));
        assertEquals(0, none.getJsonArray("records").size());
        JsonObject byActor = Deployed.json(app.get("/api/v1/audit/records?actor=user:officer-filter", officer));
        assertEquals(1, byActor.getJsonArray("records").size());
        JsonObject first = byActor.getJsonArray("records").getJsonObject(0);
        JsonObject one = Deployed.json(app.get("/api/v1/audit/records/" + first.getJsonNumber("sequence"), officer));
        assertEquals(first.getString("hash"), one.getString("hash"));
        assertNotNull(one.getJsonObject("details"));
    }

    private static void tamper(Statement s, long seq, String details) throws SQLException {
        s.execute("DROP TRIGGER aud_record_no_update");
        try (PreparedStatement update = s.getConnection().prepareStatement("UPDATE aud_record SET details = ? WHERE seq = ?")) {
            update.setString(1, details);
            update.setLong(2, seq);
            assertEquals(1, update.executeUpdate());
        } finally {
            s.execute("CREATE TRIGGER aud_record_no_update BEFORE UPDATE ON aud_record FOR EACH ROW "
                    + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_record is append-only: records cannot be updated'");
        }
    }
}
