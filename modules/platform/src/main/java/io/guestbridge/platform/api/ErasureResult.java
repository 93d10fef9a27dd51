package io.guestbridge.platform.api;

import java.time.Duration;

/**
 * What one attempt at deleting a data subject from another system came to (a CRM, Purple, a warehouse): the erasure
 * step that made it keeps the schedule and the evidence.
 *
 * @param confirmed the system confirmed the deletion (or holds nothing of the subject)
 * @param retryable not confirmed, but worth another attempt later (5xx, rate limit, network, a busy database)
 * @param evidence  what the system answered (status, reference, row counts), never personal data
 * @param waitFor   when set, come back after this long and do not count it as a failure: the system said so (429 with
 *                  Retry-After) or the connector's request budget is spent
 * @param attempted false when no request went out (a spent budget): nothing happened to record on the step
 */
public record ErasureResult(boolean confirmed, boolean retryable, String evidence, Duration waitFor, boolean attempted) {

    public ErasureResult(boolean confirmed, boolean retryable, String evidence) {
        this(confirmed, retryable, evidence, null, true);
    }

    public static ErasureResult confirmed(String evidence) {
        return new ErasureResult(true, false, evidence);
    }

    public static ErasureResult retry(String evidence) {
        return new ErasureResult(false, true, evidence);
    }

    /** Refused for good (or not a step that runs by itself): the step fails with this reason, or an operator must act. */
    public static ErasureResult refused(String evidence) {
        return new ErasureResult(false, false, evidence);
    }
}
