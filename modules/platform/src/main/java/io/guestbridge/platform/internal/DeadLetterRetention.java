package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RetentionPurge;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
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
        return Jdbc.inConnection(dataSource, "work queue", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM plt_work_item WHERE state = 'DEAD' AND updated_at < ? LIMIT ?")) {
                s.setObject(1, Jdbc.utc(cutoff));
                s.setInt(2, limit);
                return s.executeUpdate();
            }
        });
    }
}
