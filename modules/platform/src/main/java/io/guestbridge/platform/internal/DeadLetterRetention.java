package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RetentionPurge;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Dead work items (dead letters) wait for a person to replay or discard them; one nobody looked at for 30 days (the
 * default) is not going to be replayed, and it still names a guest, so it goes.
 */
@ApplicationScoped
public class DeadLetterRetention implements RetentionPurge {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    public String category() {
        return "dead-letters";
    }

    @Override
    public String description() {
        return "work items that died after their last attempt (CRM sync, privacy steps, notices …), by their last change";
    }

    @Override
    public Duration defaultRetention() {
        return Duration.ofDays(30);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int purge(Instant cutoff, int limit) {
        return Jdbc.inConnection(dataSource, "work queue", c -> purge(c, cutoff, limit));
    }

    int purge(Connection c, Instant cutoff, int limit) throws SQLException {
        // found by a plain read, then deleted by primary key: no index leads with state, so a DELETE filtered on state
        // and time scans the busiest table and waits at every row a queue worker holds, dead or not, until its lock
        // wait runs out (it did, every round, while a large import was processed)
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM plt_work_item WHERE state = 'DEAD' AND updated_at < ? LIMIT ?")) {
            s.setObject(1, Jdbc.utc(cutoff));
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM plt_work_item WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") AND state = 'DEAD' AND updated_at < ?")) {
            int i = 1;
            for (long id : ids) {
                s.setLong(i++, id);
            }
            s.setObject(i, Jdbc.utc(cutoff));
            return s.executeUpdate();
        }
    }
}
