package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.Connectors;
import io.guestbridge.platform.testing.MapConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fan-out takes changed guests only when there is a connector to pass them to. */
class CrmFanOutTest {

    private static final Map<String, String> MAILCHIMP = Map.of("crm.connectors", "mc", "crm.mc.type", "mailchimp",
            "crm.mc.base-url", "https://us1.api.mailchimp.com", "crm.mc.api-key", "key-us1", "crm.mc.list-id", "guests");

    private static CrmFanOut with(Map<String, String> config) {
        CrmFanOut fanOut = new CrmFanOut();
        fanOut.connectors = Connectors.of(new MapConfig(config));
        return fanOut;
    }

    @Test
    void subscribedOnlyWithAnEnabledConnector() {
        assertTrue(with(MAILCHIMP).subscribed(), "an enabled connector: every changed guest is its work");
        assertFalse(with(Map.of()).subscribed(), "no connector: a changed guest writes no crm-sync item");
        assertFalse(with(Map.of("crm.connectors", "mc", "crm.mc.type", "mailchimp")).subscribed(),
                "a connector named but disabled by its missing settings reaches no CRM either");
    }
}
