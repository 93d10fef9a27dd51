package io.guestbridge.audit.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditSequencerWakeTest {

    private static final Duration LEASE = Duration.ofSeconds(5);

    @Test
    void anInstanceStandingByStepsOnlyEveryQuarterLease() {
        assertEquals(AuditSequencer.Wake.REST, AuditSequencer.wake(false, Duration.ofMillis(100).toNanos(), LEASE),
                "another instance held the lease 100 ms ago: it cannot have lapsed, and a step would lock the chain head it works on");
        assertEquals(AuditSequencer.Wake.REST, AuditSequencer.wake(false, Duration.ofMillis(1249).toNanos(), LEASE));
        assertEquals(AuditSequencer.Wake.STEP, AuditSequencer.wake(false, Duration.ofMillis(1250).toNanos(), LEASE),
                "a quarter lease after its last step it tries the lease again");
    }

    @Test
    void theLeaderLooksBeforeItStepsAndStepsAtLeastEveryQuarterLease() {
        assertEquals(AuditSequencer.Wake.STEP_UNLESS_IDLE, AuditSequencer.wake(true, Duration.ofMillis(100).toNanos(), LEASE));
        assertEquals(AuditSequencer.Wake.STEP, AuditSequencer.wake(true, Duration.ofMillis(1300).toNanos(), LEASE),
                "a step keeps the lease, renewed at half of it");
    }

    @Test
    void anInstanceThatNeverSteppedStepsAtOnce() {
        assertEquals(AuditSequencer.Wake.STEP, AuditSequencer.wake(false, Duration.ofDays(1).toNanos(), LEASE));
    }

    @Test
    void aStepThatThrowsAnErrorDoesNotEndTheScheduledWakes() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        AuditSequencer sequencer = new AuditSequencer();
        sequencer.batch = new SequencerBatch() {
            @Override
            public Outcome step(Settings settings) {
                if (steps.incrementAndGet() == 1) {
                    throw new AssertionError("an Error from deep inside a step");
                }
                return new Outcome(true, 0, Optional.empty());
            }

            @Override
            public boolean idle(boolean signing) {
                return false;
            }
        };
        SequencerBatch.Settings settings = new SequencerBatch.Settings("instance", LEASE, 1000, Optional.empty(), Duration.ofSeconds(1));
        // as the server schedules it: a task that throws is never run again
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            scheduler.scheduleWithFixedDelay(() -> sequencer.wake(settings), 0, 10, TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (steps.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            scheduler.shutdownNow();
        }
        assertTrue(steps.get() >= 3, "the wakes went on after the Error: " + steps.get() + " steps");
    }
}
