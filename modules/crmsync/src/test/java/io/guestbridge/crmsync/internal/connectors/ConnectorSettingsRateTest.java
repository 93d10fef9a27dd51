package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.testing.MapConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connector's request budget: its window and pace, and the leeway its spacing keeps for requests that arrive late. */
class ConnectorSettingsRateTest {

    private static ConnectorSettings salesforce(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of("crm.sf.type", "salesforce", "crm.sf.base-url", "https://example.my.salesforce.com",
                "crm.sf.client-id", "id", "crm.sf.client-secret", "secret", "crm.sf.rate-limit-requests", "5", "crm.sf.rate-limit-window-ms", "1000"));
        values.putAll(more);
        return ConnectorSettings.from(new MapConfig(values), "sf");
    }

    @Test
    void theBudgetKeeps250MsOfLeewayUnlessConfigured() {
        ConnectorSettings settings = salesforce(Map.of());
        assertTrue(settings.enabled(), settings.problems().toString());
        RateBudget.Rate rate = settings.rate();
        assertEquals(new RateBudget.Rate("crm:sf", 5, Duration.ofSeconds(1), 250_000, Duration.ofMillis(250)), rate);
        assertEquals(Duration.ofMillis(250), rate.spacing(), "5 a second, spaced for 1.25 s: 4 a second leave");

        RateBudget.Rate configured = salesforce(Map.of("crm.sf.rate-limit-leeway-ms", "500")).rate();
        assertEquals(Duration.ofMillis(500), configured.leeway());
        assertEquals(Duration.ofMillis(300), configured.spacing());
        assertEquals(Duration.ofMillis(200), salesforce(Map.of("crm.sf.rate-limit-leeway-ms", "0")).rate().spacing(), "0: paced at the window's share");
    }

    @Test
    void aLeewayThatIsNoNumberOfMillisecondsDisablesTheConnectorSayingSo() {
        ConnectorSettings settings = salesforce(Map.of("crm.sf.rate-limit-leeway-ms", "-5"));
        assertFalse(settings.enabled());
        assertEquals(1, settings.problems().size(), settings.problems().toString());
        assertTrue(settings.problems().get(0).startsWith("crm.sf.rate-limit-leeway-ms must be a number of milliseconds"), settings.problems().toString());
        assertEquals(Duration.ofMillis(250), settings.rate().leeway(), "the default stands in for it");
    }

    @Test
    void aFastConnectorGetsAWorkerForEverySlotOfABusyRound_uptoTen() {
        // 190 per 10 s with the default leeway: a slot every 54 ms, ten of them in half a second
        assertEquals(10, salesforce(Map.of("crm.sf.rate-limit-requests", "190", "crm.sf.rate-limit-window-ms", "10000")).concurrency());
        // 100 per 10 s: a slot every 102.5 ms, five in half a second; six stay the least
        assertEquals(6, salesforce(Map.of("crm.sf.rate-limit-requests", "100", "crm.sf.rate-limit-window-ms", "10000")).concurrency());
        assertEquals(8, salesforce(Map.of("crm.sf.rate-limit-requests", "150", "crm.sf.rate-limit-window-ms", "10000")).concurrency());
        assertEquals(10, salesforce(Map.of("crm.sf.rate-limit-requests", "1000", "crm.sf.rate-limit-window-ms", "1000")).concurrency(), "never above 10");
        assertEquals(3, salesforce(Map.of("crm.sf.rate-limit-requests", "190", "crm.sf.rate-limit-window-ms", "10000", "crm.sf.concurrency", "3"))
                .concurrency(), "a configured number stands");
    }

    @Test
    void sixRequestsAreInFlightPerInstanceUnlessConfiguredAndThreeToMailchimp() {
        assertEquals(6, salesforce(Map.of()).concurrency(), "enough workers that a budget slot finds a batch ready");
        assertEquals(2, salesforce(Map.of("crm.sf.concurrency", "2")).concurrency());
        assertEquals(10, salesforce(Map.of("crm.sf.concurrency", "50")).concurrency(), "never above 10");
        ConnectorSettings mailchimp = ConnectorSettings.from(new MapConfig(Map.of("crm.mc.type", "mailchimp",
                "crm.mc.base-url", "https://us1.api.mailchimp.com", "crm.mc.api-key", "key-us1", "crm.mc.list-id", "guests")), "mc");
        assertTrue(mailchimp.enabled(), mailchimp.problems().toString());
        assertEquals(3, mailchimp.concurrency(), "Mailchimp's 10 connections per account are shared by every instance");
    }
}
