package io.guestbridge.platform.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerLaneTest {

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

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
