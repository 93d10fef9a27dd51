package io.guestbridge.crmsync.internal.connectors;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

import java.time.Duration;
import java.util.Map;

/**
 * What a CRM answered to one batch request.
 *
 * @param retryAfter   set when the whole request must wait (429, or a connection problem), with how long
 * @param succeeded    email → the CRM's id for it, for records it stored
 * @param created      emails whose contact the request created (rather than updated)
 * @param failed       email → reason, for records it refused
 * @param permanent    whether the refusals are permanent (a 4xx about the data) rather than worth a retry
 */
public record CrmAnswer(int status, Duration retryAfter, Map<String, String> succeeded, java.util.Set<String> created, Map<String, String> failed,
                 boolean permanent, String problem) {

    public static CrmAnswer waitFor(int status, Duration delay, String problem) {
        return new CrmAnswer(status, delay, Map.of(), java.util.Set.of(), Map.of(), false, problem);
    }

    public static CrmAnswer transientFailure(int status, String problem) {
        return new CrmAnswer(status, null, Map.of(), java.util.Set.of(), Map.of(), false, problem);
    }

    public static CrmAnswer permanentFailure(int status, String problem) {
        return new CrmAnswer(status, null, Map.of(), java.util.Set.of(), Map.of(), true, problem);
    }

    /**
     * The answer for a call that fault tolerance cut short. A call past its time limit is a transient failure
     * (the CRM may have stored some records; sending them again is an idempotent upsert); a full bulkhead is a
     * short wait, since the CRM has not been asked at all.
     */
    public static CrmAnswer cutShort(String crm, FaultToleranceException e) {
        if (e instanceof BulkheadException) {
            return waitFor(0, Duration.ofSeconds(1), "the calls to " + crm + " this instance allows at once are all in flight");
        }
        return transientFailure(0, "the call to " + crm + " did not finish within its time limit (" + e.getClass().getSimpleName() + ")");
    }
}
