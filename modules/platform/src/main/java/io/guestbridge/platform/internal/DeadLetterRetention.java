package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.KeyedBatch;
import io.guestbridge.platform.api.RetentionPurge;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

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
        // and time would scan the busiest table and wait at every row a queue worker holds, dead or not
        return KeyedBatch.find("SELECT id FROM plt_work_item WHERE state = 'DEAD' AND updated_at < ? LIMIT ?", Jdbc.utc(cutoff), limit)
                .change("DELETE FROM plt_work_item WHERE id IN (" + KeyedBatch.IDS + ") AND state = 'DEAD' AND updated_at < ?", Jdbc.utc(cutoff))
                .run(c);
    }
}
