package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RateBudget;
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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The row of a channel's budget, drawn from in one short transaction that locks it for a moment; see {@link DatabaseRateBudget}. */
@ApplicationScoped
public class RateBudgetRow {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    /**
     * What a take answered: taken at a moment (by the taker's clock, read once the row was locked, or the channel's next
     * moment, held for a taker that came a little before it), or a wait.
     */
    record Answer(Instant takenAt, Duration delay) {

        static Answer taken(Instant at) {
            return new Answer(at, null);
        }

        static Answer waitFor(Duration delay) {
            return new Answer(null, delay);
        }

        Optional<Duration> asWait() {
            return Optional.ofNullable(delay);
        }
    }

    /**
     * A take of each of {@code rates} in one transaction, answered in their order. The rows are locked in the order of
     * their channels, whatever the order asked: two transactions taking from the same channels then wait for each other
     * rather than each holding a row the other needs. A channel named more than once gives as many moments, each taken
     * from its row as the take before it left it (a spacing apart while they fall within {@code ahead}).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<Answer> takeAll(List<Rate> rates, Duration ahead) {
        return Jdbc.inConnection(dataSource, "rate budget", c -> takeAll(c, rates, Instant::now, ahead));
    }

    /** {@link #takeAll(List, Duration)} in the caller's transaction. */
    static List<Answer> takeAll(Connection c, List<Rate> rates, java.util.function.Supplier<Instant> clock, Duration ahead) throws SQLException {
        Integer[] byChannel = new Integer[rates.size()];
        for (int i = 0; i < byChannel.length; i++) {
            byChannel[i] = i;
        }
        Arrays.sort(byChannel, Comparator.comparing(i -> rates.get(i).channel())); // stable: one channel's moments in the order asked
        Answer[] answers = new Answer[rates.size()];
        for (int i : byChannel) {
            answers[i] = answer(c, rates.get(i), clock, ahead);
        }
        return List.of(answers);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void holdOff(Rate rate, Duration delay) {
        Jdbc.inConnection(dataSource, "rate budget", c -> {
            holdOff(c, rate, delay, Instant::now);
            return null;
        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    RateBudget.Use use(Rate rate) {
        return Jdbc.inConnection(dataSource, "rate budget", c -> use(c, rate, Instant.now()));
    }

    /**
     * next_at holds the earliest moment the channel's next request may go; window_count counts the requests since
     * window_opened (it only reports how much of the window is used: pacing alone decides whether a request goes),
     * day_count those of the UTC day {@code day}, which the daily cap limits.
     */
    static Optional<Duration> take(Connection c, Rate rate, Instant now) throws SQLException {
        return take(c, rate, () -> now);
    }

    /** As {@link #take(Connection, Rate, Instant)}, holding the channel's next moment when it is due within {@code ahead}. */
    static Answer take(Connection c, Rate rate, Instant now, Duration ahead) throws SQLException {
        return answer(c, rate, () -> now, ahead);
    }

    /**
     * As {@link #take(Connection, Rate, Instant)}, with the time read once the row is locked: a time read before
     * waiting for the lock (other instances' takes hold it, each until its commit is certified by the cluster) is
     * stale by that wait, and a next_at set from it lets the following request go less than a spacing after this
     * one; on two instances draining one connector the CRM saw six requests within a second of a 5-a-second budget.
     */
    static Optional<Duration> take(Connection c, Rate rate, java.util.function.Supplier<Instant> clock) throws SQLException {
        return answer(c, rate, clock, Duration.ZERO).asWait();
    }

    /**
     * As {@link #take(Connection, Rate, java.util.function.Supplier)}, with the moment of a take that went; a taker that
     * comes at most {@code ahead} before the channel's next moment is given that moment, and the one after it is a
     * spacing later. Requests then go exactly a spacing apart while the channel is busy, whatever each taker's round
     * trip: from the moment each taker came back instead, every request would add that round trip to the spacing.
     */
    static Answer answer(Connection c, Rate rate, java.util.function.Supplier<Instant> clock, Duration ahead) throws SQLException {
        Row row = locked(c, rate, clock.get());
        Instant now = clock.get();
        Instant at = now;
        if (now.isBefore(row.next())) {
            Duration gap = Duration.between(now, row.next());
            if (gap.compareTo(ahead) > 0) {
                return Answer.waitFor(gap);
            }
            at = row.next();
        }
        LocalDate today = LocalDate.ofInstant(at, ZoneOffset.UTC);
        int dayCount = today.equals(row.day()) ? row.dayCount() : 0;
        if (dayCount >= rate.perDay()) {
            return Answer.waitFor(Duration.between(now, midnightAfter(today)));
        }
        boolean windowPassed = row.windowOpened() == null || !at.isBefore(row.windowOpened().plus(rate.window()));
        // an idle channel does not bank requests: the next one goes a spacing after this one, never earlier
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_rate_budget SET next_at = ?, taken = taken + 1, "
                + "window_opened = ?, window_count = ?, day = ?, day_count = ? WHERE channel = ?")) {
            s.setObject(1, Jdbc.utc(at.plus(rate.spacing())));
            s.setObject(2, Jdbc.utc(windowPassed ? at : row.windowOpened()));
            s.setInt(3, (windowPassed ? 0 : row.windowCount()) + 1);
            s.setObject(4, today);
            s.setInt(5, dayCount + 1);
            s.setString(6, rate.channel());
            s.executeUpdate();
        }
        return Answer.taken(at);
    }

    /** The channel's use at {@code now}, read without a lock. */
    static RateBudget.Use use(Connection c, Rate rate, Instant now) throws SQLException {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant dayResetsAt = midnightAfter(today);
        int usedInWindow = 0;
        Instant windowResetsAt = null;
        int usedToday = 0;
        Instant nextRequestAt = null;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT next_at, window_opened, window_count, day, day_count FROM plt_rate_budget WHERE channel = ?")) {
            s.setString(1, rate.channel());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    Row row = row(rs);
                    if (row.windowOpened() != null && now.isBefore(row.windowOpened().plus(rate.window()))) {
                        usedInWindow = row.windowCount();
                        windowResetsAt = row.windowOpened().plus(rate.window());
                    }
                    if (today.equals(row.day())) {
                        usedToday = row.dayCount();
                    }
                    if (now.isBefore(row.next())) {
                        nextRequestAt = row.next();
                    }
                }
            }
        }
        if (usedToday >= rate.perDay()) {
            nextRequestAt = dayResetsAt;
        }
        return new RateBudget.Use(usedInWindow, windowResetsAt, usedToday, dayResetsAt, nextRequestAt);
    }

    static void holdOff(Connection c, Rate rate, Duration delay, Instant now) throws SQLException {
        holdOff(c, rate, delay, () -> now);
    }

    /** As {@link #holdOff(Connection, Rate, Duration, Instant)}, the delay counted from the moment the row is locked. */
    static void holdOff(Connection c, Rate rate, Duration delay, java.util.function.Supplier<Instant> clock) throws SQLException {
        Instant next = lockedNext(c, rate, clock.get());
        Instant until = clock.get().plus(delay);
        if (until.isAfter(next)) {
            try (PreparedStatement s = c.prepareStatement("UPDATE plt_rate_budget SET next_at = ? WHERE channel = ?")) {
                s.setObject(1, LocalDateTime.ofInstant(until, ZoneOffset.UTC));
                s.setString(2, rate.channel());
                s.executeUpdate();
            }
        }
    }

    private static Instant lockedNext(Connection c, Rate rate, Instant now) throws SQLException {
        return locked(c, rate, now).next();
    }

    private record Row(Instant next, Instant windowOpened, int windowCount, LocalDate day, int dayCount) {
    }

    /**
     * The channel's row, locked; made first if the channel has none yet. Locked straight away, not inserted-if-missing
     * first: an insert that finds the row takes a shared lock on it, two takers holding one each then both wait to lock it
     * for the update, and the database rolls one back as a deadlock (retried, but a tenth of a second late), besides the
     * round trip every take spent on it.
     */
    private static Row locked(Connection c, Rate rate, Instant now) throws SQLException {
        Optional<Row> row = lockedRow(c, rate);
        if (row.isPresent()) {
            return row.get();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO plt_rate_budget (channel, next_at, taken) VALUES (?, ?, 0)")) {
            s.setString(1, rate.channel());
            s.setObject(2, Jdbc.utc(now));
            s.executeUpdate();
        }
        return lockedRow(c, rate).orElseThrow(() -> new SQLException("the rate budget's row of " + rate.channel() + " was not made"));
    }

    private static Optional<Row> lockedRow(Connection c, Rate rate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT next_at, window_opened, window_count, day, day_count FROM plt_rate_budget WHERE channel = ? FOR UPDATE")) {
            s.setString(1, rate.channel());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        Instant opened = Jdbc.instant(rs, 2);
        return new Row(Jdbc.instant(rs, 1), opened,
                rs.getInt(3), Jdbc.date(rs, 4), rs.getInt(5));
    }

    private static Instant midnightAfter(LocalDate day) {
        return day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
