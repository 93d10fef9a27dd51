package io.guestbridge.privacy.internal.steps;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.privacy.internal.datamap.DataMap;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs request steps from the work queue: a confirmed step is never redone (a replayed item finds it
 * finished), a system that is down is tried again with the queue's backoff — the step keeps each
 * attempt's evidence, and the clock escalates to the DPO when attempts pile up — and one that refuses
 * for good ends its step as FAILED, so the request completes partially with the reason.
 *
 * <p>A request's steps in other systems are published together, by the commit of its local step, and handed over
 * together to one worker: its calls run side by side ({@link SideBySide}), and what they came to is recorded in one
 * transaction, which also ends the request and completes the items of the steps that are done. Each step's item keeps
 * its own outcome (a system that is down is retried alone, with its own attempts and backoff). A worker for each step
 * cost four reads, twelve transactions and four hand-overs a request.
 */
@ApplicationScoped
public class RequestStepHandler implements WorkHandler<StepDue> {

    @Inject
    RequestSteps steps;

    @Inject
    SideBySide sideBySide;

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
    public boolean startsWherePublished() {
        return true; // each step is published by the commit it waits for (the request's receipt, its local step): start it there
    }

    @Override
    public void handle(List<Envelope<StepDue>> batch, Outcomes outcomes) {
        Map<String, List<Envelope<StepDue>>> byRequest = new LinkedHashMap<>();
        for (Envelope<StepDue> due : batch) {
            byRequest.computeIfAbsent(due.message().request(), r -> new ArrayList<>()).add(due);
        }
        byRequest.forEach((request, due) -> {
            try {
                handle(request, due, outcomes);
            } catch (RuntimeException e) {
                // one request's failure must not hold back the other requests' steps in the batch
                due.forEach(d -> outcomes.retry(d.item(), e.getClass().getSimpleName()));
            }
        });
    }

    private void handle(String request, List<Envelope<StepDue>> due, Outcomes outcomes) {
        List<Envelope<StepDue>> others = new ArrayList<>(due.size());
        for (Envelope<StepDue> step : due) {
            if (DataMap.LOCAL.equals(step.message().system())) {
                steps.runLocal(request, step.item());
                outcomes.done(step.item());
            } else {
                others.add(step);
            }
        }
        if (others.isEmpty()) {
            return;
        }
        Optional<RequestRecords.StepsAndAddress> read = steps.steps(request);
        Supplier<NormalizedEmail> address = steps.address(request, read.map(RequestRecords.StepsAndAddress::emailSealed).orElse(null));
        List<Envelope<StepDue>> pending = new ArrayList<>(others.size());
        for (Envelope<StepDue> step : others) {
            if (read.flatMap(r -> r.step(step.message().system())).filter(RequestStep::canResume).isPresent()) {
                pending.add(step);
            }
        }
        if (pending.size() > 1) {
            address.get(); // opened once, before the calls that share it run side by side
        }
        // a call that threw is an attempt that failed, worth another: its exception's name is the evidence (never a message,
        // which may hold an address)
        List<ErasureResult> results = sideBySide.run(pending.stream().<Supplier<ErasureResult>>map(step -> () -> steps.runExternal(step.message().system(),
                address)).toList(), e -> ErasureResult.retry(e.getClass().getSimpleName()));
        List<RequestSteps.Attempt> attempts = new ArrayList<>(others.size());
        for (Envelope<StepDue> step : others) {
            int i = pending.indexOf(step);
            // a step that ended before (its item delivered again after a stop) is not redone; the request may still have to end
            attempts.add(new RequestSteps.Attempt(step.message().system(), step.item(), i < 0 ? null : results.get(i)));
        }
        if (attempts.stream().anyMatch(a -> a.result() == null || a.result().attempted())) {
            steps.record(request, attempts);
        }
        for (RequestSteps.Attempt attempt : attempts) {
            ErasureResult result = attempt.result();
            WorkItem item = attempt.item();
            if (result == null || result.confirmed()) {
                outcomes.done(item); // completed in the transaction that recorded it
            } else if (result.retryable() && result.waitFor() != null) {
                outcomes.retryAfter(item, result.waitFor(), result.evidence()); // a wait, not a failure: no attempt used
            } else if (result.retryable()) {
                outcomes.retry(item, result.evidence());
            } else {
                outcomes.dead(item, result.evidence());
            }
        }
    }
}
