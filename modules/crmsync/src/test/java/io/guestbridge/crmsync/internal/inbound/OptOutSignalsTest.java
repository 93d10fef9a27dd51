package io.guestbridge.crmsync.internal.inbound;

import io.guestbridge.crmsync.internal.connectors.ClientTestSupport;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptOutSignalsTest {

    private static final ConnectorSettings HUBSPOT = ClientTestSupport.connector("hs", ConnectorSettings.Type.HUBSPOT, "http://127.0.0.1:1", 100,
            ClientTestSupport.TIMEOUT, Map.of("EMAIL", "email"), "guestbridge_marketing", "t", Map.of("marketing-subscriptions", "7, 9"));

    @Test
    void optingOutOfAllEmailOrOfAMarketingSubscriptionIsAWithdrawal() {
        assertTrue(OptOutSignals.optsOut(HUBSPOT, "hs_email_optout", "true"));
        assertTrue(OptOutSignals.optsOut(HUBSPOT, "hs_email_optout_9", "TRUE"));
        assertTrue(OptOutSignals.optsOut(HUBSPOT, "guestbridge_marketing", "false"));
        assertTrue(OptOutSignals.optsOut(null, "HasOptedOutOfEmail", "true"), "Salesforce's flag through the canonical form");
    }

    @Test
    void optingBackInServiceMailAndOtherPropertiesAreNot() {
        assertFalse(OptOutSignals.optsOut(HUBSPOT, "hs_email_optout", "false"));
        assertFalse(OptOutSignals.optsOut(HUBSPOT, "hs_email_optout_8", "true"), "subscription 8 is not a marketing one");
        assertFalse(OptOutSignals.optsOut(HUBSPOT, "guestbridge_marketing", "true"));
        assertFalse(OptOutSignals.optsOut(HUBSPOT, "phone", "true"));
        assertFalse(OptOutSignals.optsOut(HUBSPOT, "hasoptedoutofemail", ""));
    }
}
