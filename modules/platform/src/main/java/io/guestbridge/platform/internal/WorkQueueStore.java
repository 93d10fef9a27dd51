package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.QueueStats;
import io.guestbridge.platform.api.WorkItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The SQL of the work queue, on a connection whose transaction the caller owns (a JTA transaction in
 * the server, a plain JDBC one in tests). Times are the database's own clock ({@code NOW(6)}), so
 * several instances agree on leases and backoff without trusting each other's clocks.
 */
// plain JDBC, claims with SKIP LOCKED and batched completions: bench/processing counts its statements and rows
public final class WorkQueueStore {

    private static final String COLUMNS =
            "id, queue, coalesce_key, payload, attempts, generation, lease_owner, created_at, last_error";

    public long insert(Connection c, String queue, String payload) throws SQLException {
        return insert(c, queue, payload, null);
    }

    /** Adds an item; {@code guestId} (or null) names the guest it is about, for {@link #eraseGuest}. */
    public long insert(Connection c, String queue, String payload, String guestId) throws SQLException {
        return insert(c, queue, payload, guestId, null);
    }

    /**
     * Adds an item due for {@code overdue} already (null or zero: due now). Claims take due items oldest-due first
     * ({@link #dueHead}), so an item overdue by more than other waiting items is claimed before them. A duration, not
     * a time: the database's clock stamps every item, and the caller's clock only measures how long ago its work began.
     */
    public long insert(Connection c, String queue, String payload, String guestId, Duration overdue) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO plt_work_item (queue, payload, guest_id, next_attempt_at, created_at, updated_at) "
                        + "VALUES (?, ?, ?, NOW(6) - INTERVAL ? MICROSECOND, NOW(6), NOW(6))", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, queue);
            s.setString(2, payload);
            s.setString(3, guestId);
            s.setLong(4, overdue == null || overdue.isNegative() ? 0 : overdue.toNanos() / 1000);
            s.executeUpdate();
            return generatedId(s);
        }
    }

    /**
     * Adds a dead letter: work that failed for good as part of a larger item, kept with its reason and the attempts and
     * first queuing of that item, where operators see, replay or discard it as any dead item. Not coalesced: a guest's
     * later work waits as an item of its own.
     */
    public long insertDead(Connection c, String queue, String payload, String guestId, int attempts, String reason, java.time.Instant createdAt)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO plt_work_item (queue, payload, guest_id, state, attempts, last_error, next_attempt_at, created_at, updated_at) "
                        + "VALUES (?, ?, ?, 'DEAD', ?, ?, NOW(6), ?, NOW(6))", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, queue);
            s.setString(2, payload);
            s.setString(3, guestId);
            s.setInt(4, attempts);
            s.setString(5, reason == null ? null : reason.length() <= 2000 ? reason : reason.substring(0, 1999) + "…");
            s.setObject(6, java.time.LocalDateTime.ofInstant(createdAt, java.time.ZoneOffset.UTC));
            s.executeUpdate();
            return generatedId(s);
        }
    }

    /**
     * Adds an item already claimed by the publishing instance, as a claim would leave it (first attempt, leased to
     * {@code owner} for {@code lease}), to be handed to one of that instance's workers when the transaction commits.
     * Other instances see it only once the lease runs out, as a claimed item whose worker died.
     */
    public WorkItem insertLeased(Connection c, String queue, String payload, String guestId, String owner, Duration lease)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO plt_work_item (queue, payload, guest_id, attempts, lease_owner, next_attempt_at, created_at, updated_at) "
                        + "VALUES (?, ?, ?, 1, ?, NOW(6) + INTERVAL ? MICROSECOND, NOW(6), NOW(6))", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, queue);
            s.setString(2, payload);
            s.setString(3, guestId);
            s.setString(4, owner);
            s.setLong(5, lease.toNanos() / 1000);
            s.executeUpdate();
            return new WorkItem(generatedId(s), queue, null, payload, 1, 0, owner, java.time.Instant.now(), null);
        }
    }

    /**
     * Gives up claims not yet started (items handed to an instance that stops before its workers took them): each is due
     * at once for any instance, its attempt not counted, instead of waiting for its lease to run out. The number given up.
     */
    public int release(Connection c, List<WorkItem> items) throws SQLException {
        if (items.isEmpty()) {
            return 0;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item FORCE INDEX (PRIMARY) SET lease_owner = NULL, "
                + "attempts = GREATEST(attempts - 1, 0), next_attempt_at = NOW(6), updated_at = NOW(6) WHERE id IN ("
                + placeholders(items.size()) + ") AND (id, lease_owner) IN (" + tuples(items.size(), 2) + ")")) {
            int p = bindIds(s, items);
            for (WorkItem item : items) {
                s.setLong(p++, item.id());
                s.setString(p++, item.leaseOwner());
            }
            return s.executeUpdate();
        }
    }

    public long insertCoalesced(Connection c, String queue, String key, String payload) throws SQLException {
        return insertCoalesced(c, queue, key, payload, null);
    }

    public long insertCoalesced(Connection c, String queue, String key, String payload, String guestId) throws SQLException {
        // MariaDB evaluates the assignments left to right with the new values: read state before changing it.
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO plt_work_item (queue, coalesce_key, payload, guest_id, next_attempt_at, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, NOW(6), NOW(6), NOW(6)) ON DUPLICATE KEY UPDATE "
                        + "id = LAST_INSERT_ID(id), payload = VALUES(payload), guest_id = VALUES(guest_id), generation = generation + 1, "
                        + "attempts = IF(state = 'DEAD', 0, attempts), "
                        + "next_attempt_at = IF(state = 'DEAD', NOW(6), next_attempt_at), "
                        + "last_error = IF(state = 'DEAD', NULL, last_error), "
                        + "state = 'PENDING', updated_at = NOW(6)", Statement.RETURN_GENERATED_KEYS)) {
            s.setString(1, queue);
            s.setString(2, key);
            s.setString(3, payload);
            s.setString(4, guestId);
            s.executeUpdate();
            return generatedId(s);
        }
    }

    /**
     * {@link #insertCoalesced} for several items of one queue ({coalesce key, payload, guest id} each), in the order
     * given, as one JDBC batch: the statements go to the database together instead of one round trip each.
     */
    public void insertCoalescedAll(Connection c, String queue, List<String[]> rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO plt_work_item (queue, coalesce_key, payload, guest_id, next_attempt_at, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, NOW(6), NOW(6), NOW(6)) ON DUPLICATE KEY UPDATE "
                        + "payload = VALUES(payload), guest_id = VALUES(guest_id), generation = generation + 1, "
                        + "attempts = IF(state = 'DEAD', 0, attempts), "
                        + "next_attempt_at = IF(state = 'DEAD', NOW(6), next_attempt_at), "
                        + "last_error = IF(state = 'DEAD', NULL, last_error), "
                        + "state = 'PENDING', updated_at = NOW(6)")) {
            for (String[] row : rows) {
                s.setString(1, queue);
                s.setString(2, row[0]);
                s.setString(3, row[1]);
                s.setString(4, row[2]);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Deletes every item about the guest, pending, held or dead: nothing may act on them any more. */
    public int eraseGuest(Connection c, String guestId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM plt_work_item WHERE guest_id = ?")) {
            s.setString(1, guestId);
            return s.executeUpdate();
        }
    }

    /**
     * Claims up to {@code max} due items of a queue for {@code lease}. Rows locked by another claimer
     * are skipped, not waited for. An item whose lease ran out after its last attempt (its worker
     * died) goes to the dead state instead of running again.
     */
    public List<WorkItem> claim(Connection c, String queue, int max, Duration lease, int maxAttempts) throws SQLException {
        return claim(c, queue, max, lease, maxAttempts, false);
    }

    /** How many due items beyond a batch a claim looks at, so that concurrent claimers skipping each other's still fill theirs. */
    private static final int CLAIM_SLACK = 50;
    /**
     * How many whole batches past its own a claim that came up short looks at once more. Another claimer's batch is
     * locked and not yet committed, so it still reads as due here, and the first look's slack covers less than one such
     * batch: a CRM connector's three concurrent senders each claiming 100 got 50 in one claim of 26, and a batch of 50
     * spends the same request, and the same pacing interval, as a batch of 100.
     */
    private static final int FURTHER_BATCHES = 3;

    /** Whether the queue has an item due now, as committed, without locking: what a claim would find, if anything. */
    public boolean hasDue(Connection c, String queue) throws SQLException {
        return !dueHead(c, queue, 1).isEmpty();
    }

    /** The ids of the queue's oldest due items as committed, without locking (a consistent read). */
    private static List<Long> dueHead(Connection c, String queue, int max) throws SQLException {
        List<Long> head = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM plt_work_item WHERE queue = ? AND state = 'PENDING' "
                + "AND next_attempt_at <= NOW(6) ORDER BY next_attempt_at, id LIMIT ?")) {
            s.setString(1, queue);
            s.setInt(2, max);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    head.add(rs.getLong(1));
                }
            }
        }
        return head;
    }

    /** The ids of the queue's oldest waiting items as committed, without locking (a consistent read). */
    private static List<Long> pendingHead(Connection c, String queue, int max) throws SQLException {
        List<Long> head = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM plt_work_item WHERE queue = ? AND state = 'PENDING' ORDER BY id LIMIT ?")) {
            s.setString(1, queue);
            s.setInt(2, max);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    head.add(rs.getLong(1));
                }
            }
        }
        return head;
    }

    /**
     * As {@link #claim(Connection, String, int, Duration, int)}; an {@code ordered} queue is claimed strictly by id:
     * the batch is the due items from the oldest waiting one on, and stops at the first that is not due (waiting for
     * a retry, a Retry-After or held by a worker's lease), so nothing overtakes an item that waits.
     */
    public List<WorkItem> claim(Connection c, String queue, int max, Duration lease, int maxAttempts, boolean ordered) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<Long> exhausted = new ArrayList<>();
        if (!ordered) {
            List<Long> candidates = dueHead(c, queue, max + CLAIM_SLACK);
            if (candidates.isEmpty()) {
                return List.of();
            }
            // the oldest due first: the head's first batch, and only if other claimers hold some of it, the rest of the head
            // (a lock over every candidate takes them in key order, and an item published overdue has a later key)
            List<Long> oldest = candidates.subList(0, Math.min(max, candidates.size()));
            lockDue(c, queue, oldest, max, maxAttempts, ids, exhausted);
            if (ids.size() + exhausted.size() < max && candidates.size() > oldest.size()) {
                lockDue(c, queue, candidates.subList(oldest.size(), candidates.size()), max - ids.size() - exhausted.size(), maxAttempts,
                        ids, exhausted);
            }
            if (ids.size() + exhausted.size() < max && candidates.size() == max + CLAIM_SLACK) {
                // short, though more was due: other claimers' batches, locked and not yet committed, were skipped
                List<Long> further = new ArrayList<>(dueHead(c, queue, (1 + FURTHER_BATCHES) * max + CLAIM_SLACK));
                further.removeAll(new java.util.HashSet<>(candidates));
                if (!further.isEmpty()) {
                    lockDue(c, queue, further, max - ids.size() - exhausted.size(), maxAttempts, ids, exhausted);
                }
            }
        } else {
            lockOrderedHead(c, queue, max, maxAttempts, ids, exhausted);
        }
        return leased(c, ids, exhausted, lease);
    }

    /**
     * Locks up to {@code max} of the {@code candidates} that are still due, skipping rows another claimer holds, and adds
     * them to {@code ids} (or to {@code exhausted}, those past their last attempt).
     */
    private static void lockDue(Connection c, String queue, List<Long> candidates, int max, int maxAttempts, List<Long> ids, List<Long> exhausted)
            throws SQLException {
        // the due items found before, locked by their primary key only: a range scan of the claim index would also lock the
        // entry just past the range, the next queue's oldest item, and a claim of that queue skipping locked rows then
        // found nothing (its wake-up lost: the item waited for the next poll). In key order, so the scan stops at the
        // batch's last row: a sort would read, and lock, every candidate
        try (PreparedStatement s = c.prepareStatement("SELECT id, attempts FROM plt_work_item FORCE INDEX (PRIMARY) WHERE id IN ("
                + placeholders(candidates.size()) + ") AND queue = ? AND state = 'PENDING' AND next_attempt_at <= NOW(6) "
                + "ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            bind(s, 1, candidates);
            s.setString(candidates.size() + 1, queue);
            s.setInt(candidates.size() + 2, max);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    (rs.getInt(2) >= maxAttempts ? exhausted : ids).add(rs.getLong(1));
                }
            }
        }
    }

    /** An ordered queue's batch: its head in id order, up to the first item that is not due or not locked here. */
    private static void lockOrderedHead(Connection c, String queue, int max, int maxAttempts, List<Long> ids, List<Long> exhausted)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, attempts, next_attempt_at <= NOW(6) FROM plt_work_item WHERE queue = ? "
                + "AND state = 'PENDING' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            s.setString(1, queue);
            s.setInt(2, max);
            Map<Long, Integer> lockedDue = new HashMap<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(3)) {
                        lockedDue.put(rs.getLong(1), rs.getInt(2));
                    }
                }
            }
            // SKIP LOCKED passes over a row another transaction holds (a publisher coalescing onto it): in an ordered queue
            // that row must not be overtaken, so the batch is the queue's head in id order, as committed, up to the first
            // row that is not due or not locked here
            for (long id : pendingHead(c, queue, max)) {
                Integer attempts = lockedDue.get(id);
                if (attempts == null) {
                    break;
                }
                (attempts >= maxAttempts ? exhausted : ids).add(id);
            }
        }
    }

    /** Sends the exhausted items to the dead state and leases the others to a new owner: the claim's batch. */
    private static List<WorkItem> leased(Connection c, List<Long> ids, List<Long> exhausted, Duration lease) throws SQLException {
        if (!exhausted.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item SET state = 'DEAD', lease_owner = NULL, "
                    + "last_error = 'lease expired after the last attempt: the worker stopped while handling it', "
                    + "updated_at = NOW(6) WHERE id IN (" + placeholders(exhausted.size()) + ")")) {
                bind(s, 1, exhausted);
                s.executeUpdate();
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        String owner = UUID.randomUUID().toString();
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item SET attempts = attempts + 1, lease_owner = ?, "
                + "next_attempt_at = NOW(6) + INTERVAL ? MICROSECOND, updated_at = NOW(6) WHERE id IN (" + placeholders(ids.size()) + ")")) {
            s.setString(1, owner);
            s.setLong(2, lease.toNanos() / 1000);
            bind(s, 3, ids);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM plt_work_item WHERE id IN ("
                + placeholders(ids.size()) + ") ORDER BY id")) {
            bind(s, 1, ids);
            return read(s);
        }
    }

    /**
     * Completes a claimed item. If coalesced work arrived while it was held (generation moved on), the
     * item stays and becomes due at once instead. False when the claim was lost to lease expiry.
     */
    public boolean complete(Connection c, WorkItem item) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM plt_work_item WHERE id = ? AND lease_owner = ? AND generation = ?")) {
            s.setLong(1, item.id());
            s.setString(2, item.leaseOwner());
            s.setInt(3, item.generation());
            if (s.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item SET lease_owner = NULL, attempts = 0, "
                + "last_error = NULL, next_attempt_at = NOW(6), updated_at = NOW(6) WHERE id = ? AND lease_owner = ?")) {
            s.setLong(1, item.id());
            s.setString(2, item.leaseOwner());
            return s.executeUpdate() == 1;
        }
    }

    /**
     * {@link #complete} for a whole batch in three statements instead of up to two per item (the processing
     * benchmark in bench/processing counts them): the coalesced items are locked in key order
     * ({@link #lockInKeyOrder}), then the items still held unchanged are deleted, those whose
     * coalesced work moved on while they were held are released to run again at once. Items whose claim was
     * lost, or that were completed already, are left alone. The number deleted.
     */
    public int completeAll(Connection c, List<WorkItem> items) throws SQLException {
        if (items.isEmpty()) {
            return 0;
        }
        lockInKeyOrder(c, items);
        return completeLocked(c, items);
    }

    /** {@link #completeAll} for items whose coalesced rows the transaction has locked in key order already. */
    public int completeLocked(Connection c, List<WorkItem> items) throws SQLException {
        int deleted = 0;
        for (int from = 0; from < items.size(); from += 500) {
            List<WorkItem> part = items.subList(from, Math.min(items.size(), from + 500));
            // "id IN" on the primary key finds the rows; the row constructor checks each one's own claim. The key is
            // forced: on a small table the optimizer would rather scan it all, and the scan would wait for rows that
            // publishers are inserting, which wait for rows this transaction has locked
            try (PreparedStatement s = c.prepareStatement("DELETE w FROM plt_work_item w FORCE INDEX (PRIMARY) WHERE w.id IN ("
                    + placeholders(part.size()) + ") AND (w.id, w.lease_owner, w.generation) IN (" + tuples(part.size(), 3) + ")")) {
                int p = bindIds(s, part);
                for (WorkItem item : part) {
                    s.setLong(p++, item.id());
                    s.setString(p++, item.leaseOwner());
                    s.setInt(p++, item.generation());
                }
                deleted += s.executeUpdate();
            }
            if (deleted < from + part.size()) {
                try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item FORCE INDEX (PRIMARY) SET lease_owner = NULL, attempts = 0, "
                        + "last_error = NULL, next_attempt_at = NOW(6), updated_at = NOW(6) WHERE id IN (" + placeholders(part.size())
                        + ") AND (id, lease_owner) IN (" + tuples(part.size(), 2) + ")")) {
                    int p = bindIds(s, part);
                    for (WorkItem item : part) {
                        s.setLong(p++, item.id());
                        s.setString(p++, item.leaseOwner());
                    }
                    s.executeUpdate();
                }
            }
        }
        return deleted;
    }

    /**
     * Locks the coalesced items among {@code items} the way a publisher reaches them: through the coalesce key, in its
     * order, queue by queue in name order ({@link OrderedWorkWrites} publishes in the same order). Deleting or updating
     * by id alone would lock the rows in id order and the key's index entry after its row, the opposite of a
     * publisher's {@code INSERT … ON DUPLICATE KEY UPDATE}; the two then deadlock under load. Items without a key are
     * never written by a publisher and need no lock beforehand.
     */
    public void lockInKeyOrder(Connection c, List<WorkItem> items) throws SQLException {
        java.util.Map<String, java.util.TreeSet<String>> keys = new java.util.TreeMap<>(OrderedWorkWrites.KEY_ORDER);
        for (WorkItem item : items) {
            if (item.coalesceKey() != null) {
                keys.computeIfAbsent(item.queue(), q -> new java.util.TreeSet<>(OrderedWorkWrites.KEY_ORDER)).add(item.coalesceKey());
            }
        }
        for (java.util.Map.Entry<String, java.util.TreeSet<String>> queue : keys.entrySet()) {
            List<String> sorted = new ArrayList<>(queue.getValue());
            for (int from = 0; from < sorted.size(); from += 500) {
                List<String> part = sorted.subList(from, Math.min(sorted.size(), from + 500));
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM plt_work_item FORCE INDEX (uq_plt_work_item_coalesce) "
                        + "WHERE queue = ? AND coalesce_key IN (" + placeholders(part.size()) + ") ORDER BY coalesce_key FOR UPDATE")) {
                    s.setString(1, queue.getKey());
                    for (int i = 0; i < part.size(); i++) {
                        s.setString(2 + i, part.get(i));
                    }
                    s.executeQuery().close();
                }
            }
        }
    }

    private static int bindIds(PreparedStatement s, List<WorkItem> items) throws SQLException {
        int p = 1;
        for (WorkItem item : items) {
            s.setLong(p++, item.id());
        }
        return p;
    }

    private static String tuples(int n, int width) {
        String one = "(" + Collections.nCopies(width, "?").stream().collect(Collectors.joining(",")) + ")";
        return Collections.nCopies(n, one).stream().collect(Collectors.joining(","));
    }

    /**
     * Records a failed attempt: due again after {@code delay}, or dead when it was the last attempt.
     * With {@code countsAsAttempt} false (the other side asked us to wait, e.g. HTTP 429) the attempt
     * is given back: rate limits never exhaust an item.
     */
    public boolean retry(Connection c, WorkItem item, Duration delay, String error, int maxAttempts,
                         boolean countsAsAttempt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item SET "
                + "attempts = attempts - ?, state = IF(attempts >= ?, 'DEAD', 'PENDING'), lease_owner = NULL, "
                + "next_attempt_at = NOW(6) + INTERVAL ? MICROSECOND, last_error = ?, updated_at = NOW(6) "
                + "WHERE id = ? AND lease_owner = ?")) {
            s.setInt(1, countsAsAttempt ? 0 : 1);
            s.setInt(2, maxAttempts);
            s.setLong(3, Math.max(0, delay.toNanos() / 1000));
            s.setString(4, truncate(error));
            s.setLong(5, item.id());
            s.setString(6, item.leaseOwner());
            return s.executeUpdate() == 1;
        }
    }

    /**
     * {@link #retry} for many items of one claim ({@code leaseOwner}) with the same delay and error, in one statement per
     * 500: a batch the other side refused as a whole (a 429, a 503) or that waits for more items cost one statement per
     * item. The number of rows changed.
     */
    public int retryAll(Connection c, List<WorkItem> items, String leaseOwner, Duration delay, String error, int maxAttempts,
                        boolean countsAsAttempt) throws SQLException {
        int changed = 0;
        for (int from = 0; from < items.size(); from += 500) {
            List<WorkItem> part = items.subList(from, Math.min(items.size(), from + 500));
            try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item SET "
                    + "attempts = attempts - ?, state = IF(attempts >= ?, 'DEAD', 'PENDING'), lease_owner = NULL, "
                    + "next_attempt_at = NOW(6) + INTERVAL ? MICROSECOND, last_error = ?, updated_at = NOW(6) "
                    + "WHERE id IN (" + placeholders(part.size()) + ") AND lease_owner = ?")) {
                int p = 1;
                s.setInt(p++, countsAsAttempt ? 0 : 1);
                s.setInt(p++, maxAttempts);
                s.setLong(p++, Math.max(0, delay.toNanos() / 1000));
                s.setString(p++, truncate(error));
                for (WorkItem item : part) {
                    s.setLong(p++, item.id());
                }
                s.setString(p, leaseOwner);
                changed += s.executeUpdate();
            }
        }
        return changed;
    }

    /** Moves a claimed item to the dead state for good, with the reason. */
    public boolean dead(Connection c, WorkItem item, String error) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item SET state = 'DEAD', lease_owner = NULL, "
                + "last_error = ?, updated_at = NOW(6) WHERE id = ? AND lease_owner = ?")) {
            s.setString(1, truncate(error));
            s.setLong(2, item.id());
            s.setString(3, item.leaseOwner());
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Each queue's pending and dead items and its oldest pending item's age, from the index on (queue, state, created_at)
     * alone: one pass over it, already in the grouping's order, never over the rows and their payloads.
     */
    public List<QueueStats> stats(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT queue, state, COUNT(*), "
                + "COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), NOW(6)), 0) "
                + "FROM plt_work_item FORCE INDEX (ix_plt_work_item_age) GROUP BY queue, state ORDER BY queue, state");
             ResultSet rs = s.executeQuery()) {
            // a queue's PENDING and DEAD groups, one after the other: each adds its own figures
            Map<String, QueueStats> byQueue = new LinkedHashMap<>();
            while (rs.next()) {
                String queue = rs.getString(1);
                boolean pending = "PENDING".equals(rs.getString(2));
                long items = rs.getLong(3);
                byQueue.merge(queue, new QueueStats(queue, pending ? items : 0, pending ? rs.getLong(4) : 0, pending ? 0 : items),
                        (a, b) -> new QueueStats(queue, a.pending() + b.pending(), a.oldestAgeSeconds() + b.oldestAgeSeconds(), a.dead() + b.dead()));
            }
            return new ArrayList<>(byQueue.values());
        }
    }

    public List<WorkItem> dead(Connection c, String queue, long afterId, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM plt_work_item "
                + "WHERE queue = ? AND state = 'DEAD' AND id > ? ORDER BY id LIMIT ?")) {
            s.setString(1, queue);
            s.setLong(2, afterId);
            s.setInt(3, limit);
            return read(s);
        }
    }

    public boolean replay(Connection c, String queue, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_work_item SET state = 'PENDING', attempts = 0, "
                + "lease_owner = NULL, next_attempt_at = NOW(6), updated_at = NOW(6) WHERE id = ? AND queue = ? AND state = 'DEAD'")) {
            s.setLong(1, id);
            s.setString(2, queue);
            return s.executeUpdate() == 1;
        }
    }

    public boolean discard(Connection c, String queue, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM plt_work_item WHERE id = ? AND queue = ? AND state = 'DEAD'")) {
            s.setLong(1, id);
            s.setString(2, queue);
            return s.executeUpdate() == 1;
        }
    }

    public Optional<WorkItem> find(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM plt_work_item WHERE id = ?")) {
            s.setLong(1, id);
            return read(s).stream().findFirst();
        }
    }

    private static List<WorkItem> read(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            List<WorkItem> items = new ArrayList<>();
            while (rs.next()) {
                items.add(new WorkItem(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getInt(6), rs.getString(7), Jdbc.instant(rs, 8), rs.getString(9)));
            }
            return items;
        }
    }

    private static long generatedId(PreparedStatement s) throws SQLException {
        try (ResultSet keys = s.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the database returned no id for the new work item");
            }
            return keys.getLong(1);
        }
    }

    private static String placeholders(int n) {
        return Collections.nCopies(n, "?").stream().collect(Collectors.joining(","));
    }

    private static void bind(PreparedStatement s, int first, List<Long> ids) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            s.setLong(first + i, ids.get(i));
        }
    }

    private static String truncate(String error) {
        if (error == null) {
            return null;
        }
        String safe = io.guestbridge.platform.api.Redaction.redact(error);
        return safe.length() <= 2000 ? safe : safe.substring(0, 1997) + "...";
    }
}
