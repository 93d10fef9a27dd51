package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.WorkItem;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one transaction does to coalesced work items, kept until the transaction ends and then written in the one
 * order every transaction shares: by queue, then by coalesce key (code point by code point, the order of the key's
 * binary collation). A transaction that publishes for a batch of guests and one that completes a consumer's batch
 * then take their row locks in the same order, so one waits for the other instead of both waiting for each other
 * (a processing burst used to deadlock dozens of times: publishers wrote in the batch's order, consumers deleted in
 * id order).
 *
 * <p>Within one queue the publications are written before the completions: a handler that publishes to its own
 * queue under the key of the item it completes leaves the item to run again, as the newer work asks.
 */
final class OrderedWorkWrites {

    /** Code point order: the order of {@code utf8mb4_nopad_bin}, which the coalesce key is indexed in. */
    static final Comparator<String> KEY_ORDER = OrderedWorkWrites::compareCodePoints;

    private record Publication(String payload, String guestId) {
    }

    private final Map<String, Map<String, Publication>> published = new TreeMap<>(KEY_ORDER);
    private final Map<String, List<WorkItem>> completed = new TreeMap<>(KEY_ORDER);

    /** A coalesced item to write: a later publication under the same key in this transaction replaces an earlier one. */
    void publish(String queue, String coalesceKey, String payload, String guestId) {
        published.computeIfAbsent(queue, q -> new TreeMap<>(KEY_ORDER)).put(coalesceKey, new Publication(payload, guestId));
    }

    /** A claimed item to complete. */
    void complete(WorkItem item) {
        completed.computeIfAbsent(item.queue(), q -> new ArrayList<>()).add(item);
    }

    /** Drops what this transaction was about to publish about the guest (erased work must not come back at commit); how many. */
    int forgetGuest(String guestId) {
        int forgotten = 0;
        for (Map<String, Publication> byKey : published.values()) {
            int before = byKey.size();
            byKey.values().removeIf(p -> guestId.equals(p.guestId()));
            forgotten += before - byKey.size();
        }
        return forgotten;
    }

    /** The ids of the items this transaction completes. */
    List<Long> completedIds() {
        List<Long> ids = new ArrayList<>();
        completed.values().forEach(items -> items.forEach(item -> ids.add(item.id())));
        return ids;
    }

    boolean isEmpty() {
        return published.values().stream().allMatch(Map::isEmpty) && completed.isEmpty();
    }

    /** Writes everything kept, in the shared order, on the transaction of {@code c}; afterwards nothing is kept. */
    void flush(Connection c, WorkQueueStore store) throws SQLException {
        TreeSet<String> queues = new TreeSet<>(KEY_ORDER);
        queues.addAll(published.keySet());
        queues.addAll(completed.keySet());
        for (String queue : queues) {
            Map<String, Publication> publications = published.getOrDefault(queue, Map.of());
            if (publications.size() == 1) {
                Map.Entry<String, Publication> p = publications.entrySet().iterator().next();
                store.insertCoalesced(c, queue, p.getKey(), p.getValue().payload(), p.getValue().guestId());
            } else if (!publications.isEmpty()) {
                // a processing chunk publishes for each of its guests: one batch, its statements sent together, in key order
                List<String[]> rows = new ArrayList<>(publications.size());
                publications.forEach((key, p) -> rows.add(new String[]{key, p.payload(), p.guestId()}));
                store.insertCoalescedAll(c, queue, rows);
            }
            List<WorkItem> items = completed.get(queue);
            if (items != null) {
                store.completeAll(c, items);
            }
        }
        published.clear();
        completed.clear();
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
