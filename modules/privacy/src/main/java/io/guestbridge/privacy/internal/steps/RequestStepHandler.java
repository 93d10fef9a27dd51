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
 * together to one worker; what they came to is recorded in one transaction, which also ends the request and completes
 * the items of the steps that are done. Each step's item keeps its own outcome (a system that is down is retried alone,
 * with its own attempts and backoff). A worker for each step cost four reads, twelve transactions and four hand-overs a
 * request.
 *
 * <p>The calls of every request in a batch are made together ({@link ExternalSteps#attemptAll}): their CRM budgets
 * held in one transaction, each system's calls one after another, the systems side by side. Each request is still
 * read and recorded on its own, so one that fails does not hold back the others.
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
    public boolean startsWherePublished() {
        return true; // each step is published by the commit it waits for (the request's receipt, its local step): start it there
    }

    /** A request's steps in other systems in this batch: their items, and the place of each pending one's call (-1: none). */
    private record Others(String request, List<Envelope<StepDue>> due, int[] calls) {
    }

    @Override
    public void handle(List<Envelope<StepDue>> batch, Outcomes outcomes) {
        Map<String, List<Envelope<StepDue>>> byRequest = new LinkedHashMap<>();
        for (Envelope<StepDue> due : batch) {
            byRequest.computeIfAbsent(due.message().request(), r -> new ArrayList<>()).add(due);
        }
        List<Others> others = new ArrayList<>(byRequest.size());
        List<ExternalSteps.Call> calls = new ArrayList<>();
        byRequest.forEach((request, due) -> {
            List<Envelope<StepDue>> external = new ArrayList<>(due.size());
            List<Envelope<StepDue>> done = new ArrayList<>(1);
            try {
                for (Envelope<StepDue> step : due) {
                    if (DataMap.LOCAL.equals(step.message().system())) {
                        steps.runLocal(request, step.item());
                        outcomes.done(step.item());
                        done.add(step);
                    } else {
                        external.add(step);
                    }
                }
                if (!external.isEmpty()) {
                    others.add(new Others(request, external, plan(request, external, calls)));
                }
            } catch (RuntimeException e) {
                // one request's failure must not hold back the other requests' steps in the batch
                due.stream().filter(d -> !done.contains(d)).forEach(d -> outcomes.retry(d.item(), e.getClass().getSimpleName()));
            }
        });
        if (others.isEmpty()) {
            return;
        }
        List<ErasureResult> results = calls.isEmpty() ? List.of() : steps.attemptAll(calls);
        for (Others request : others) {
            try {
                record(request, results, outcomes);
            } catch (RuntimeException e) {
                request.due().forEach(d -> outcomes.retry(d.item(), e.getClass().getSimpleName()));
            }
        }
    }

    /**
     * Reads the request's steps and adds a call for each of {@code due} that is still pending to {@code calls}; the place
     * of each step's call there (-1: the step ended before its item came, delivered again after a stop).
     */
    private int[] plan(String request, List<Envelope<StepDue>> due, List<ExternalSteps.Call> calls) {
        Optional<RequestRecords.StepsAndAddress> read = steps.steps(request);
        Supplier<NormalizedEmail> address = steps.address(request, read.map(RequestRecords.StepsAndAddress::emailSealed).orElse(null));
        int[] places = new int[due.size()];
        int pending = 0;
        for (int i = 0; i < due.size(); i++) {
            String system = due.get(i).message().system();
            boolean resumes = read.flatMap(r -> r.step(system)).filter(RequestStep::canResume).isPresent();
            places[i] = resumes ? calls.size() : -1;
            if (resumes) {
                calls.add(new ExternalSteps.Call(system, address));
                pending++;
            }
        }
        if (pending > 1) {
            address.get(); // opened once, before the calls that share it run side by side
        }
        return places;
    }

    /** Records what the request's calls came to, in one transaction, and tells the queue each step's item's outcome. */
    private void record(Others request, List<ErasureResult> results, Outcomes outcomes) {
        List<RequestSteps.Attempt> attempts = new ArrayList<>(request.due().size());
        for (int i = 0; i < request.due().size(); i++) {
            Envelope<StepDue> step = request.due().get(i);
            // a step that ended before (its item delivered again after a stop) is not redone; the request may still have to end
            attempts.add(new RequestSteps.Attempt(step.message().system(), step.item(), request.calls()[i] < 0 ? null : results.get(request.calls()[i])));
        }
        if (attempts.stream().anyMatch(a -> a.result() == null || a.result().attempted())) {
            steps.record(request.request(), attempts);
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
