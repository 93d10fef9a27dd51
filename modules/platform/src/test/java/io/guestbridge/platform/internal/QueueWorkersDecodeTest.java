package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.WorkItem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueWorkersDecodeTest {

    public record Ping(int n) implements Message {
        public Ping {
            if (n < 0) {
                throw new IllegalArgumentException("n is never negative");
            }
        }
    }

    private static WorkItem item(long id, String payload) {
        return new WorkItem(id, "q", null, payload, 1, 0, "owner", Instant.EPOCH, null);
    }

    @Test
    void aPayloadThatIsNoMessageOfTheQueuesTypeGoesDeadWithTheReason_itsNeighboursReachTheHandler() {
        List<WorkItem> batch = List.of(item(1, "{\"n\":1}"), item(2, "{\"n\":"), item(3, "{\"n\":-4}"), item(4, "{\"n\":2}"));
        RecordedOutcomes outcomes = new RecordedOutcomes(batch);

        List<Envelope<Ping>> decoded = QueueWorkers.decode(Ping.class, batch, outcomes);

        assertEquals(List.of(new Ping(1), new Ping(2)), decoded.stream().map(Envelope::message).toList());
        assertEquals(List.of(1L, 4L), decoded.stream().map(e -> e.item().id()).toList());
        List<RecordedOutcomes.Outcome> all = outcomes.all(null, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5)), 0.5);
        for (RecordedOutcomes.Outcome o : all.subList(1, 3)) {
            assertEquals(RecordedOutcomes.Kind.DEAD, o.kind(), "item " + o.item().id() + " is dead, not retried or lost");
            assertTrue(o.reason().startsWith("not a Ping message: "), o.reason());
        }
        assertEquals(RecordedOutcomes.Kind.RETRY, all.get(0).kind(), "a decoded item's outcome is its handler's to give");
    }

    @Test
    void aHandlersFailureIsLoggedWithWhereItWasThrownAndOurFrameItPassed() {
        Exception inLibrary = new NullPointerException();
        inLibrary.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("org.example.Library", "find", "Library.java", 12),
                new StackTraceElement("io.guestbridge.crmsync.Delivery", "deliver", "Delivery.java", 34)});
        assertEquals(" (at org.example.Library.find(Library.java:12), from io.guestbridge.crmsync.Delivery.deliver(Delivery.java:34))",
                QueueWorkers.where(inLibrary));
        Exception ours = new IllegalStateException();
        assertTrue(QueueWorkers.where(ours).startsWith(" (at io.guestbridge.platform.internal.QueueWorkersDecodeTest."), QueueWorkers.where(ours));
        assertTrue(!QueueWorkers.where(ours).contains(", from "), "our own throw site is named once");
    }
}
