package io.guestbridge.privacy.internal.exports;

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

/** An access export's content goes when its download link expires (privacy.export.link-days); the row stays as evidence. */
@ApplicationScoped
public class ExpiredExportRetention implements RetentionPurge {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    public String category() {
        return "expired-exports";
    }

    @Override
    public String description() {
        return "content of access exports whose download link expired, this long after the expiry";
    }

    @Override
    public Duration defaultRetention() {
        return Duration.ZERO;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int purge(Instant cutoff, int limit) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_export SET content = NULL, token_hash = NULL "
                    + "WHERE content IS NOT NULL AND expires_at <= ? LIMIT ?")) {
                s.setObject(1, Jdbc.utc(cutoff));
                s.setInt(2, limit);
                return s.executeUpdate();
            }
        });
    }
}
