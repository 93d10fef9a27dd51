package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a drain first looks at its queue: an idle lane reads whether anything is due before it opens a claim's
 * transaction; a lane whose last look found work claims at once, since on a busy queue that read costs as much as the
 * claim's own and finds work anyway.
 */
class QueueWorkersLookTest {

    /** A queue holding {@code due} items: counts the reads outside a transaction and the claims. */
    static final class CountingQueue extends ContainerWorkQueue {
        final AtomicInteger looks = new AtomicInteger();
        final AtomicInteger claims = new AtomicInteger();
        int due;
        private long next = 1;

        @Override
        public boolean hasDue(String queue) {
            looks.incrementAndGet();
            return due > 0;
        }

        @Override
        public List<WorkItem> claim(String queue, int max, QueuePolicy policy, boolean ordered) {
            claims.incrementAndGet();
            List<WorkItem> batch = new ArrayList<>();
            while (due > 0 && batch.size() < max) {
                due--;
                batch.add(new WorkItem(next++, queue, null, "{\"n\":1}", 0, 0, "owner", Instant.now(), null));
            }
            return batch;
        }

        @Override
        public void record(List<RecordedOutcomes.Outcome> outcomes, QueuePolicy policy) {
            // the handler's outcomes are not what this test looks at
        }
    }

    private static final WorkHandler<QueueWorkersPauseTest.Due> DONE = new WorkHandler<>() {
        @Override
        public Class<QueueWorkersPauseTest.Due> type() {
            return QueueWorkersPauseTest.Due.class;
        }

        @Override
        public String queue() {
            return "looked-at";
        }

        @Override
        public int batchSize() {
            return 10;
        }

        @Override
        public void handle(List<Envelope<QueueWorkersPauseTest.Due>> batch, Outcomes outcomes) {
            batch.forEach(due -> outcomes.done(due.item()));
        }
    };

    private static QueueWorkers workers(CountingQueue queue) {
        QueueWorkers workers = new QueueWorkers();
        workers.queue = queue;
        return workers;
    }

    @Test
    void anIdleLaneReadsWhetherAnythingIsDueAndOpensNoClaimWhenNothingIs() {
        CountingQueue queue = new CountingQueue();
        WorkerLane lane = new WorkerLane(2, () -> { });
        lane.foundNothing();

        workers(queue).drain(DONE, QueuePolicy.DEFAULT, lane);

        assertEquals(1, queue.looks.get(), "one read outside a transaction");
        assertEquals(0, queue.claims.get(), "no claim's transaction for a queue with nothing due");
        assertTrue(lane.idle());
    }

    @Test
    void aLaneWhoseLastLookFoundWorkClaimsAtOnceAndIsIdleAgainOnceAClaimFindsNothing() {
        CountingQueue queue = new CountingQueue();
        QueueWorkers workers = workers(queue);
        WorkerLane lane = new WorkerLane(2, () -> { });
        lane.foundNothing();
        queue.due = 5;

        workers.drain(DONE, QueuePolicy.DEFAULT, lane);
        assertEquals(1, queue.looks.get(), "the idle lane looked first");
        assertEquals(1, queue.claims.get(), "and claimed what it found (a short batch: the queue is drained)");
        assertFalse(lane.idle(), "its look found work");

        queue.due = 3;
        workers.drain(DONE, QueuePolicy.DEFAULT, lane);
        assertEquals(1, queue.looks.get(), "a busy lane claims without reading first");
        assertEquals(2, queue.claims.get());
        assertEquals(0, queue.due);

        workers.drain(DONE, QueuePolicy.DEFAULT, lane);
        assertEquals(1, queue.looks.get());
        assertEquals(3, queue.claims.get(), "the claim that found nothing");
        assertTrue(lane.idle(), "a first look that found nothing makes the lane idle");

        workers.drain(DONE, QueuePolicy.DEFAULT, lane);
        assertEquals(2, queue.looks.get(), "an idle lane reads first again");
        assertEquals(3, queue.claims.get());
    }
}
