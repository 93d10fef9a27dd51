package io.guestbridge.crmsync.internal.connectors;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorTriggerChoiceTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aChoiceKeepsItsTriggersAndWhenTheyWereChosen() {
        ConnectorTriggerChoice choice = ConnectorTriggerChoice.first("hubspot-main", Set.of(SyncTrigger.STAY, SyncTrigger.FIRST_LOGIN), T0);

        assertEquals(Set.of(SyncTrigger.FIRST_LOGIN, SyncTrigger.STAY), choice.triggers());
        assertEquals("hubspot-main", choice.connector());
        assertEquals(T0, choice.changedAt());
    }

    @Test
    void aNewChoiceReplacesTheOldOne() {
        ConnectorTriggerChoice choice = ConnectorTriggerChoice.first("hubspot-main", Set.of(SyncTrigger.STAY), T0);

        choice.replaceWith(Set.of(SyncTrigger.CONSENT_CHANGE, SyncTrigger.RETURN_VISIT), T0.plusSeconds(60));

        assertEquals(Set.of(SyncTrigger.CONSENT_CHANGE, SyncTrigger.RETURN_VISIT), choice.triggers());
        assertEquals(T0.plusSeconds(60), choice.changedAt());
    }

    @Test
    void aConnectorCannotBeLeftWithoutTriggers() {
        ConnectorTriggerChoice choice = ConnectorTriggerChoice.first("hubspot-main", Set.of(SyncTrigger.STAY), T0);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> choice.replaceWith(Set.of(), T0.plusSeconds(1)));
        assertTrue(e.getMessage().contains("FIRST_LOGIN"), e.getMessage());
        assertEquals(Set.of(SyncTrigger.STAY), choice.triggers(), "a refused choice leaves the one in force");
        assertThrows(IllegalArgumentException.class, () -> ConnectorTriggerChoice.first("hubspot-main", Set.of(), T0));
    }

    @Test
    void aChoiceWrittenByAVersionWithOtherTriggersIsRefusedByName() throws ReflectiveOperationException {
        ConnectorTriggerChoice choice = ConnectorTriggerChoice.first("hubspot-main", Set.of(SyncTrigger.STAY), T0);
        Field stored = ConnectorTriggerChoice.class.getDeclaredField("triggers");
        stored.setAccessible(true);
        stored.set(choice, "STAY,CHECKOUT");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, choice::triggers);
        assertTrue(e.getMessage().contains("CHECKOUT"), e.getMessage());
    }
}
