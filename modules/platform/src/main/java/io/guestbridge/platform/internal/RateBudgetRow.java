package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RateBudget.Rate;
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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The row of a channel's budget, drawn from in one short transaction that locks it for a moment; see {@link DatabaseRateBudget}. */
@ApplicationScoped
public class RateBudgetRow {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Optional<Duration> take(Rate rate) {
        return Jdbc.inConnection(dataSource, "rate budget", c -> take(c, rate, Instant.now()));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void holdOff(Rate rate, Duration delay) {
        Jdbc.inConnection(dataSource, "rate budget", c -> {
            holdOff(c, rate, delay, Instant.now());
            return null;
        });
    }

    /** next_at holds the earliest moment the channel's next request may go. */
    static Optional<Duration> take(Connection c, Rate rate, Instant now) throws SQLException {
        Instant next = lockedNext(c, rate, now);
        if (now.isBefore(next)) {
            return Optional.of(Duration.between(now, next));
        }
        // an idle channel does not bank requests: the next one goes a spacing after this one, never earlier
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_rate_budget SET next_at = ?, taken = taken + 1 WHERE channel = ?")) {
            s.setObject(1, LocalDateTime.ofInstant(now.plus(rate.spacing()), ZoneOffset.UTC));
            s.setString(2, rate.channel());
            s.executeUpdate();
        }
        return Optional.empty();
    }

    static void holdOff(Connection c, Rate rate, Duration delay, Instant now) throws SQLException {
        Instant next = lockedNext(c, rate, now);
        Instant until = now.plus(delay);
        if (until.isAfter(next)) {
            try (PreparedStatement s = c.prepareStatement("UPDATE plt_rate_budget SET next_at = ? WHERE channel = ?")) {
                s.setObject(1, LocalDateTime.ofInstant(until, ZoneOffset.UTC));
                s.setString(2, rate.channel());
                s.executeUpdate();
            }
        }
    }

    private static Instant lockedNext(Connection c, Rate rate, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO plt_rate_budget (channel, next_at, taken) VALUES (?, ?, 0)")) {
            s.setString(1, rate.channel());
            s.setObject(2, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT next_at FROM plt_rate_budget WHERE channel = ? FOR UPDATE")) {
            s.setString(1, rate.channel());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            }
        }
    }
}
