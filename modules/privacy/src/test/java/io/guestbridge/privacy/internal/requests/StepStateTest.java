package io.guestbridge.privacy.internal.requests;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static io.guestbridge.privacy.internal.requests.StepState.AWAITING_OPERATOR;
import static io.guestbridge.privacy.internal.requests.StepState.CONFIRMED;
import static io.guestbridge.privacy.internal.requests.StepState.FAILED;
import static io.guestbridge.privacy.internal.requests.StepState.HELD;
import static io.guestbridge.privacy.internal.requests.StepState.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rules of a request's steps, as {@link RequestRulesTest} holds those of the request. */
class StepStateTest {

    @Test
    void onlyPendingAndAwaitingAnOperatorAreOpen() {
        assertEquals(EnumSet.of(PENDING, AWAITING_OPERATOR), EnumSet.copyOf(List.of(StepState.values()).stream().filter(StepState::isOpen).toList()));
    }

    @Test
    void anOpenStepEndsConfirmedOrFailedAndAnEndedOrHeldStepNeverMovesAgain() {
        for (StepState from : StepState.values()) {
            for (StepState to : StepState.values()) {
                boolean allowed = (from == PENDING || from == AWAITING_OPERATOR) && (to == CONFIRMED || to == FAILED);
                assertEquals(allowed, from.canMoveTo(to), from + " -> " + to);
            }
        }
    }

    @Test
    void aStepThatRanEndsConfirmedOrFailed() {
        assertEquals(CONFIRMED, StepState.ended(true));
        assertEquals(FAILED, StepState.ended(false));
    }

    @Test
    void theRequestRunsWhileAnyStepIsPendingThenWaitsForOperatorsThenEnds() {
        assertEquals(StepState.Progress.RUNNING, StepState.progress(List.of(PENDING, AWAITING_OPERATOR, CONFIRMED, HELD)));
        assertEquals(StepState.Progress.WAITING_FOR_OPERATOR, StepState.progress(List.of(AWAITING_OPERATOR, CONFIRMED, FAILED)));
        assertEquals(StepState.Progress.COMPLETED, StepState.progress(List.of(CONFIRMED, CONFIRMED)));
        assertEquals(StepState.Progress.PARTIALLY_COMPLETED, StepState.progress(List.of(CONFIRMED, HELD)),
                "data kept under Art. 17(3) is not a completed erasure: the subject is told what and why");
        assertEquals(StepState.Progress.PARTIALLY_COMPLETED, StepState.progress(List.of(FAILED, CONFIRMED)));
    }
}
