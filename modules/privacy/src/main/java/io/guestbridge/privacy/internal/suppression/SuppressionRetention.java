package io.guestbridge.privacy.internal.suppression;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RetentionPurge;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * An erased subject stays on the suppression list (a keyed hash and the erasure time) so that events from before the
 * erasure cannot bring the person back: a sender's retries, a late booking update, an old export imported again. A
 * keyed hash is still pseudonymous data about the person, so it goes too, once nothing from before the erasure can
 * plausibly arrive any more: by default three years, longer than senders retry and than the exports venues keep.
 * An event from before the erasure that arrives after its entry went is processed as a new guest.
 */
@ApplicationScoped
public class SuppressionRetention implements RetentionPurge {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    public String category() {
        return "suppression-records";
    }

    @Override
    public String description() {
        return "erased subjects' entries on the suppression list (a keyed hash and the erasure time), by the erasure time";
    }

    @Override
    public Duration defaultRetention() {
        return Duration.ofDays(1_095);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int purge(Instant cutoff, int limit) {
        return Jdbc.inConnection(dataSource, "privacy", c -> purge(c, cutoff, limit));
    }

    static int purge(Connection c, Instant cutoff, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM prv_suppression WHERE erased_at < ? ORDER BY erased_at LIMIT ?")) {
            s.setObject(1, Jdbc.utc(cutoff));
            s.setInt(2, limit);
            return s.executeUpdate();
        }
    }
}
