package io.guestbridge.audit.internal;

import io.guestbridge.tlog.Canonical;
import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import org.junit.jupiter.api.Test;

import java.security.Principal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditEventTest {

    @Test
    void refusesPersonalDataInDetailsAndSubject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                AuditEvent.of("identity", "GUEST_CREATED").by("system:test").with("email", "jane@example.com").build());
        assertFalse(e.getMessage().contains("jane@example.com"), "the refusal does not repeat the value");
        assertThrows(IllegalArgumentException.class, () ->
                AuditEvent.of("identity", "GUEST_CREATED").by("system:test").about("jane@example.com").build());
        assertThrows(IllegalArgumentException.class, () ->
                AuditEvent.of("identity", "GUEST_CREATED").by("system:test").with("device", "00-01-02-03-04-05").build());
        assertThrows(IllegalArgumentException.class, () ->
                AuditEvent.of("identity", "GUEST_CREATED").by("system:test").with("phone", "+44 7700 900000").build());
    }

    @Test
    void aValueSeenCleanBeforeIsStillTakenAndPersonalDataIsRefusedEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertEquals("email,firstname,lastname", AuditEvent.of("crmsync", "CRM_CONTACT_SYNCED").by("system:crmsync")
                    .about("guest:0190c8a4-0000-7000-8000-00000000000" + i).with("properties", "email,firstname,lastname").build()
                    .details().get("properties"));
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("crmsync", "CRM_CONTACT_SYNCED").by("system:crmsync")
                    .with("properties", "jane@example.com").build());
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("crmsync", "CRM_CONTACT_SYNCED").by("jane@example.com").build());
        }
        // far more distinct clean values than are remembered: each still taken
        for (int i = 0; i < 5000; i++) {
            assertEquals("batch-" + i, AuditEvent.of("crmsync", "CRM_BATCH").by("system:crmsync").with("id", "batch-" + i).build().details().get("id"));
        }
    }

    @Test
    void refusesMalformedNames() {
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("Identity", "GUEST_CREATED").by("x").build());
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("identity", "guest created").by("x").build());
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("identity", "GUEST_CREATED").build());
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("identity", "GUEST_CREATED").by("x").with("a key", "1").build());
        // names remembered as well-formed do not let a malformed one through, however many were seen
        for (int i = 0; i < 3000; i++) {
            AuditEvent.of("identity", "GUEST_CREATED_" + i).by("x").with("key" + i, "1").build();
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("identity", "GUEST_CREATED ").by("x").build());
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("identity ", "GUEST_CREATED").by("x").build());
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("identity", "GUEST_CREATED").by("x").with("key ", "1").build());
        }
    }

    @Test
    void canonicalDetailsRoundTripWithAwkwardCharacters() {
        AuditEvent event = AuditEvent.of("ingestion", "EVENT_QUARANTINED").by("system:test")
                .with("reason", "missing \"email\"\n\tline 2 \\ \u0001").build();
        String json = Canonical.json(event.details());
        assertEquals(event.details(), Canonical.parseFlat(json));
    }

    @Test
    void actorsHideEmailLikePrincipals() {
        Principal staff = () -> "ops.lead@hotel.example";
        String actor = Actor.of(staff);
        assertTrue(actor.startsWith("user-sha256:"), actor);
        assertEquals("user:svc-portal", Actor.of(() -> "svc-portal"));
        assertEquals("anonymous", Actor.of(null));
    }
}
