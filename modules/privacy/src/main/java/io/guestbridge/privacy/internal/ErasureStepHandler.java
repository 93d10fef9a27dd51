package io.guestbridge.privacy.internal;

import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs erasure steps from the work queue: a confirmed step is never redone (a replayed item finds it
 * finished), a system that is down is tried again with the queue's backoff, one that refuses for good
 * ends its step as FAILED with the evidence, and the request completes partially.
 */
@ApplicationScoped
public class ErasureStepHandler implements WorkHandler {

    private static final Pattern REQUEST = Pattern.compile("\"request\":\"([0-9a-f-]{36})\"");
    private static final Pattern SYSTEM = Pattern.compile("\"system\":\"([a-z0-9-]+)\"");

    @Inject
    ErasureRequests requests;

    @Override
    public String queue() {
        return ErasureRequests.STEP_QUEUE;
    }

    @Override
    public int batchSize() {
        return 10;
    }

    @Override
    public void handle(List<WorkItem> batch, Outcomes outcomes) {
        for (WorkItem item : batch) {
            Matcher request = REQUEST.matcher(item.payload());
            Matcher system = SYSTEM.matcher(item.payload());
            if (!request.find() || !system.find()) {
                outcomes.dead(item, "not an erasure step");
                continue;
            }
            String id = request.group(1);
            String name = system.group(1);
            if (!requests.pending(id, name)) {
                outcomes.done(item);
                continue;
            }
            if (ErasureRequests.LOCAL.equals(name)) {
                requests.eraseLocally(id);
                outcomes.done(item);
                continue;
            }
            CrmErasure.Result result = requests.eraseInCrm(id, name);
            if (result.confirmed()) {
                requests.confirm(id, name, result.evidence());
                outcomes.done(item);
            } else if (result.retryable()) {
                requests.attemptFailed(id, name, result.evidence(), false);
                outcomes.retry(item, result.evidence());
            } else {
                requests.attemptFailed(id, name, result.evidence(), true);
                outcomes.dead(item, result.evidence());
            }
        }
    }
}
