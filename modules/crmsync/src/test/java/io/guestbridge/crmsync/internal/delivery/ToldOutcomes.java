package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What each item of a batch was told, by id: "DONE", "RETRY reason", "AFTER PT5S reason" or "DEAD reason". */
final class ToldOutcomes implements WorkHandler.Outcomes {

    final Map<Long, String> byItem = new LinkedHashMap<>();

    @Override
    public void done(WorkItem item) {
        byItem.put(item.id(), "DONE");
    }

    @Override
    public void retry(WorkItem item, String reason) {
        byItem.put(item.id(), "RETRY " + reason);
    }

    @Override
    public void retryAfter(WorkItem item, Duration delay, String reason) {
        byItem.put(item.id(), "AFTER " + delay + " " + reason);
    }

    @Override
    public void dead(WorkItem item, String reason) {
        byItem.put(item.id(), "DEAD " + reason);
    }
}
