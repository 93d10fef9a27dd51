package io.guestbridge.audit.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
