package io.guestbridge.consent.internal;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.consent.api.Wordings;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.testing.TestDatabase;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consent part of an access export against a real MariaDB. */
class ConsentAccessTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final String TEXT = "Yes, send me offers by email.";

    private final TestDatabase db = TestDatabase.get();
    private final ConsentLedgerStore store = new ConsentLedgerStore();

    @Test
    void exportsTheHistoryInCaptureOrderWithTheWordingShownAndTheStateInForce() throws Exception {
        GuestId guest = GuestId.random();
        String wording = "portal-marketing-" + UUID.randomUUID().toString().substring(0, 8);
        // the registry holds the one wording published; "unregistered" never was
        Wordings.Wording published = new Wordings.Wording(wording, "4", "marketing_email", "en", TEXT, ConsentWording.hash(TEXT), T0);
        BiFunction<String, String, Optional<Wordings.Wording>> registry =
                (id, version) -> id.equals(wording) && "4".equals(version) ? Optional.of(published) : Optional.empty();
        try (Connection c = db.connect()) {
            // arrives after the grant it withdraws was captured, and before it was recorded: capture order rules
            store.append(c, new ConsentRecord(guest, "marketing_email", ConsentDecision.WITHDRAWN, null, null, T0.plusSeconds(3600),
                    "operator:phone call to reception", Map.of(), false, false), T0.plusSeconds(3601));
            store.append(c, new ConsentRecord(guest, "marketing_email", ConsentDecision.GRANTED, wording, "4", T0,
                    "captive-portal:purple:888/Lobby", Map.of("checkbox", "shown-unticked"), false, false), T0.plusSeconds(7200));
            store.append(c, new ConsentRecord(guest, "analytics", ConsentDecision.DENIED, "unregistered", "1", T0,
                    "captive-portal:purple:888", Map.of(), false, false), T0.plusSeconds(7200));
            c.commit();

            JsonObject export = ConsentAccess.export(c, store, guest, registry);

            JsonArray decisions = export.getJsonArray("decisions");
            assertEquals(3, decisions.size());
            JsonObject grant = decisions.getJsonObject(0).getString("purpose").equals("marketing_email")
                    ? decisions.getJsonObject(0) : decisions.getJsonObject(1);
            assertEquals("GRANTED", grant.getString("decision"));
            assertEquals(T0.toString(), grant.getString("capturedAt"));
            assertEquals("captive-portal:purple:888/Lobby", grant.getString("channel"));
            assertEquals("shown-unticked", grant.getJsonObject("evidence").getString("checkbox"));
            assertEquals(TEXT, grant.getJsonObject("wording").getString("text"));
            assertEquals("4", grant.getJsonObject("wording").getString("version"));
            assertEquals("Marketing messages by email", grant.getString("purposeDescription"));
            JsonObject withdrawal = decisions.getJsonObject(2);
            assertEquals("WITHDRAWN", withdrawal.getString("decision"), "captured last, though recorded first");
            assertEquals(JsonValue.NULL, withdrawal.get("wording"));
            JsonObject denial = decisions.getJsonObject(0).getString("purpose").equals("analytics")
                    ? decisions.getJsonObject(0) : decisions.getJsonObject(1);
            assertEquals("unregistered", denial.getJsonObject("wording").getString("id"));
            assertTrue(denial.getJsonObject("wording").isNull("text"), "a wording that was never registered has no text to show");

            JsonArray current = export.getJsonArray("currentState");
            assertEquals(2, current.size());
            for (JsonValue state : current) {
                JsonObject s = state.asJsonObject();
                assertEquals(s.getString("purpose").equals("marketing_email") ? "WITHDRAWN" : "DENIED", s.getString("decision"));
                assertEquals(false, s.getBoolean("permits"));
            }
            JsonObject last = decisions.stream().map(JsonValue::asJsonObject)
                    .max(java.util.Comparator.comparingLong(d -> d.getJsonNumber("sequence").longValue())).orElseThrow();
            assertEquals(last.getString("hash"), export.getString("chainHead"), "the chain ends at the last entry appended");
        }
    }

    @Test
    void aGuestWithoutDecisionsExportsNothing() throws Exception {
        try (Connection c = db.connect()) {
            assertTrue(ConsentAccess.export(c, store, GuestId.random(), (id, version) -> Optional.empty()).isEmpty());
        }
    }
}
