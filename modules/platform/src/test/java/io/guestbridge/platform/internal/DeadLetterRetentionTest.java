package io.guestbridge.platform.internal;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dead-letter purge against a real MariaDB: what it removes, that it does not wait on items workers hold, nor hold up publishers. */
class DeadLetterRetentionTest {

    private final TestDatabase db = TestDatabase.get();
    private final WorkQueueStore store = new WorkQueueStore();
    private final DeadLetterRetention retention = new DeadLetterRetention();

    @Test
    void onlyDeadItemsOlderThanTheCutoffGoWithoutWaitingOnWorkersOrHoldingPublishers() throws Exception {
        String queue = "retention-" + UUID.randomUUID().toString().substring(0, 8);
        long oldDead;
        long recentDead;
        long oldPending;
        try (Connection c = db.connect()) {
            oldDead = store.insert(c, queue, "{\"n\":1}");
            recentDead = store.insert(c, queue, "{\"n\":2}");
            oldPending = store.insert(c, queue, "{\"n\":3}");
            update(c, "UPDATE plt_work_item SET state = 'DEAD', updated_at = NOW(6) - INTERVAL 40 DAY WHERE id = " + oldDead);
            update(c, "UPDATE plt_work_item SET state = 'DEAD' WHERE id = " + recentDead);
            update(c, "UPDATE plt_work_item SET updated_at = NOW(6) - INTERVAL 40 DAY WHERE id = " + oldPending);
            c.commit();
        }
        Instant cutoff = Instant.now().minus(Duration.ofDays(30));
        try (Connection worker = db.connect(); Connection purging = db.connect(); Connection publishing = db.connect()) {
            // a queue worker holds a pending item, as it does for the length of its handler's transaction
            update(worker, "SELECT id FROM plt_work_item WHERE id = " + oldPending + " FOR UPDATE");
            update(purging, "SET SESSION innodb_lock_wait_timeout = 2");
            long started = System.nanoTime();
            assertEquals(1, retention.purge(purging, cutoff, 100), "the one dead item past the cutoff, without waiting for the worker");
            assertTrue(System.nanoTime() - started < Duration.ofMillis(1500).toNanos(), "the purge waited on a worker's item");
            // the purge's transaction is still open: a queue's publisher gets its row in without waiting on it
            update(publishing, "SET SESSION innodb_lock_wait_timeout = 2");
            long published = store.insert(publishing, queue, "{\"n\":4}");
            publishing.commit();
            assertTrue(published > 0);
            purging.commit();
            worker.commit();
        }
        try (Connection c = db.connect()) {
            assertEquals(0, count(c, "SELECT COUNT(*) FROM plt_work_item WHERE id = " + oldDead));
            assertEquals(3, count(c, "SELECT COUNT(*) FROM plt_work_item WHERE queue = '" + queue + "'"), "the recent dead, the pending and the new item stay");
        }
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
