package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.platform.testing.MapConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connector's configured triggers: all four unless named, and a name that is no trigger disables the connector alone, saying why. */
class ConnectorSettingsTriggersTest {

    private static ConnectorSettings hubspot(String triggers) {
        Map<String, String> values = new HashMap<>(Map.of("crm.hs.type", "hubspot", "crm.hs.base-url", "https://api.hubapi.com",
                "crm.hs.token", "test-token"));
        if (triggers != null) {
            values.put("crm.hs.triggers", triggers);
        }
        return ConnectorSettings.from(new MapConfig(values), "hs");
    }

    @Test
    void aConnectorWithoutTriggersSyncsOnAllFour() {
        ConnectorSettings settings = hubspot(null);
        assertTrue(settings.enabled(), settings.problems().toString());
        assertEquals(SyncTrigger.ALL, settings.triggers());
    }

    @Test
    void configuredTriggersAreRead() {
        ConnectorSettings settings = hubspot("stay, consent-change");
        assertTrue(settings.enabled(), settings.problems().toString());
        assertEquals(Set.of(SyncTrigger.STAY, SyncTrigger.CONSENT_CHANGE), settings.triggers());
    }

    @Test
    void anUnknownTriggerDisablesTheConnectorWithTheAllowedOnesListed() {
        ConnectorSettings settings = hubspot("STAY,checkin");
        assertFalse(settings.enabled());
        assertEquals(1, settings.problems().size(), settings.problems().toString());
        String problem = settings.problems().get(0);
        assertTrue(problem.startsWith("crm.hs.triggers: unknown trigger 'checkin'"), problem);
        assertTrue(problem.contains("FIRST_LOGIN, RETURN_VISIT, STAY, CONSENT_CHANGE"), problem);
    }
}
