package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.crmsync.api.CrmDesk;
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
        return take(connector, Instant.now());
    }

    Optional<Duration> take(ConnectorSettings connector, Instant now) {
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO crm_rate (connector, window_start, window_count, day, day_count) "
                    + "VALUES (?, ?, 0, ?, 0)")) {
                s.setString(1, connector.name());
                s.setObject(2, Jdbc.utc(now));
                s.setObject(3, today);
                s.executeUpdate();
            }
            Instant windowStart;
            Instant windowOpened;
            int windowCount;
            LocalDate day;
            int dayCount;
            try (PreparedStatement s = c.prepareStatement("SELECT window_start, window_count, day, day_count, window_opened FROM crm_rate "
                    + "WHERE connector = ? FOR UPDATE")) {
                s.setString(1, connector.name());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    windowStart = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                    windowCount = rs.getInt(2);
                    day = rs.getObject(3, LocalDate.class);
                    dayCount = rs.getInt(4);
                    LocalDateTime opened = rs.getObject(5, LocalDateTime.class);
                    windowOpened = opened == null ? null : opened.toInstant(ZoneOffset.UTC);
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
            // the window count only reports how much of the window is used (pacing alone decides whether a request goes)
            if (windowOpened == null || !now.isBefore(windowOpened.plus(connector.window()))) {
                windowOpened = now;
                windowCount = 0;
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE crm_rate SET window_start = ?, window_count = ?, day = ?, day_count = ?, "
                    + "window_opened = ? WHERE connector = ?")) {
                s.setObject(1, Jdbc.utc(windowStart));
                s.setInt(2, windowCount + 1);
                s.setObject(3, day);
                s.setInt(4, dayCount + 1);
                s.setObject(5, Jdbc.utc(windowOpened));
                s.setString(6, connector.name());
                s.executeUpdate();
            }
            return Optional.<Duration>empty();
        });
    }

    /** The budget's use at {@code now}, read without a lock: a moment's view for people, never a basis for taking. */
    CrmDesk.RequestBudget use(ConnectorSettings connector, Instant now) {
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            Instant dayResetsAt = today.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            int usedInWindow = 0;
            Instant windowResetsAt = null;
            int usedToday = 0;
            Instant nextRequestAt = null;
            try (PreparedStatement s = c.prepareStatement("SELECT window_start, window_count, day, day_count, window_opened FROM crm_rate WHERE connector = ?")) {
                s.setString(1, connector.name());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        Instant windowStart = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                        LocalDateTime opened = rs.getObject(5, LocalDateTime.class);
                        if (opened != null && now.isBefore(opened.toInstant(ZoneOffset.UTC).plus(connector.window()))) {
                            usedInWindow = rs.getInt(2);
                            windowResetsAt = opened.toInstant(ZoneOffset.UTC).plus(connector.window());
                        }
                        if (today.equals(rs.getObject(3, LocalDate.class))) {
                            usedToday = rs.getInt(4);
                        }
                        if (now.isBefore(windowStart)) {
                            nextRequestAt = windowStart;
                        }
                    }
                }
            }
            if (usedToday >= connector.dailyLimit()) {
                nextRequestAt = dayResetsAt;
            }
            return new CrmDesk.RequestBudget(connector.windowRequests(), connector.window().toMillis(), usedInWindow, windowResetsAt,
                    connector.dailyLimit(), usedToday, dayResetsAt, nextRequestAt);
        });
    }
}
