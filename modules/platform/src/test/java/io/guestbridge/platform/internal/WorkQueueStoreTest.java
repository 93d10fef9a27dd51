package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.QueueStats;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The work queue's SQL against a real MariaDB. */
class WorkQueueStoreTest {

    private static final Duration LEASE = Duration.ofMinutes(1);

    private final TestDatabase db = TestDatabase.get();
    private final WorkQueueStore store = new WorkQueueStore();
    private String queue;

    @BeforeEach
    void freshQueue() {
        queue = "test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void concurrentClaimersNeverGetTheSameItem() throws Exception {
        int items = 2000;
        inTx(c -> {
            for (int i = 0; i < items; i++) {
                store.insert(c, queue, "{\"n\":" + i + "}");
            }
            return null;
        });
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        int claimers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < claimers; t++) {
            results.add(pool.submit(() -> {
                start.await();
                int claimed = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    List<WorkItem> batch = inTx(c -> store.claim(c, queue, 25, LEASE, 8));
                    if (batch.isEmpty()) {
                        return claimed;
                    }
                    for (WorkItem item : batch) {
                        if (!seen.add(item.id())) {
                            duplicates.incrementAndGet();
                        }
                    }
                    claimed += batch.size();
                    inTx(c -> {
                        for (WorkItem item : batch) {
                            assertTrue(store.complete(c, item));
                        }
                        return null;
                    });
                }
                return claimed;
            }));
        }
        start.countDown();
        int total = 0;
        int busyClaimers = 0;
        for (Future<Integer> result : results) {
            int n = result.get(90, TimeUnit.SECONDS);
            total += n;
            busyClaimers += n > 0 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(0, duplicates.get(), "an item was handed to two claimers");
        assertEquals(items, total);
        assertEquals(items, seen.size());
        assertTrue(busyClaimers >= 2, "the claimers shared the work instead of queueing behind one lock");
        assertEquals(0, count("state = 'PENDING'"));
    }

    @Test
    void aClaimBesideOthersNotYetCommittedStillFillsItsBatch() throws Exception {
        inTx(c -> {
            for (int i = 0; i < 400; i++) {
                store.insert(c, queue, "{\"n\":" + i + "}");
            }
            return null;
        });
        Set<Long> claimed = new java.util.HashSet<>();
        try (Connection first = db.connect(); Connection second = db.connect()) {
            // three senders of one connector claim at once: to each, the others' batches still read as due until they commit
            List<WorkItem> one = store.claim(first, queue, 100, LEASE, 8);
            List<WorkItem> two = store.claim(second, queue, 100, LEASE, 8);
            List<WorkItem> three = inTx(c -> store.claim(c, queue, 100, LEASE, 8));
            assertEquals(List.of(100, 100, 100), List.of(one.size(), two.size(), three.size()),
                    "each claim a whole batch, though the ones before it had not committed");
            Stream.of(one, two, three).flatMap(List::stream).forEach(item -> claimed.add(item.id()));
            first.commit();
            second.commit();
        }
        assertEquals(300, claimed.size(), "no item in two batches");
        assertEquals(100, inTx(c -> store.claim(c, queue, 100, LEASE, 8)).size(), "and the rest after them");
    }

    @Test
    void anExpiredLeaseIsClaimedAgainAndTheOldClaimLosesTheItem() throws Exception {
        inTx(c -> store.insert(c, queue, "{}"));
        WorkItem first = single(inTx(c -> store.claim(c, queue, 10, Duration.ofMillis(300), 8)));
        assertTrue(claim(queue, 10, LEASE, 8).isEmpty(), "a leased item is not claimable");
        Thread.sleep(450);
        WorkItem second = single(inTx(c -> store.claim(c, queue, 10, LEASE, 8)));
        assertEquals(first.id(), second.id());
        assertEquals(2, second.attempts());
        assertNotEquals(first.leaseOwner(), second.leaseOwner());
        assertFalse(this.<Boolean>inTx(c -> store.complete(c, first)), "the crashed worker's late completion is refused");
        assertTrue(this.<Boolean>inTx(c -> store.complete(c, second)));
        assertEquals(0, count("id = " + first.id()));
    }

    @Test
    void anItemClaimedAsItIsPublishedIsNoOneElsesUntilItsLeaseRunsOutOrItIsGivenBack() throws Exception {
        WorkItem mine = inTx(c -> store.insertLeased(c, queue, "{\"n\":1}", null, UUID.randomUUID().toString(), Duration.ofMillis(400)));
        assertEquals(1, mine.attempts(), "its first attempt, as a claim counts it");
        assertTrue(claim(queue, 10, LEASE, 8).isEmpty(), "another claimer does not get an item its publisher holds");
        Thread.sleep(550);
        WorkItem taken = single(inTx(c -> store.claim(c, queue, 10, LEASE, 8)));
        assertEquals(mine.id(), taken.id());
        assertEquals(2, taken.attempts(), "the publisher's lease ran out: its worker stopped, and that attempt counts");
        assertFalse(this.<Boolean>inTx(c -> store.complete(c, mine)), "the publisher's late completion is refused");

        WorkItem handed = inTx(c -> store.insertLeased(c, queue, "{\"n\":2}", null, UUID.randomUUID().toString(), LEASE));
        assertTrue(this.<Boolean>inTx(c -> store.complete(c, handed)), "its worker completes it as a claimed item");
        assertEquals(0, count("id = " + handed.id()));

        WorkItem unstarted = inTx(c -> store.insertLeased(c, queue, "{\"n\":3}", null, UUID.randomUUID().toString(), LEASE));
        assertEquals(0, this.<Integer>inTx(c -> store.release(c, List.of(mine))), "a claim lost to another claimer is not given back");
        assertEquals(1, this.<Integer>inTx(c -> store.release(c, List.of(unstarted))));
        WorkItem again = single(inTx(c -> store.claim(c, queue, 10, LEASE, 8)));
        assertEquals(unstarted.id(), again.id(), "given back, it is due at once for any claimer");
        assertEquals(1, again.attempts(), "and the attempt it never made is not counted");

        try (Connection c = db.connect()) {
            store.insertLeased(c, queue, "{}", null, UUID.randomUUID().toString(), LEASE);
            c.rollback();
        }
        assertEquals(2, count("1 = 1"), "no item of a rolled-back publication");
    }

    @Test
    void anItemOverdueWhenPublishedIsClaimedBeforeItemsPublishedBeforeIt() throws Exception {
        long first = inTx(c -> store.insert(c, queue, "{\"n\":1}"));
        long second = inTx(c -> store.insert(c, queue, "{\"n\":2}"));
        long overdue = inTx(c -> store.insert(c, queue, "{\"n\":3}", null, Duration.ofMinutes(2)));
        long lessOverdue = inTx(c -> store.insert(c, queue, "{\"n\":4}", null, Duration.ofMinutes(1)));
        long notOverdue = inTx(c -> store.insert(c, queue, "{\"n\":5}", null, Duration.ofMinutes(-5)));
        List<Long> order = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(single(inTx(c -> store.claim(c, queue, 1, LEASE, 8))).id());
        }
        assertEquals(List.of(overdue, lessOverdue, first, second, notOverdue), order,
                "oldest due first; a negative overdue is due now, after what was published before it");
    }

    @Test
    void aFailedItemWaitsForItsBackoffBeforeItIsDueAgain() throws Exception {
        inTx(c -> store.insert(c, queue, "{}"));
        WorkItem claimed = single(inTx(c -> store.claim(c, queue, 10, LEASE, 8)));
        inTx(c -> store.retry(c, claimed, Duration.ofMillis(700), "CRM answered 503", 8, true));
        assertTrue(claim(queue, 10, LEASE, 8).isEmpty(), "not due before its backoff");
        Thread.sleep(850);
        WorkItem again = single(inTx(c -> store.claim(c, queue, 10, LEASE, 8)));
        assertEquals(2, again.attempts());
        assertEquals("CRM answered 503", again.lastError());
    }

    @Test
    void anOrderedQueueIsClaimedByIdAndNothingOvertakesAnItemThatWaits() throws Exception {
        for (int i = 0; i < 4; i++) {
            inTx(c -> store.insert(c, queue, "{}"));
        }
        List<WorkItem> first = inTx(c -> store.claim(c, queue, 2, LEASE, 8, true));
        assertEquals(2, first.size());
        assertTrue(inTx(c -> store.claim(c, queue, 10, LEASE, 8, true)).isEmpty(), "the items behind a batch in flight wait for it");
        assertEquals(2, claim(queue, 10, LEASE, 8).size(), "an unordered claim takes what is due");
        // the head comes back after a Retry-After, the second is done: the others, due long ago, still wait behind the head
        inTx(c -> store.retry(c, first.get(0), Duration.ofMillis(600), "429", 8, false));
        assertTrue(this.<Boolean>inTx(c -> store.complete(c, first.get(1))));
        inTx(c -> c.createStatement().executeUpdate("UPDATE plt_work_item SET lease_owner = NULL, next_attempt_at = NOW(6) - INTERVAL 1 SECOND "
                + "WHERE queue = '" + queue + "' AND id <> " + first.get(0).id()));
        assertTrue(inTx(c -> store.claim(c, queue, 10, LEASE, 8, true)).isEmpty(), "nothing overtakes the item that waits");
        Thread.sleep(750);
        List<WorkItem> inOrder = inTx(c -> store.claim(c, queue, 10, LEASE, 8, true));
        assertEquals(3, inOrder.size());
        assertEquals(first.get(0).id(), inOrder.get(0).id(), "the head first, then the rest by id");
        assertTrue(inOrder.get(1).id() < inOrder.get(2).id());
    }

    @Test
    void anOrderedClaimDoesNotPassOverAHeadItemAnotherTransactionHolds() throws Exception {
        for (int i = 0; i < 3; i++) {
            inTx(c -> store.insert(c, queue, "{}"));
        }
        long head;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MIN(id) FROM plt_work_item WHERE queue = '" + queue + "'")) {
            rs.next();
            head = rs.getLong(1);
        }
        try (Connection publisher = db.connect()) {
            // a publisher coalescing onto the head item holds its row until it commits
            exec(publisher, "UPDATE plt_work_item SET updated_at = NOW(6) WHERE id = " + head);
            assertTrue(inTx(c -> store.claim(c, queue, 10, LEASE, 8, true)).isEmpty(),
                    "the items behind a head another transaction holds wait for it rather than overtaking it");
            publisher.commit();
        }
        List<WorkItem> inOrder = inTx(c -> store.claim(c, queue, 10, LEASE, 8, true));
        assertEquals(3, inOrder.size());
        assertEquals(head, inOrder.get(0).id(), "the head first once it is free");
    }

    @Test
    void anItemIsDeadAfterItsLastAttemptAndCanBeReplayed() throws Exception {
        long id = inTx(c -> store.insert(c, queue, "{}"));
        int maxAttempts = 3;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            WorkItem item = single(inTx(c -> store.claim(c, queue, 10, LEASE, maxAttempts)));
            assertEquals(attempt, item.attempts());
            inTx(c -> store.retry(c, item, Duration.ZERO, "timeout talking to the CRM", maxAttempts, true));
        }
        assertEquals(1, count("id = " + id + " AND state = 'DEAD' AND last_error = 'timeout talking to the CRM'"));
        assertTrue(claim(queue, 10, LEASE, maxAttempts).isEmpty(), "dead items are not claimed");
        assertEquals(List.of(id), inTx(c -> store.dead(c, queue, 0, 10)).stream().map(WorkItem::id).toList());

        assertTrue(this.<Boolean>inTx(c -> store.replay(c, queue, id)));
        WorkItem replayed = single(inTx(c -> store.claim(c, queue, 10, LEASE, maxAttempts)));
        assertEquals(1, replayed.attempts(), "a replay starts with fresh attempts");
    }

    @Test
    void rateLimitWaitsDoNotUseUpAttempts() throws Exception {
        inTx(c -> store.insert(c, queue, "{}"));
        for (int i = 0; i < 5; i++) {
            WorkItem item = single(inTx(c -> store.claim(c, queue, 10, LEASE, 2)));
            assertEquals(1, item.attempts());
            inTx(c -> store.retry(c, item, Duration.ZERO, "429 Retry-After", 2, false));
        }
        assertEquals(0, count("state = 'DEAD'"));
    }

    @Test
    void aBatchRetriedInOneStatementWaitsUsesAttemptsOrNotAndLeavesAnotherClaimsItemsAlone() throws Exception {
        for (int i = 0; i < 4; i++) {
            inTx(c -> store.insert(c, queue, "{}"));
        }
        List<WorkItem> claimed = inTx(c -> store.claim(c, queue, 3, LEASE, 2));
        WorkItem other = single(inTx(c -> store.claim(c, queue, 10, LEASE, 2)));
        List<WorkItem> withOther = new java.util.ArrayList<>(claimed);
        withOther.add(other);
        assertEquals(3, this.<Integer>inTx(c -> store.retryAll(c, withOther, claimed.get(0).leaseOwner(), Duration.ZERO, "429", 2, false)),
                "only the claim's own items change");
        assertEquals(3, count("state = 'PENDING' AND lease_owner IS NULL AND attempts = 0 AND last_error = '429'"));
        List<WorkItem> again = inTx(c -> store.claim(c, queue, 3, LEASE, 2));
        assertEquals(3, again.size());
        assertEquals(3, this.<Integer>inTx(c -> store.retryAll(c, again, again.get(0).leaseOwner(), Duration.ofMinutes(5), "503", 2, true)));
        assertTrue(claim(queue, 10, LEASE, 2).isEmpty(), "not due before the delay; the other claim's item still leased");
        assertEquals(3, count("state = 'PENDING' AND attempts = 1 AND last_error = '503'"));
    }

    @Test
    void aWorkerThatDiesOnTheLastAttemptLeavesADeadItemNotAnEndlessLoop() throws Exception {
        inTx(c -> store.insert(c, queue, "{}"));
        single(inTx(c -> store.claim(c, queue, 10, Duration.ofMillis(100), 1)));
        Thread.sleep(200);
        assertTrue(claim(queue, 10, LEASE, 1).isEmpty());
        assertEquals(1, count("state = 'DEAD' AND last_error LIKE 'lease expired after the last attempt%'"));
    }

    @Test
    void coalescedWorkKeepsOneItemAndRunsAgainWhenItArrivesWhileHeld() throws Exception {
        long id = inTx(c -> store.insertCoalesced(c, queue, "contact-1", "{\"v\":1}"));
        assertEquals(id, (long) inTx(c -> store.insertCoalesced(c, queue, "contact-1", "{\"v\":2}")));
        assertEquals(1, count("coalesce_key = 'contact-1'"));

        WorkItem held = single(inTx(c -> store.claim(c, queue, 10, LEASE, 8)));
        assertEquals("{\"v\":2}", held.payload());
        inTx(c -> store.insertCoalesced(c, queue, "contact-1", "{\"v\":3}"));
        assertTrue(this.<Boolean>inTx(c -> store.complete(c, held)), "the claim was still valid");

        WorkItem rerun = single(inTx(c -> store.claim(c, queue, 10, LEASE, 8)));
        assertEquals("{\"v\":3}", rerun.payload(), "work that arrived while the item was held is not lost");
        assertTrue(this.<Boolean>inTx(c -> store.complete(c, rerun)));
        assertEquals(0, count("coalesce_key = 'contact-1'"));
    }

    @Test
    void completingABatchDeletesWhatIsDoneReleasesWhatGotNewWorkAndLeavesLostClaimsAlone() throws Exception {
        inTx(c -> store.insert(c, queue, "{\"plain\":1}"));
        inTx(c -> store.insert(c, queue, "{\"plain\":2}"));
        inTx(c -> store.insertCoalesced(c, queue, "contact-3", "{\"v\":1}"));
        inTx(c -> store.insert(c, queue, "{\"expiring\":true}"));
        List<WorkItem> held = inTx(c -> store.claim(c, queue, 10, LEASE, 8));
        assertEquals(4, held.size());
        WorkItem expiring = held.stream().filter(i -> i.payload().contains("expiring")).findFirst().orElseThrow();
        // the expiring item's lease is taken over by another worker before this one completes
        inTx(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item SET lease_owner = 'someone-else' WHERE id = ?")) {
                s.setLong(1, expiring.id());
                return s.executeUpdate();
            }
        });
        inTx(c -> store.insertCoalesced(c, queue, "contact-3", "{\"v\":2}"));

        assertEquals(2, this.<Integer>inTx(c -> store.completeAll(c, held)), "the two plain items are done");
        assertEquals(0, count("payload LIKE '%plain%'"));
        WorkItem rerun = single(inTx(c -> store.claim(c, queue, 10, LEASE, 8)));
        assertEquals("{\"v\":2}", rerun.payload(), "work that arrived while the item was held runs again at once");
        assertEquals(1, count("payload LIKE '%expiring%' AND lease_owner = 'someone-else'"), "a lost claim is not touched");
        assertEquals(0, this.<Integer>inTx(c -> store.completeAll(c, held)), "completing again changes nothing");
        assertEquals(1, this.<Integer>inTx(c -> store.completeAll(c, List.of(rerun))));
        assertEquals(0, this.<Integer>inTx(c -> store.completeAll(c, List.of())));
    }

    @Test
    void coalescedWorkRevivesADeadItem() throws Exception {
        inTx(c -> store.insertCoalesced(c, queue, "contact-2", "{}"));
        WorkItem item = single(inTx(c -> store.claim(c, queue, 10, LEASE, 1)));
        inTx(c -> store.dead(c, item, "400 INVALID_EMAIL"));
        inTx(c -> store.insertCoalesced(c, queue, "contact-2", "{\"fixed\":true}"));
        WorkItem revived = single(inTx(c -> store.claim(c, queue, 10, LEASE, 1)));
        assertEquals(1, revived.attempts());
        assertEquals("{\"fixed\":true}", revived.payload());
    }

    @Test
    void workEnqueuedInARolledBackTransactionDoesNotExist() throws Exception {
        try (Connection c = db.connect()) {
            store.insert(c, queue, "{}");
            c.rollback();
        }
        assertEquals(0, count("1 = 1"));
    }

    @Test
    void statsCountPendingAndDeadPerQueue() throws Exception {
        String onlyDead = queue + "-dead";
        inTx(c -> {
            store.insert(c, queue, "{}");
            store.insert(c, queue, "{}");
            store.insert(c, queue, "{}");
            store.insert(c, onlyDead, "{}");
            return null;
        });
        WorkItem item = inTx(c -> store.claim(c, queue, 1, LEASE, 8)).get(0);
        inTx(c -> store.dead(c, item, "permanent"));
        WorkItem other = inTx(c -> store.claim(c, onlyDead, 1, LEASE, 8)).get(0);
        inTx(c -> store.dead(c, other, "permanent"));
        // the dead item is the oldest of its queue, and the oldest pending one 90 s old: the age is the pending one's
        inTx(c -> {
            exec(c, "UPDATE plt_work_item SET created_at = NOW(6) - INTERVAL 1000 SECOND WHERE id = " + item.id());
            exec(c, "UPDATE plt_work_item SET created_at = NOW(6) - INTERVAL 90 SECOND WHERE queue = '" + queue
                    + "' AND state = 'PENDING' ORDER BY id LIMIT 1");
            return null;
        });
        var stats = inTx(store::stats);
        var figures = stats.stream().filter(s -> s.queue().equals(queue)).findFirst().orElseThrow();
        assertEquals(2, figures.pending());
        assertEquals(1, figures.dead());
        assertTrue(figures.oldestAgeSeconds() >= 90 && figures.oldestAgeSeconds() < 100, String.valueOf(figures.oldestAgeSeconds()));
        assertEquals(new QueueStats(onlyDead, 0, 0, 1), stats.stream().filter(s -> s.queue().equals(onlyDead)).findFirst().orElseThrow());
        assertEquals(stats.size(), stats.stream().map(QueueStats::queue).distinct().count(), "one line per queue");
    }

    @Test
    void erasingAGuestRemovesTheirWaitingHeldAndDeadWorkAndNothingElse() throws Exception {
        String guest = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        inTx(c -> {
            store.insertCoalesced(c, queue, "contact-" + guest, "{\"n\":1}", guest);
            store.insert(c, queue, "{\"n\":2}", guest);
            store.insert(c, queue, "{\"n\":3}", guest);
            store.insertCoalesced(c, queue, "contact-" + other, "{\"n\":4}", other);
            store.insert(c, queue, "{\"n\":5}", null);
            return null;
        });
        List<WorkItem> held = claim(queue, 5, LEASE, 8);
        WorkItem dead = held.stream().filter(i -> i.payload().equals("{\"n\":3}")).findFirst().orElseThrow();
        inTx(c -> store.dead(c, dead, "permanent"));
        assertEquals(3, (int) inTx(c -> store.eraseGuest(c, guest)), "the coalesced, the held and the dead item");
        assertEquals(2, count("1 = 1"), "the other guest's item and the item about nobody stay");
        assertEquals(0, count("guest_id = '" + guest + "'"));
    }

    @Test
    void transactionsPublishingAndCompletingTheSameKeysInAnyOrderWaitForEachOtherInsteadOfDeadlocking() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(String.format("guest:%03d", i));
        }
        List<String> arrival = new ArrayList<>(keys);
        java.util.Collections.shuffle(arrival, new java.util.Random(7));
        inTx(c -> {
            for (String key : arrival) {
                store.insertCoalesced(c, queue, key, "{}");
            }
            return null;
        });
        List<WorkItem> held = claim(queue, keys.size(), LEASE, 8);
        assertEquals(keys.size(), held.size());
        List<String> descending = new ArrayList<>(keys);
        java.util.Collections.reverse(descending);
        long deadlocksBefore = innodbDeadlocks();

        // each transaction makes half of its writes, waits until the others have too, then makes the rest: written as
        // they were asked for, the two publishers and the consumer (who completes in id order) would hold what the
        // others want next
        java.util.concurrent.CyclicBarrier halfway = new java.util.concurrent.CyclicBarrier(3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Void>> running = List.of(
                pool.submit(() -> inTwoHalves(keys.size(), halfway, (w, i) -> w.publish(queue, keys.get(i), "{\"up\":true}", null))),
                pool.submit(() -> inTwoHalves(keys.size(), halfway, (w, i) -> w.publish(queue, descending.get(i), "{\"down\":true}", null))),
                pool.submit(() -> inTwoHalves(held.size(), halfway, (w, i) -> w.complete(held.get(i)))));
        for (Future<Void> transaction : running) {
            transaction.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(deadlocksBefore, innodbDeadlocks(), "no transaction was chosen as a deadlock victim");
        assertEquals(keys.size(), count("state = 'PENDING' AND lease_owner IS NULL"),
                "every key waits once, free to claim: completed before the publications (and published anew) or after them (released for the newer work)");
    }

    /** One transaction's writes to the queue, made in two halves around {@code halfway}, committed at the end. */
    private Void inTwoHalves(int writes, java.util.concurrent.CyclicBarrier halfway, java.util.function.ObjIntConsumer<OrderedWorkWrites> write)
            throws Exception {
        try (Connection c = db.connect()) {
            OrderedWorkWrites kept = new OrderedWorkWrites();
            for (int i = 0; i < writes; i++) {
                if (i == writes / 2) {
                    halfway.await(30, TimeUnit.SECONDS);
                }
                write.accept(kept, i);
            }
            kept.flush(c, store);
            c.commit();
        }
        return null;
    }

    private long innodbDeadlocks() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")) {
            assertTrue(rs.next());
            return rs.getLong(2);
        }
    }

    private List<WorkItem> claim(String queue, int max, Duration lease, int maxAttempts) throws SQLException {
        return inTx(c -> store.claim(c, queue, max, lease, maxAttempts));
    }

    private static WorkItem single(List<WorkItem> items) {
        assertEquals(1, items.size(), "expected exactly one claimed item");
        return items.get(0);
    }

    private long count(String where) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM plt_work_item WHERE queue = ? AND " + where)) {
            s.setString(1, queue);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A claim of one queue must not hide another queue's due items: a claim's range scan also locks the index entry
     * just past its range (the next queue's oldest item), and a claim of that queue skipping locked rows then found
     * nothing while the first claim's transaction was open. A worker woken by a commit took that for "no work" and
     * the item waited for the next poll (a privacy request's first step, claimed as its receipt mail was).
     */
    @Test
    void aClaimOfOneQueueDoesNotHideTheNextQueuesItems() throws Exception {
        for (boolean ordered : new boolean[] {false, true}) {
            String before = queue + "-" + ordered + "-a";
            String after = queue + "-" + ordered + "-b";
            inTx(c -> {
                store.insert(c, before, "{}");
                store.insert(c, after, "{}");
                return null;
            });
            try (Connection open = db.connect()) {
                assertEquals(1, store.claim(open, before, 20, LEASE, 8, ordered).size());
                // the first claim's transaction is still open
                assertEquals(1, inTx(c -> store.claim(c, after, 20, LEASE, 8, ordered)).size(),
                        "the other queue's due item was skipped (ordered " + ordered + ")");
                open.commit();
            }
        }
    }

    private <T> T inTx(SqlWork<T> work) throws SQLException {
        try (Connection c = db.connect()) {
            T result = work.apply(c);
            c.commit();
            return result;
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Connection c) throws SQLException;
    }

    @SuppressWarnings("unused")
    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
