package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.WorkHandler;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which queues a published message goes to: those of its type's handlers that are subscribed, each once. */
class SubscriptionsTest {

    public record Changed(int n) implements Message {
    }

    public record Other(int n) implements Message {
    }

    private static <T extends Message> WorkHandler<T> handler(Class<T> type, String queue, boolean subscribed) {
        return new WorkHandler<>() {
            @Override
            public Class<T> type() {
                return type;
            }

            @Override
            public String queue() {
                return queue;
            }

            @Override
            public boolean subscribed() {
                return subscribed;
            }

            @Override
            public void handle(List<Envelope<T>> batch, Outcomes outcomes) {
                throw new UnsupportedOperationException("not handled in this test");
            }
        };
    }

    @Test
    void aHandlerThatIsNotSubscribedGetsNoNewItems_theOthersOfItsTypeStillDo() {
        List<WorkHandler<?>> handlers = List.of(
                handler(Changed.class, "fan-out", false),
                handler(Changed.class, "audit-copy", true),
                handler(Changed.class, "audit-copy", true),
                handler(Other.class, "other", true));

        assertEquals(List.of("audit-copy"), Subscriptions.queuesOf(handlers, Changed.class), "the fan-out with nowhere to send is left out, a queue named once");
        assertEquals(List.of("other"), Subscriptions.queuesOf(handlers, Other.class));
        assertEquals(List.of(), Subscriptions.queuesOf(List.of(handler(Changed.class, "fan-out", false)), Changed.class),
                "no subscribed handler: the message is published nowhere");
        assertEquals(List.of("fan-out"), Subscriptions.queuesOf(List.of(handler(Changed.class, "fan-out", true)), Changed.class));
    }
}
