package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The row of a connector's request budget in {@code crm_rate}, drawn from in one short transaction that locks
 * it for a moment; see {@link RequestBudget}.
 */
@ApplicationScoped
public class BudgetRow {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    /** Takes one request from the budget; empty when taken, else how long until one is available. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Optional<Duration> take(ConnectorSettings connector) {
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            Instant now = Instant.now();
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO crm_rate (connector, window_start, window_count, day, day_count) "
                    + "VALUES (?, ?, 0, ?, 0)")) {
                s.setString(1, connector.name());
                s.setObject(2, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
                s.setObject(3, today);
                s.executeUpdate();
            }
            Instant windowStart;
            int windowCount;
            LocalDate day;
            int dayCount;
            try (PreparedStatement s = c.prepareStatement("SELECT window_start, window_count, day, day_count FROM crm_rate WHERE connector = ? FOR UPDATE")) {
                s.setString(1, connector.name());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    windowStart = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                    windowCount = rs.getInt(2);
                    day = rs.getObject(3, LocalDate.class);
                    dayCount = rs.getInt(4);
                }
            }
            if (!day.equals(today)) {
                day = today;
                dayCount = 0;
            }
            if (dayCount >= connector.dailyLimit()) {
                return Optional.of(Duration.between(now, today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
            }
            // paced, not bursted: one request per window/N. A fixed window that resets lets 2N requests through
            // around its boundary, which the CRM's own rolling window answers with 429s; pacing never does.
            // window_start holds the earliest moment the next request may go.
            Duration spacing = connector.window().dividedBy(connector.windowRequests());
            if (now.isBefore(windowStart)) {
                return Optional.of(Duration.between(now, windowStart));
            }
            windowStart = (windowStart.isBefore(now.minus(spacing)) ? now : windowStart).plus(spacing);
            try (PreparedStatement s = c.prepareStatement("UPDATE crm_rate SET window_start = ?, window_count = ?, day = ?, day_count = ? WHERE connector = ?")) {
                s.setObject(1, LocalDateTime.ofInstant(windowStart, ZoneOffset.UTC));
                s.setInt(2, windowCount + 1);
                s.setObject(3, day);
                s.setInt(4, dayCount + 1);
                s.setString(5, connector.name());
                s.executeUpdate();
            }
            return Optional.<Duration>empty();
        });
    }
}
