package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.WorkItem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordedOutcomesTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

    private static List<WorkItem> batch(int size, int attempts) {
        List<WorkItem> items = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            items.add(new WorkItem(i, "q", "k" + i, "{}", attempts, 0, "owner", Instant.EPOCH, null));
        }
        return items;
    }

    @Test
    void theLongestPauseAskedForIsThePauseOfTheQueue() {
        RecordedOutcomes outcomes = new RecordedOutcomes(batch(3, 0));
        assertTrue(outcomes.pause().isEmpty(), "a handler that asks for none pauses nothing");
        outcomes.pauseQueue(Duration.ZERO);
        outcomes.pauseQueue(Duration.ofMillis(-5));
        assertTrue(outcomes.pause().isEmpty(), "no pause of zero or less");
        outcomes.pauseQueue(Duration.ofSeconds(3));
        outcomes.pauseQueue(Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(3), outcomes.pause().orElseThrow());
        outcomes.pauseQueue(Duration.ofSeconds(8));
        assertEquals(Duration.ofSeconds(8), outcomes.pause().orElseThrow());
    }

    @Test
    void aBatchThatFailedTogetherComesBackTogether() {
        List<WorkItem> items = batch(100, 2);
        RecordedOutcomes outcomes = new RecordedOutcomes(items);
        items.forEach(item -> outcomes.retry(item, "HubSpot answered 503"));
        List<RecordedOutcomes.Outcome> all = outcomes.all(null, BACKOFF, 0.37);
        Duration first = all.get(0).delay();
        assertTrue(first.compareTo(Duration.ofMillis(500)) >= 0 && first.compareTo(Duration.ofSeconds(1)) <= 0,
                "second attempt: between half and all of 1 s, was " + first);
        all.forEach(o -> assertEquals(first, o.delay(), "one delay for the whole batch"));
    }

    @Test
    void itemsReportedDoneByAHandlerWhoseTransactionThenFailedAreRetried_notCompletedAndLost() {
        // the CRM fan-out: each item's successor published and the item reported done, all in one transaction, which
        // the database then refused at commit (the node went away): the successors are gone, so the items must stay
        List<WorkItem> items = batch(7, 1);
        RecordedOutcomes outcomes = new RecordedOutcomes(items);
        items.forEach(outcomes::done);
        List<RecordedOutcomes.Outcome> all = outcomes.all(
                new IllegalStateException("Managed bean with Transactional annotation encountered exception during commit"), BACKOFF, 0.0);
        all.forEach(o -> assertEquals(RecordedOutcomes.Kind.RETRY, o.kind(), "item " + o.item().id() + " is tried again"));
        all.forEach(o -> assertTrue(o.reason().contains("during commit"), o.reason()));
        // a handler that did not throw is taken at its word
        RecordedOutcomes fine = new RecordedOutcomes(items);
        items.forEach(fine::done);
        fine.all(null, BACKOFF, 0.0).forEach(o -> assertEquals(RecordedOutcomes.Kind.DONE, o.kind()));
    }

    @Test
    void itemsWhoseCompletionTheHandlersOwnTransactionCommittedAreNotRecordedAgain() {
        List<WorkItem> items = batch(4, 1);
        RecordedOutcomes outcomes = new RecordedOutcomes(items);
        items.forEach(outcomes::done);
        // the first two completed in the handler's committed transactions (a privacy step), the others left to the worker
        CommittedCompletions.watch();
        CommittedCompletions.committed(List.of(items.get(0).id(), items.get(1).id()));
        Set<Long> committed = CommittedCompletions.stop();
        assertEquals(List.of(items.get(2).id(), items.get(3).id()),
                outcomes.toRecord(null, BACKOFF, 0.0, committed).stream().map(o -> o.item().id()).toList());
        // a handler that threw after those commits: what committed stays settled, the rest is retried
        List<RecordedOutcomes.Outcome> afterFailure = outcomes.toRecord(new IllegalStateException("boom"), BACKOFF, 0.0, committed);
        assertEquals(List.of(items.get(2).id(), items.get(3).id()), afterFailure.stream().map(o -> o.item().id()).toList());
        afterFailure.forEach(o -> assertEquals(RecordedOutcomes.Kind.RETRY, o.kind()));
        // commits outside a worker's batch are not kept
        CommittedCompletions.committed(List.of(items.get(2).id()));
        assertEquals(Set.of(), CommittedCompletions.stop());
    }

    @Test
    void silenceAndAThrownHandlerAreRetriesWithBackoff_whileAskedForWaitsKeepTheirOwnDelay() {
        List<WorkItem> items = batch(3, 1);
        RecordedOutcomes outcomes = new RecordedOutcomes(items);
        outcomes.retryAfter(items.get(0), Duration.ofSeconds(7), "rate limit");
        outcomes.done(items.get(1));
        List<RecordedOutcomes.Outcome> all = outcomes.all(new IllegalStateException("boom"), BACKOFF, 0.0);
        assertEquals(Duration.ofSeconds(7), all.get(0).delay());
        assertEquals(RecordedOutcomes.Kind.RETRY, all.get(1).kind(), "done, but the handler threw afterwards");
        assertEquals(RecordedOutcomes.Kind.RETRY, all.get(2).kind());
        assertEquals(Duration.ofMillis(250), all.get(2).delay(), "first attempt, no jitter: half of the 500 ms base");
        assertTrue(all.get(2).reason().contains("IllegalStateException"));
    }
}
