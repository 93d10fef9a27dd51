package io.guestbridge.platform.testing;

import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue's side of a handler's batch in a test: what the handler told about each item, as "DONE", "RETRY reason",
 * "AFTER PT5S reason" or "DEAD reason". {@link #byItem} keeps the last thing told about each item, by id; the log
 * gets one line per outcome in the order told, the item's id first ("7 DONE"). A test that logs its fakes' calls too
 * passes its log, so the outcomes take their places among those calls.
 */
public final class ToldOutcomes implements WorkHandler.Outcomes {

    public final Map<Long, String> byItem = new LinkedHashMap<>();
    public final List<String> log;

    public ToldOutcomes() {
        this(new ArrayList<>());
    }

    public ToldOutcomes(List<String> log) {
        this.log = log;
    }

    @Override
    public void done(WorkItem item) {
        told(item, "DONE");
    }

    @Override
    public void retry(WorkItem item, String reason) {
        told(item, "RETRY " + reason);
    }

    @Override
    public void retryAfter(WorkItem item, Duration delay, String reason) {
        told(item, "AFTER " + delay + " " + reason);
    }

    @Override
    public void dead(WorkItem item, String reason) {
        told(item, "DEAD " + reason);
    }

    private void told(WorkItem item, String outcome) {
        byItem.put(item.id(), outcome);
        log.add(item.id() + " " + outcome);
    }
}
