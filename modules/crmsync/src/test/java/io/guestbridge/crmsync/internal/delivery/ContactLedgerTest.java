package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.platform.testing.ToldOutcomes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContactLedgerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static long ids;

    private static Envelope<ContactsDue> item(GuestId... guests) {
        WorkItem item = new WorkItem(++ids, "crm:test", null, "{}", 1, 0, "owner", T0, null);
        return new Envelope<>(item, new ContactsDue(Arrays.stream(guests).map(g -> new ContactDue(g.value(), T0.plusSeconds(ids))).toList()));
    }

    @Test
    void anItemAllStoredOrSkippedIsDoneAndCompletedWithTheRequest() {
        GuestId a = GuestId.random();
        GuestId b = GuestId.random();
        Envelope<ContactsDue> item = item(a, b);
        ContactLedger ledger = new ContactLedger(List.of(item));
        ledger.stored(a);
        ledger.skipped(b);
        assertEquals(List.of(item.item()), ledger.completed());
        assertTrue(ledger.remainders().isEmpty());
        ToldOutcomes told = new ToldOutcomes();
        ledger.settle(told);
        assertEquals(Map.of(item.item().id(), "DONE"), told.byItem);
    }

    @Test
    void anItemPartlyStoredLeavesTheOthersAsASmallerItemInTheirOrderAndEachRefusedOneAsADeadLetter() {
        GuestId a = GuestId.random();
        GuestId b = GuestId.random();
        GuestId c = GuestId.random();
        GuestId d = GuestId.random();
        GuestId e = GuestId.random();
        Envelope<ContactsDue> item = item(a, b, c, d, e);
        List<ContactDue> contacts = item.message().contacts();
        ContactLedger ledger = new ContactLedger(List.of(item));
        ledger.dead(a, "INVALID_EMAIL");
        ledger.stored(b);
        ledger.skipped(c);
        ledger.retry(d, "HTTP 503");
        ledger.dead(e, "INVALID_PHONE");
        assertTrue(ledger.completed().isEmpty());
        WorkQueue.Remainder remainder = ledger.remainders().get(item.item());
        assertEquals(new ContactsDue(List.of(contacts.get(3))), remainder.pending());
        assertEquals(List.of(Map.entry(ContactsDue.of(contacts.get(0)), "INVALID_EMAIL"), Map.entry(ContactsDue.of(contacts.get(4)), "INVALID_PHONE")),
                List.copyOf(remainder.dead().entrySet()));
        ToldOutcomes told = new ToldOutcomes();
        ledger.settle(told);
        assertEquals("DONE", told.byItem.get(item.item().id()), "settled by the remainder it left, in the request's transaction");
    }

    @Test
    void refusedContactsOfAnItemNoneOfWhichWasStoredAreDeadLettersOfTheirOwn_aLoneOneIsTheItem() {
        GuestId a = GuestId.random();
        GuestId b = GuestId.random();
        GuestId c = GuestId.random();
        Envelope<ContactsDue> two = item(a, b);
        Envelope<ContactsDue> one = item(c);
        ContactLedger ledger = new ContactLedger(List.of(two, one));
        ledger.dead(a, "INVALID_EMAIL");
        ledger.dead(b, "INVALID_EMAIL");
        ledger.dead(c, "INVALID_EMAIL");
        assertEquals(new WorkQueue.Remainder(null, Map.of(ContactsDue.of(two.message().contacts().get(0)), "INVALID_EMAIL",
                ContactsDue.of(two.message().contacts().get(1)), "INVALID_EMAIL")), ledger.remainders().get(two.item()));
        assertEquals(1, ledger.remainders().size());
        ToldOutcomes told = new ToldOutcomes();
        ledger.settle(told);
        assertEquals(Map.of(two.item().id(), "DONE", one.item().id(), "DEAD INVALID_EMAIL"), told.byItem);
    }

    @Test
    void anItemNoneOfWhichWasStoredOrRefusedTakesItsContactsOutcomeAsAWhole() {
        GuestId[] g = new GuestId[6];
        for (int i = 0; i < g.length; i++) {
            g[i] = GuestId.random();
        }
        Envelope<ContactsDue> failing = item(g[0], g[1]);
        Envelope<ContactsDue> waiting = item(g[2], g[3]);
        Envelope<ContactsDue> skippedAndLeft = item(g[4], g[5]);
        ContactLedger ledger = new ContactLedger(List.of(failing, waiting, skippedAndLeft));
        ledger.retryAfter(g[0], Duration.ofSeconds(3), "HTTP 429");
        ledger.retry(g[1], "HTTP 503");
        ledger.retryAfter(g[2], Duration.ofSeconds(5), "HTTP 429");
        ledger.retryAfter(g[3], Duration.ofSeconds(9), "HTTP 429");
        ledger.skipped(g[4]);
        ledger.left(g[5]);
        assertTrue(ledger.remainders().isEmpty());
        ToldOutcomes told = new ToldOutcomes();
        ledger.settle(told);
        assertEquals("RETRY HTTP 503", told.byItem.get(failing.item().id()), "one failure for now is a retry of the item");
        assertEquals("AFTER PT9S HTTP 429", told.byItem.get(waiting.item().id()), "the longest wait asked for");
        assertEquals("AFTER PT0S left for the connector's next request", told.byItem.get(skippedAndLeft.item().id()));
    }

    @Test
    void aGuestInTwoItemsIsSentOnceAndItsOutcomeIsBoth() {
        GuestId a = GuestId.random();
        GuestId b = GuestId.random();
        Envelope<ContactsDue> first = item(a, b);
        Envelope<ContactsDue> second = item(a);
        ContactLedger ledger = new ContactLedger(List.of(first, second));
        assertEquals(List.of(a, b), ledger.guests());
        assertEquals(first.message().contacts().get(0).changedAt(), ledger.changedAt(a), "the oldest change waiting");
        ledger.stored(a);
        ToldOutcomes told = new ToldOutcomes();
        ledger.settle(told);
        assertEquals(List.of(second.item()), ledger.completed());
        assertEquals(Map.of(first.item(), new WorkQueue.Remainder(ContactsDue.of(first.message().contacts().get(1)), Map.of())), ledger.remainders(),
                "b had no outcome: it stays, as a silent outcome stays in the queue");
        assertEquals(Map.of(first.item().id(), "DONE", second.item().id(), "DONE"), told.byItem);
    }

    @Test
    void aRequestTakesItemsUntilTheyFillIt() {
        List<Envelope<ContactsDue>> batch = List.of(item(GuestId.random(), GuestId.random(), GuestId.random()), item(GuestId.random(), GuestId.random()),
                item(GuestId.random()), item(GuestId.random(), GuestId.random()));
        assertEquals(batch.subList(0, 2), ConnectorHandler.request(batch, 4), "the second overfills it: what does not fit is left");
        assertEquals(batch.subList(0, 1), ConnectorHandler.request(batch, 3));
        assertEquals(batch.subList(0, 1), ConnectorHandler.request(batch, 2), "the first always, even larger than a request");
        assertEquals(batch, ConnectorHandler.request(batch, 100));
    }

    @Test
    void whatDidNotFitInAFullRequestStaysAsASmallerItem() {
        GuestId a = GuestId.random();
        GuestId b = GuestId.random();
        GuestId c = GuestId.random();
        Envelope<ContactsDue> first = item(a);
        Envelope<ContactsDue> second = item(b, c);
        ContactLedger ledger = new ContactLedger(List.of(first, second));
        ledger.stored(a);
        ledger.stored(b);
        ledger.left(c);
        assertEquals(List.of(first.item()), ledger.completed());
        assertEquals(Map.of(second.item(), new WorkQueue.Remainder(ContactsDue.of(second.message().contacts().get(1)), Map.of())), ledger.remainders());
    }
}
