package io.guestbridge.privacy.internal.portal;

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

/** One-time codes (proofs that an address is the subject's): a day is ample to enter a code mailed minutes before. */
@ApplicationScoped
public class VerificationCodeRetention implements RetentionPurge {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    public String category() {
        return "verification-codes";
    }

    @Override
    public String description() {
        return "one-time codes mailed to prove an address (privacy center), by when they were created";
    }

    @Override
    public Duration defaultRetention() {
        return Duration.ofDays(1);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int purge(Instant cutoff, int limit) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM prv_challenge WHERE created_at < ? LIMIT ?")) {
                s.setObject(1, Jdbc.utc(cutoff));
                s.setInt(2, limit);
                return s.executeUpdate();
            }
        });
    }
}
