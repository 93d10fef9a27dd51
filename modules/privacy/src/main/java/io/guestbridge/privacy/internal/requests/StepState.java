package io.guestbridge.privacy.internal.requests;

import java.util.Collection;

/**
 * Where one system's part of a request stands. A step is open while it is PENDING (guestbridge works on it,
 * retrying) or AWAITING_OPERATOR (a person must act in a system guestbridge cannot reach); it ends CONFIRMED,
 * FAILED (given up, with the reason), or is HELD from the start (kept under Art. 17(3), with the rationale).
 * An ended step never opens again: a replayed work item must not redo a confirmed erasure. {@link RequestStep} makes
 * its moves through {@link #canMoveTo}.
 */
public enum StepState {
    PENDING, AWAITING_OPERATOR, CONFIRMED, FAILED, HELD;

    /** What the request as a whole does next, given its steps. */
    public enum Progress {
        /** Some step is still being worked on. */
        RUNNING,
        /** Nothing left for guestbridge to do, but a person must confirm a step. */
        WAITING_FOR_OPERATOR,
        /** Every step confirmed. */
        COMPLETED,
        /** Every step ended, some kept or failed: the subject is told which and why. */
        PARTIALLY_COMPLETED
    }

    boolean isOpen() {
        return this == PENDING || this == AWAITING_OPERATOR;
    }

    /**
     * The moves a step may make once it exists: an open step ends confirmed or failed; a held step was decided when the
     * request started and stays held; an ended step never moves again.
     */
    boolean canMoveTo(StepState next) {
        return isOpen() && (next == CONFIRMED || next == FAILED);
    }

    /** Whether the subject's outcome must explain this step: data kept (held) or a system that could not be done. */
    public boolean needsExplaining() {
        return this == HELD || this == FAILED;
    }

    /** How a step that ran ends. */
    public static StepState ended(boolean confirmed) {
        return confirmed ? CONFIRMED : FAILED;
    }

    public static Progress progress(Collection<StepState> steps) {
        if (steps.contains(PENDING)) {
            return Progress.RUNNING;
        }
        if (steps.contains(AWAITING_OPERATOR)) {
            return Progress.WAITING_FOR_OPERATOR;
        }
        return steps.stream().anyMatch(StepState::needsExplaining) ? Progress.PARTIALLY_COMPLETED : Progress.COMPLETED;
    }
}
