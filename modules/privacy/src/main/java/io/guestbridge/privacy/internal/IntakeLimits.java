package io.guestbridge.privacy.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Rate limits of the public intake, per email and per client address, in fixed hourly windows counted
 * in the database (shared by all instances; the keys are keyed hashes, never the address). The counts
 * are committed on their own, so a refused request still counts. The same limits apply whether or not
 * the email is known: the answer never tells whether someone is a guest.
 */
@ApplicationScoped
public class IntakeLimits {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    SuppressionList hashes;

    @Inject
    Config config;

    @Transactional(value = Transactional.TxType.REQUIRES_NEW, dontRollbackOn = ProblemException.class)
    public void admit(String emailHash, String clientAddress) {
        LocalDateTime window = LocalDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.HOURS), ZoneOffset.UTC);
        long retryAfter = Math.max(1, ChronoUnit.SECONDS.between(Instant.now(), window.plusHours(1).toInstant(ZoneOffset.UTC)));
        int perEmail = count(hashes.keyedHash("privacy-intake/v1", "email:" + emailHash), window);
        int perAddress = count(hashes.keyedHash("privacy-intake/v1", "ip:" + clientAddress), window);
        if (perEmail > config.getOptionalValue("privacy.intake.per-email-per-hour", Integer.class).orElse(3)
                || perAddress > config.getOptionalValue("privacy.intake.per-address-per-hour", Integer.class).orElse(20)) {
            throw new ProblemException(ProblemType.RATE_LIMITED, "Too many requests from this address or for this email; try again in "
                    + (retryAfter / 60 + 1) + " minute(s).", Map.of("retryAfterSeconds", retryAfter));
        }
    }

    private int count(String key, LocalDateTime window) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_intake_counter (counter_key, window_start, hits) VALUES (?, ?, 1) "
                    + "ON DUPLICATE KEY UPDATE hits = hits + 1")) {
                s.setString(1, key);
                s.setObject(2, window);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("SELECT hits FROM prv_intake_counter WHERE counter_key = ? AND window_start = ?")) {
                s.setString(1, key);
                s.setObject(2, window);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
