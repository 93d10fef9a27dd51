package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler that cannot go on (its CRM's request budget spent) pauses its queue: the drain stops claiming after the
 * batch that told it so, and no drain claims until the pause ends. Without the pause, a drain claims batch after batch
 * of a deep queue for two seconds, each only to be put back.
 */
class QueueWorkersPauseTest {

    public record Due(int n) implements Message {
    }

    /** A queue of {@code depth} items always due (a put-back item is due again later, but the queue is deep): counts claims. */
    static final class DeepQueue extends ContainerWorkQueue {
        final AtomicInteger claims = new AtomicInteger();
        final AtomicInteger recorded = new AtomicInteger();
        private long next = 1;

        @Override
        public boolean hasDue(String queue) {
            return true;
        }

        @Override
        public List<WorkItem> claim(String queue, int max, QueuePolicy policy, boolean ordered) {
            claims.incrementAndGet();
            List<WorkItem> batch = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                batch.add(new WorkItem(next++, queue, null, "{\"n\":1}", 0, 0, "owner", Instant.now(), null));
            }
            return batch;
        }

        @Override
        public void record(List<RecordedOutcomes.Outcome> outcomes, QueuePolicy policy) {
            recorded.addAndGet(outcomes.size());
        }
    }

    /** A connector's handler whose budget answers "wait 3 s" to every batch: each item waits, and the queue pauses (or not). */
    static WorkHandler<Due> budgetSpent(boolean pauses) {
        return new WorkHandler<>() {
            @Override
            public Class<Due> type() {
                return Due.class;
            }

            @Override
            public String queue() {
                return "crm:test";
            }

            @Override
            public int batchSize() {
                return 10;
            }

            @Override
            public void handle(List<Envelope<Due>> batch, Outcomes outcomes) {
                batch.forEach(due -> outcomes.retryAfter(due.item(), Duration.ofSeconds(3), "request budget spent"));
                if (pauses) {
                    outcomes.pauseQueue(Duration.ofMillis(600));
                }
            }
        };
    }

    private static QueueWorkers workers(DeepQueue queue) {
        QueueWorkers workers = new QueueWorkers();
        workers.queue = queue;
        return workers;
    }

    @Test
    void aHandlerThatPausesItsQueueStopsTheDrainAndTheNextOnesUntilThePauseEnds() throws Exception {
        DeepQueue queue = new DeepQueue();
        QueueWorkers workers = workers(queue);
        WorkerLane lane = new WorkerLane(3, () -> { });
        WorkHandler<Due> handler = budgetSpent(true);

        workers.drain(handler, QueuePolicy.DEFAULT, lane);
        assertEquals(1, queue.claims.get(), "the drain stopped after the batch that paused the queue");
        assertEquals(10, queue.recorded.get(), "the batch's items were put back with their own outcomes");
        workers.drain(handler, QueuePolicy.DEFAULT, lane);
        workers.drain(handler, QueuePolicy.DEFAULT, lane);
        assertEquals(1, queue.claims.get(), "no drain claims while the queue is paused");

        Thread.sleep(700);
        workers.drain(handler, QueuePolicy.DEFAULT, lane);
        assertEquals(2, queue.claims.get(), "once the pause is over a drain claims again (and is paused again)");
    }

    @Test
    void withoutAPauseADrainClaimsBatchAfterBatchOfADeepQueue() {
        DeepQueue queue = new DeepQueue();
        QueueWorkers workers = workers(queue);
        WorkerLane lane = new WorkerLane(3, () -> { });

        workers.drain(budgetSpent(false), QueuePolicy.DEFAULT, lane);
        assertTrue(queue.claims.get() > 10, "full batches keep the drain claiming for its two seconds: " + queue.claims.get() + " claims");
        assertEquals(queue.claims.get() * 10, queue.recorded.get(), "each claimed batch put back");
    }
}
