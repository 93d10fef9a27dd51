package io.guestbridge.onboarding.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryBacklogTest {

    @Test
    void fiveHundredTextsAtAHundredAMinuteDrainInFiveMinutesRoundedUpToTheSecond() {
        assertEquals(300, DeliveryBacklog.drainSeconds(500, 100));
        assertEquals(1, DeliveryBacklog.drainSeconds(1, 100), "0.6 s is a second to wait, not none");
        assertEquals(0, DeliveryBacklog.drainSeconds(0, 100));
    }
}
