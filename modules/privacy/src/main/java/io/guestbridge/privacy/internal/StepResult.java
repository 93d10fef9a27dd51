package io.guestbridge.privacy.internal;

/**
 * What one attempt at a system's step came to.
 *
 * @param confirmed the system confirmed (or holds nothing of the subject)
 * @param retryable not confirmed, but worth another attempt (5xx, rate limit, network, a busy database)
 * @param evidence  what the system answered (status, reference, row counts), never personal data
 */
record StepResult(boolean confirmed, boolean retryable, String evidence) {

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
