package io.guestbridge.ingestion.internal.quarantine;

import io.guestbridge.ingestion.internal.inbox.InboxBodies;
import io.guestbridge.platform.api.DataKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a quarantined event leaves quarantine: replayed (as it is or corrected) or discarded with a reason, once. */
class QuarantinedEventTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-25T08:00:00Z");
    private static final byte[] SEALED = new byte[100];

    private static QuarantinedEvent quarantined() {
        return new QuarantinedEvent(1042, "source-1", RECEIVED, "the email is not a valid address", SEALED.clone(), "day:2026-11-25", "a".repeat(64));
    }

    @Test
    void theListShowsThePayloadsSizeInClearWithoutThePayload() {
        assertEquals(new io.guestbridge.ingestion.api.QuarantineDesk.Quarantined(1042, "source-1", RECEIVED, "the email is not a valid address",
                100 - DataKey.OVERHEAD), quarantined().item());
        assertEquals(100, new QuarantinedEvent(7, "source-1", RECEIVED, "why", new byte[100], null, "a".repeat(64)).item().bytes(),
                "a body kept in clear counts as it is");
    }

    @Test
    void aReplayPutsItBackInTheInboxWithoutItsReason_keepingTheBodyOrTakingTheCorrectedOne() {
        QuarantinedEvent asItIs = quarantined();
        asItIs.replay(null, null);
        assertEquals(QuarantinedEvent.State.RECEIVED, asItIs.state());
        assertNull(asItIs.reason());
        assertNull(asItIs.processedAt());
        assertArrayEquals(SEALED, asItIs.body());
        assertEquals("day:2026-11-25", asItIs.bodyKey());

        QuarantinedEvent corrected = quarantined();
        byte[] resealed = "resealed".getBytes(StandardCharsets.UTF_8);
        corrected.replay(new InboxBodies.Sealed(resealed, "day:2026-12-02"), "b".repeat(64));
        assertEquals(QuarantinedEvent.State.RECEIVED, corrected.state());
        assertArrayEquals(resealed, corrected.body());
        assertEquals("day:2026-12-02", corrected.bodyKey());
        assertEquals("b".repeat(64), corrected.bodySha256());
    }

    @Test
    void aDiscardEmptiesTheBodyAndKeepsTheRowWithItsReason() {
        QuarantinedEvent event = quarantined();
        Instant at = RECEIVED.plusSeconds(3600);
        assertEquals("test event", event.discard("  test event ", at));
        assertEquals(QuarantinedEvent.State.DISCARDED, event.state());
        assertEquals("discarded: test event", event.reason());
        assertEquals(0, event.body().length);
        assertNull(event.bodyKey());
        assertEquals(at, event.processedAt());
    }

    @Test
    void anEventLeavesQuarantineOnce() {
        QuarantinedEvent discarded = quarantined();
        discarded.discard("test event", RECEIVED);
        assertThrows(IllegalStateException.class, () -> discarded.replay(null, null));
        QuarantinedEvent replayed = quarantined();
        replayed.replay(null, null);
        assertThrows(IllegalStateException.class, () -> replayed.discard("test event", RECEIVED));
        assertThrows(IllegalStateException.class, () -> replayed.replay(null, null));
    }

    @Test
    void aDiscardsReasonIsShortAndHoldsNoPersonalData() {
        QuarantinedEvent event = quarantined();
        for (String bad : new String[] {null, "", "   ", "x".repeat(301)}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> event.discard(bad, RECEIVED));
            assertTrue(refused.getMessage().startsWith("Give a reason of 1–300 characters"), refused.getMessage());
        }
        IllegalArgumentException personal = assertThrows(IllegalArgumentException.class, () -> event.discard("sent by jane@example.com", RECEIVED));
        assertTrue(personal.getMessage().contains("must not contain personal data"), personal.getMessage());
        assertEquals(QuarantinedEvent.State.QUARANTINED, event.state(), "a refused discard changes nothing");
        assertEquals("x".repeat(300), QuarantinedEvent.discardReason("x".repeat(300)));
    }

    @Test
    void aCorrectedPayloadIsOneJsonObjectOfAtMostOneMegabyte() {
        QuarantinedEvent.checkCorrection("{\"email\":\"jane@example.com\"}".getBytes(StandardCharsets.UTF_8));
        assertThrows(QuarantinedEvent.NotAnObject.class, () -> QuarantinedEvent.checkCorrection("[1, 2]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(QuarantinedEvent.NotAnObject.class, () -> QuarantinedEvent.checkCorrection("not json".getBytes(StandardCharsets.UTF_8)));
        byte[] large = new byte[QuarantinedEvent.MAX_CORRECTED_BYTES + 1];
        assertThrows(QuarantinedEvent.TooLarge.class, () -> QuarantinedEvent.checkCorrection(large));
    }
}
