package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.WorkItem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerLaneTest {

    /**
     * While its looks find nothing, a lane of three workers looks once per poll interval, whichever worker's timer
     * comes first, not once per worker; a wake-up always looks, and a look that finds work puts every timer back to work.
     */
    @Test
    void anIdleLaneLooksOncePerIntervalNotOncePerWorker() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean due = new java.util.concurrent.atomic.AtomicBoolean();
        WorkerLane[] lane = new WorkerLane[1];
        lane[0] = new WorkerLane(3, () -> {
            looks.incrementAndGet();
            if (due.get()) {
                lane[0].foundWork();
            } else {
                lane[0].foundNothing();
            }
        });
        java.time.Duration interval = java.time.Duration.ofMillis(400);
        for (int timer = 0; timer < 3; timer++) {
            lane[0].poll(interval);
        }
        assertEquals(1, looks.get(), "the first timer looked and found nothing; the other two let it pass");
        lane[0].run();
        assertEquals(2, looks.get(), "a wake-up looks however idle the lane is");
        Thread.sleep(interval.toMillis());
        lane[0].poll(interval);
        lane[0].poll(interval);
        assertEquals(3, looks.get(), "an interval later one timer looks again");
        due.set(true);
        lane[0].run();
        for (int timer = 0; timer < 3; timer++) {
            lane[0].poll(interval);
        }
        assertEquals(7, looks.get(), "once a look found work, every timer looks");
    }

    @Test
    void ofAnIdleLanesTimersThatComeTogetherOneLooks() throws Exception {
        int workers = 6;
        AtomicInteger looks = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean holdLooks = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch othersReturned = new java.util.concurrent.CountDownLatch(workers - 1);
        WorkerLane[] lane = new WorkerLane[1];
        lane[0] = new WorkerLane(workers, () -> {
            looks.incrementAndGet();
            if (holdLooks.get()) {
                // a look still on its way while the other timers come: it ends once they have all returned (at most 2 s)
                try {
                    othersReturned.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            lane[0].foundNothing();
        });
        java.time.Duration interval = java.time.Duration.ofMillis(250);
        lane[0].poll(interval);
        assertEquals(1, looks.get(), "the first look found nothing: the lane is idle");
        Thread.sleep(interval.toMillis());
        holdLooks.set(true);
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(workers);
        ExecutorService timers = Executors.newFixedThreadPool(workers);
        try {
            for (int timer = 0; timer < workers; timer++) {
                timers.submit(() -> {
                    together.await();
                    lane[0].poll(interval);
                    othersReturned.countDown();
                    return null;
                });
            }
            timers.shutdown();
            assertTrue(timers.awaitTermination(10, TimeUnit.SECONDS));
        } finally {
            timers.shutdownNow();
        }
        assertEquals(2, looks.get(), "of six timers that came together an interval later, one looked");
    }

    @Test
    void aWakeUpDrainsAtOnceOnAFreeWorker() throws Exception {
        AtomicInteger drains = new AtomicInteger();
        WorkerLane lane = new WorkerLane(1, drains::incrementAndGet);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            lane.wake(executor);
            executor.shutdown();
            assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
            assertEquals(1, drains.get());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aWakeUpWhileEveryWorkerDrainsIsDrainedByTheRunningWorkerBeforeItStops() throws Exception {
        CountDownLatch inFirstDrain = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger drains = new AtomicInteger();
        WorkerLane lane = new WorkerLane(1, () -> {
            if (drains.incrementAndGet() == 1) {
                inFirstDrain.countDown();
                await(release);
            }
        });
        Thread poll = new Thread(lane::run);
        poll.start();
        assertTrue(inFirstDrain.await(5, TimeUnit.SECONDS));
        // the only worker is busy: the wake-up's own task finds no free worker and returns at once
        lane.wake(Runnable::run);
        assertEquals(1, drains.get());
        release.countDown();
        poll.join(5_000);
        assertEquals(2, drains.get(), "the running worker looked again for the work committed while it drained");
    }

    @Test
    void neverMoreDrainsAtOnceThanWorkers() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        WorkerLane lane = new WorkerLane(2, () -> {
            int now = inside.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
        });
        ExecutorService executor = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 400; i++) {
                if (i % 2 == 0) {
                    lane.wake(executor);
                } else {
                    executor.execute(lane::run);
                }
            }
            executor.shutdown();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
            assertTrue(most.get() <= 2, "at most two drains at once, saw " + most.get());
            assertTrue(most.get() >= 1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aRefusedWakeUpDoesNotSwallowTheNextOnes() {
        AtomicInteger drains = new AtomicInteger();
        WorkerLane lane = new WorkerLane(1, drains::incrementAndGet);
        Executor refusing = task -> {
            throw new RejectedExecutionException("shutting down");
        };
        assertThrows(RejectedExecutionException.class, () -> lane.wake(refusing));
        // the next commit's wake-up must start a drain, not find the refused one's flag and leave the work to the poll
        lane.wake(Runnable::run);
        assertEquals(1, drains.get());
    }

    /**
     * Publishers commit work and wake the lane from many threads while its workers drain; no poll timer runs. Once
     * every wake-up has been made and the executor has run what they started, every committed item is drained: a
     * wake-up lost in a race with a finishing drain would leave items behind.
     */
    @Test
    void noWakeUpIsLostWhileDrainsFinish() throws Exception {
        for (int workers = 1; workers <= 4; workers += 3) {
            AtomicLong committed = new AtomicLong();
            AtomicLong drained = new AtomicLong();
            WorkerLane lane = new WorkerLane(workers, () -> {
                // claims everything committed so far, as a claim sees every commit before its wake-up
                drained.accumulateAndGet(committed.get(), Math::max);
                Thread.onSpinWait();
            });
            ExecutorService executor = Executors.newFixedThreadPool(6);
            ExecutorService publishers = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int p = 0; p < 4; p++) {
                    done.add(publishers.submit(() -> {
                        for (int i = 0; i < 20_000; i++) {
                            committed.incrementAndGet(); // the commit...
                            lane.wake(executor);          // ...then its wake-up, as afterCompletion does
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
                publishers.shutdown();
                // no wake-up comes any more: what the executor still runs must drain the last commit
                executor.shutdown();
                assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
                assertEquals(committed.get(), drained.get(), workers + " worker(s): work committed after the last drain's look, with no drain to come");
            } finally {
                executor.shutdownNow();
                publishers.shutdownNow();
            }
        }
    }

    @Test
    void itemsHandedOverAreTakenByTheNextDrainOldestFirstAndOnlyOnce() {
        List<List<Long>> taken = new ArrayList<>();
        WorkerLane[] lane = new WorkerLane[1];
        lane[0] = new WorkerLane(1, () -> {
            List<WorkItem> batch;
            while (!(batch = lane[0].takeHanded(2)).isEmpty()) {
                taken.add(batch.stream().map(WorkItem::id).toList());
            }
        });
        lane[0].handOver(List.of(item(1), item(2), item(3)), task -> {
            assertTrue(lane[0].hasHanded(), "the items wait for the drain the hand-over wakes");
            task.run();
        });
        assertFalse(lane[0].hasHanded());
        assertEquals(List.of(List.of(1L, 2L), List.of(3L)), taken, "the hand-over woke a drain, which took every item");
        lane[0].run();
        assertEquals(2, taken.size(), "nothing handed over twice");
        assertTrue(lane[0].takeHanded(5).isEmpty());
    }

    @Test
    void aHandOverWhileEveryWorkerDrainsIsTakenByTheRunningWorker() throws Exception {
        CountDownLatch inFirstDrain = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> taken = java.util.Collections.synchronizedList(new ArrayList<>());
        WorkerLane[] lane = new WorkerLane[1];
        AtomicInteger drains = new AtomicInteger();
        lane[0] = new WorkerLane(1, () -> {
            if (drains.incrementAndGet() == 1) {
                inFirstDrain.countDown();
                await(release);
            }
            lane[0].takeHanded(10).forEach(i -> taken.add(i.id()));
        });
        Thread poll = new Thread(lane[0]::run);
        poll.start();
        assertTrue(inFirstDrain.await(5, TimeUnit.SECONDS));
        lane[0].handOver(List.of(item(7)), Runnable::run); // no free worker: left for the one draining
        assertTrue(taken.isEmpty());
        release.countDown();
        poll.join(5_000);
        assertEquals(List.of(7L), taken);
    }

    @Test
    void onlyAsManyHandedItemsWaitAsTheLaneHasWorkers() {
        WorkerLane lane = new WorkerLane(2, () -> {
        });
        Executor idle = task -> {
            // no worker gets to them: the items wait
        };
        assertTrue(lane.takesHandOvers());
        lane.handOver(List.of(item(1)), idle);
        assertTrue(lane.takesHandOvers(), "one waits, for two workers");
        lane.handOver(List.of(item(2)), idle);
        assertFalse(lane.takesHandOvers(), "two wait: the next item goes to the database for any worker to claim");
        assertEquals(1, lane.takeHanded(1).size());
        assertTrue(lane.takesHandOvers(), "a worker took one");
        assertEquals(1, lane.takeHanded(5).size());
        assertTrue(lane.takeHanded(5).isEmpty());
        assertTrue(lane.takesHandOvers());
    }

    @Test
    void aPausedLaneClaimsNothingUntilThePauseEnds() throws Exception {
        WorkerLane lane = new WorkerLane(2, () -> { });
        assertFalse(lane.claimsPaused(), "a new lane claims");
        lane.pauseFor(java.time.Duration.ofMillis(300));
        assertTrue(lane.claimsPaused());
        lane.pauseFor(java.time.Duration.ofMillis(1));
        assertTrue(lane.claimsPaused(), "a shorter pause asked for meanwhile does not cut the longer one short");
        Thread.sleep(400);
        assertFalse(lane.claimsPaused(), "the pause is over");
        lane.pauseFor(java.time.Duration.ofMillis(100));
        lane.pauseFor(java.time.Duration.ofMillis(400));
        Thread.sleep(250);
        assertTrue(lane.claimsPaused(), "a longer pause asked for meanwhile stands");
        Thread.sleep(250);
        assertFalse(lane.claimsPaused());
    }

    @Test
    void aPauseLastsAtMostTheLongestPause() {
        WorkerLane lane = new WorkerLane(1, () -> { });
        lane.pauseFor(java.time.Duration.ofHours(20)); // a daily cap spent in the morning: the next take is at midnight
        assertTrue(lane.claimsPaused());
        java.time.Duration left = lane.pauseLeft();
        assertTrue(left.compareTo(WorkerLane.LONGEST_PAUSE) <= 0 && left.compareTo(WorkerLane.LONGEST_PAUSE.minusSeconds(5)) > 0,
                "paused for " + left + ", not 20 hours: then a drain claims once more and the handler answers again");
    }

    private static WorkItem item(long id) {
        return new WorkItem(id, "q", null, "{}", 1, 0, "owner", java.time.Instant.now(), null);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
