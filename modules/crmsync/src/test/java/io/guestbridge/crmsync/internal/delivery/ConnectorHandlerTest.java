package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.ClientTestSupport;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.testing.ToldOutcomes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorHandlerTest {

    private static final ConnectorSettings HUBSPOT = ClientTestSupport.connector("hubspot-test", ConnectorSettings.Type.HUBSPOT,
            "http://127.0.0.1:1", 100, Duration.ofSeconds(1), Map.of("EMAIL", "email"), null, "token", Map.of());
    private static long ids;

    /** The requests the handler hands to delivery, each as the ids of its items. */
    private static final class Requests extends CrmDelivery {
        final List<List<Long>> sent = new ArrayList<>();

        @Override
        void deliver(ConnectorSettings connector, List<Envelope<ContactsDue>> request, WorkHandler.Outcomes outcomes) {
            sent.add(request.stream().map(due -> due.item().id()).toList());
            request.forEach(due -> outcomes.done(due.item()));
        }
    }

    private static Envelope<ContactsDue> item(int contacts, Instant created) {
        WorkItem item = new WorkItem(++ids, HUBSPOT.queue(), null, "{}", 1, 0, "owner", created, null);
        return new Envelope<>(item, new ContactsDue(IntStream.range(0, contacts).mapToObj(i -> new ContactDue(GuestId.random().value(), created)).toList()));
    }

    @Test
    void aClaimTakesAsManyItemsAsFillOneRequest_judgedByTheLastClaim() {
        Requests delivery = new Requests();
        ConnectorHandler handler = new ConnectorHandler(HUBSPOT, delivery);
        assertEquals(100, handler.batchSize(), "before any claim: a contact per item, as changes trickle in");
        Instant old = Instant.now().minusSeconds(60);
        handler.handle(List.of(item(100, old)), new ToldOutcomes());
        assertEquals(1, handler.batchSize(), "items of a request's worth: one a claim");
        handler.handle(List.of(item(25, old), item(25, old)), new ToldOutcomes());
        assertEquals(5, handler.batchSize(), "four such fill a request, and one more in case the next are smaller");
        handler.handle(List.of(item(42, old), item(42, old)), new ToldOutcomes());
        assertEquals(4, handler.batchSize(), "enough to fill a request and one more; what overfills it stays queued");
        handler.handle(List.of(item(1, old), item(1, old), item(1, old)), new ToldOutcomes());
        assertEquals(100, handler.batchSize());
    }

    @Test
    void aFullClaimTooSmallForAFullRequestGoesBack_andTheNextClaimTakesEnough() {
        Requests delivery = new Requests();
        ConnectorHandler handler = new ConnectorHandler(HUBSPOT, delivery);
        Instant old = Instant.now().minusSeconds(60);
        handler.handle(List.of(item(40, old), item(40, old)), new ToldOutcomes());
        assertEquals(4, handler.batchSize());
        List<Envelope<ContactsDue>> small = List.of(item(20, old), item(5, old), item(20, old), item(20, old));
        ToldOutcomes told = new ToldOutcomes();
        handler.handle(small, told);
        assertEquals(1, delivery.sent.size(), "only the first request went");
        assertTrue(small.stream().allMatch(due -> told.byItem.get(due.item().id()).equals("AFTER PT0S claimed too few contacts for a full request")),
                told.byItem.toString());
        assertEquals(21, handler.batchSize(), "sized by the smallest item, and one more");
        // a claim that got fewer items than it asked for found the queue short of due items: it goes as it is
        handler.handle(List.of(item(20, old), item(5, old)), new ToldOutcomes());
        assertEquals(2, delivery.sent.size());
    }

    @Test
    void theItemsPastOneRequestGoBackWithoutAnAttempt() {
        Requests delivery = new Requests();
        ConnectorHandler handler = new ConnectorHandler(HUBSPOT, delivery);
        Instant old = Instant.now().minusSeconds(60);
        List<Envelope<ContactsDue>> batch = List.of(item(60, old), item(60, old), item(40, old), item(1, old));
        ToldOutcomes told = new ToldOutcomes();
        handler.handle(batch, told);
        assertEquals(List.of(List.of(batch.get(0).item().id(), batch.get(1).item().id())), delivery.sent, "120 contacts fill a request of 100");
        assertEquals("AFTER PT0S left for the connector's next request", told.byItem.get(batch.get(2).item().id()));
        assertEquals("AFTER PT0S left for the connector's next request", told.byItem.get(batch.get(3).item().id()));
        assertEquals("DONE", told.byItem.get(batch.get(0).item().id()));
    }

    @Test
    void aShortRequestLingersUntilItsOldestItemHasWaited_aFullOneGoesAtOnce() {
        Requests delivery = new Requests();
        ConnectorHandler handler = new ConnectorHandler(HUBSPOT, delivery);
        Instant now = Instant.now();
        List<Envelope<ContactsDue>> young = List.of(item(30, now), item(30, now));
        ToldOutcomes told = new ToldOutcomes();
        handler.handle(young, told);
        assertTrue(delivery.sent.isEmpty(), "60 of 100, younger than the linger: nothing sent");
        assertTrue(told.byItem.values().stream().allMatch(o -> o.startsWith("AFTER ") && o.endsWith(" lingering for a fuller batch")), told.byItem.toString());
        handler.handle(List.of(item(50, now), item(50, now)), new ToldOutcomes());
        assertEquals(1, delivery.sent.size(), "a full request does not linger");
        handler.handle(List.of(item(30, now.minus(HUBSPOT.linger()).minusMillis(1))), new ToldOutcomes());
        assertEquals(2, delivery.sent.size(), "a short one goes once its oldest item has lingered");
    }
}
