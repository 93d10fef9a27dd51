package io.guestbridge.privacy.internal.steps;

/**
 * What one attempt at a system's step came to.
 *
 * @param confirmed the system confirmed (or holds nothing of the subject)
 * @param retryable not confirmed, but worth another attempt (5xx, rate limit, network, a busy database)
 * @param evidence  what the system answered (status, reference, row counts), never personal data
 * @param waitFor   when set, come back after this long without counting a failure (Retry-After, a spent request budget)
 * @param attempted false when nothing was sent (a spent budget): no attempt to record on the step
 */
record StepResult(boolean confirmed, boolean retryable, String evidence, java.time.Duration waitFor, boolean attempted) {

    StepResult(boolean confirmed, boolean retryable, String evidence) {
        this(confirmed, retryable, evidence, null, true);
    }

    static StepResult confirmed(String evidence) {
        return new StepResult(true, false, evidence);
    }

    static StepResult retry(String evidence) {
        return new StepResult(false, true, evidence);
    }

    static StepResult refused(String evidence) {
        return new StepResult(false, false, evidence);
    }
}
