package io.guestbridge.crmsync.internal.connectors;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncTriggerTest {

    @Test
    void namesAreReadInAnyCaseWithDashesOrUnderscores() {
        assertEquals(Set.of(SyncTrigger.FIRST_LOGIN, SyncTrigger.STAY), SyncTrigger.parse(List.of(" first-login", "stay ", "STAY")));
    }

    @Test
    void anUnknownNameIsRefusedWithTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyncTrigger.parse(List.of("STAY", "checkout")));
        assertTrue(e.getMessage().contains("'checkout'"), e.getMessage());
        assertTrue(e.getMessage().contains("FIRST_LOGIN, RETURN_VISIT, STAY, CONSENT_CHANGE"), e.getMessage());
    }

    @Test
    void noTriggerAtAllIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SyncTrigger.parse(List.of()));
    }

    @Test
    void theStoredFormKeepsDeclarationOrder() {
        assertEquals("FIRST_LOGIN,CONSENT_CHANGE", SyncTrigger.joined(Set.of(SyncTrigger.CONSENT_CHANGE, SyncTrigger.FIRST_LOGIN)));
        assertEquals(SyncTrigger.ALL, SyncTrigger.parse(List.of(SyncTrigger.joined(SyncTrigger.ALL).split(","))));
    }
}
