package io.guestbridge.privacy.internal.requests;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour of one step, as {@link RequestRulesTest} holds the request's: what a step may do, and that it does it once. */
class RequestStepTest {

    private static final String REQUEST = "5d1e0c7a-3b7e-4c55-9a43-1f0e2d9b7c11";
    private static final Instant NOW = Instant.parse("2026-01-31T10:00:00Z");

    @Test
    void aConfirmedStepIsNeverRedone() {
        RequestStep step = RequestStep.pending(REQUEST, "hubspot-main", "CRM");
        assertTrue(step.canResume());
        assertTrue(step.confirm("status 200", NOW));
        assertEquals(StepState.CONFIRMED, step.state());
        assertEquals(1, step.attempts());
        assertEquals(NOW, step.confirmedAt());
        assertFalse(step.canResume(), "a confirmed step does not go back on the queue");

        assertFalse(step.confirm("status 200 again", NOW.plusSeconds(60)), "a replayed work item finds the step ended");
        assertFalse(step.fail("status 500"));
        assertFalse(step.attemptFailed("status 503"));
        assertEquals(StepState.CONFIRMED, step.state());
        assertEquals(1, step.attempts());
        assertEquals("status 200", step.evidence());
        assertEquals(NOW, step.confirmedAt());
    }

    @Test
    void attemptsThatMayBeTriedAgainAreCountedUntilTheStepFailsForGood() {
        RequestStep step = RequestStep.pending(REQUEST, "purple-wifi", "PURPLE");
        assertTrue(step.attemptFailed("lookup answered 503"));
        assertTrue(step.attemptFailed("network: ConnectException"));
        assertEquals(StepState.PENDING, step.state());
        assertEquals(2, step.attempts());
        assertEquals("network: ConnectException", step.evidence(), "the step keeps the last answer");

        assertTrue(step.end(false, "lookup answered 401 (check the Purple company id and token)", NOW));
        assertEquals(StepState.FAILED, step.state());
        assertEquals(3, step.attempts());
        assertNull(step.confirmedAt(), "a failed step was not confirmed");
        assertFalse(step.confirm("status 200", NOW), "a failed step stays failed: the subject is told why");
        assertEquals(StepState.FAILED, step.state());
    }

    @Test
    void anOperatorsTaskWaitsForAPersonAndIsNotRunByTheQueue() {
        Instant due = NOW.plusSeconds(7 * 86_400);
        RequestStep step = RequestStep.awaitingOperator(REQUEST, "paper-archive", "MANUAL", "operator task: shred the forms", due);
        assertTrue(step.awaitsOperator());
        assertFalse(step.canResume(), "nothing for the queue to run");
        assertFalse(step.attemptFailed("status 500"), "nothing runs, so no attempt is counted");
        assertEquals(0, step.attempts());
        assertEquals(due, step.taskDueAt());

        assertTrue(step.confirm("confirmed by an operator: shredded", NOW));
        assertFalse(step.awaitsOperator());
        assertEquals(StepState.CONFIRMED, step.state());
        assertThrows(NullPointerException.class, () -> RequestStep.awaitingOperator(REQUEST, "paper-archive", "MANUAL", "task", null),
                "an operator's task has a deadline the clock escalates");
    }

    @Test
    void aHeldStepKeepsItsRationaleAndNeverMoves() {
        RequestStep step = RequestStep.held(REQUEST, "accounting", "JDBC", "kept under Art. 17(3): invoices for 10 years");
        assertEquals(StepState.HELD, step.state());
        assertTrue(step.state().needsExplaining());
        assertFalse(step.confirm("deleted", NOW));
        assertFalse(step.fail("refused"));
        assertFalse(step.canResume());
        assertEquals("kept under Art. 17(3): invoices for 10 years", step.evidence());
        assertThrows(IllegalArgumentException.class, () -> RequestStep.held(REQUEST, "accounting", "JDBC", " "), "a hold says why");
    }

    @Test
    void evidenceIsCutToWhatTheColumnHolds() {
        RequestStep step = RequestStep.pending(REQUEST, "warehouse", "JDBC");
        step.fail("x".repeat(600));
        assertEquals(500, step.evidence().length());
        assertTrue(step.evidence().endsWith("..."));
    }
}
