package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.KeyedBatch;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The find-then-change-by-key batch against a real MariaDB: bounded, parameters bound around the ids, nothing run when nothing is found. */
class KeyedBatchTest {

    private final TestDatabase db = TestDatabase.get();
    private final WorkQueueStore store = new WorkQueueStore();

    @Test
    void changesAtMostABatchOfTheRowsFound_withTheParametersBeforeAndAfterTheIds() throws Exception {
        String from = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        String to = from + "-moved";
        try (Connection c = db.connect()) {
            long first = store.insert(c, from, "{\"n\":1}");
            long second = store.insert(c, from, "{\"n\":2}");
            long third = store.insert(c, from, "{\"n\":3}");
            c.commit();

            KeyedBatch move = KeyedBatch.find("SELECT id FROM plt_work_item WHERE queue = ? ORDER BY id LIMIT ?", from, 2)
                    .change("UPDATE plt_work_item SET queue = ? WHERE id IN (" + KeyedBatch.IDS + ") AND queue = ?", to, from);
            assertEquals(2, move.run(c));
            c.commit();
            assertEquals(to, queueOf(c, first));
            assertEquals(to, queueOf(c, second));
            assertEquals(from, queueOf(c, third), "beyond the batch");
            assertEquals(1, move.run(c));
            assertEquals(0, move.run(c), "nothing found, nothing changed");
            c.commit();
        }
    }

    @Test
    void aChangeWithoutThePlaceForTheIdsIsRefused() {
        KeyedBatch find = KeyedBatch.find("SELECT id FROM plt_work_item LIMIT 1");
        assertThrows(IllegalArgumentException.class, () -> find.change("DELETE FROM plt_work_item WHERE state = 'DEAD'"));
        assertThrows(IllegalArgumentException.class, () -> find.change("DELETE FROM plt_work_item WHERE id IN (:ids) OR id IN (:ids)"));
    }

    private static String queueOf(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT queue FROM plt_work_item WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
