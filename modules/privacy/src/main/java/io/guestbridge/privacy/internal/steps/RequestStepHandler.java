package io.guestbridge.privacy.internal.steps;

import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.privacy.internal.datamap.DataMap;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * Runs request steps from the work queue: a confirmed step is never redone (a replayed item finds it
 * finished), a system that is down is tried again with the queue's backoff — the step keeps each
 * attempt's evidence, and the clock escalates to the DPO when attempts pile up — and one that refuses
 * for good ends its step as FAILED, so the request completes partially with the reason.
 */
@ApplicationScoped
public class RequestStepHandler implements WorkHandler<StepDue> {

    @Inject
    RequestSteps steps;

    @Override
    public Class<StepDue> type() {
        return StepDue.class;
    }

    @Override
    public String queue() {
        return "privacy-steps";
    }

    @Override
    public int batchSize() {
        return 10;
    }

    @Override
    public int concurrency() {
        return 4; // steps wait on other systems' APIs; a few in flight keep a burst of requests moving
    }

    @Override
    public boolean spreadAcrossWorkers() {
        return true; // a request's steps in the other systems are independent: run them side by side, not in one batch
    }

    @Override
    public boolean startsWherePublished() {
        return true; // each step is published by the commit it waits for (the request's receipt, its local step): start it there
    }

    @Override
    public void handle(List<Envelope<StepDue>> batch, Outcomes outcomes) {
        for (Envelope<StepDue> due : batch) {
            try {
                handle(due.item(), due.message(), outcomes);
            } catch (RuntimeException e) {
                // one step's failure must not hold back the other requests' steps in the batch
                outcomes.retry(due.item(), e.getClass().getSimpleName());
            }
        }
    }

    private void handle(WorkItem item, StepDue step, Outcomes outcomes) {
        String id = step.request();
        String name = step.system();
        Optional<RequestRecords.StepAndAddress> pending = steps.pending(id, name);
        if (pending.isEmpty()) {
            // ended before: if the server stopped between the step's end and the request's check, the check is made now
            steps.finishIfDone(id);
            outcomes.done(item);
            return;
        }
        if (DataMap.LOCAL.equals(name)) {
            steps.runLocal(id);
            outcomes.done(item);
            return;
        }
        ErasureResult result = steps.runExternal(id, name, pending.get().emailSealed());
        if (result.attempted() && steps.record(id, name, result)) {
            steps.finishIfDone(id);
        }
        if (result.confirmed()) {
            outcomes.done(item);
        } else if (result.retryable() && result.waitFor() != null) {
            outcomes.retryAfter(item, result.waitFor(), result.evidence()); // a wait, not a failure: no attempt used
        } else if (result.retryable()) {
            outcomes.retry(item, result.evidence());
        } else {
            outcomes.dead(item, result.evidence());
        }
    }
}
