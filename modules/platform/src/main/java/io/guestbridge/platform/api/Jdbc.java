package io.guestbridge.platform.api;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Runs SQL on a connection of the application's database, inside whatever JTA transaction the caller
 * is in. A database error becomes an unchecked exception that names its SQL state and code but not the
 * statement or its values, which may hold personal data.
 *
 * <p>Inside a transaction, every call gets the transaction's one connection, taken from the pool once
 * and closed when the transaction ends. Asking the pool again for a connection the transaction already
 * holds is not free: Payara queues such a request behind threads waiting for a connection, so under a
 * burst a transaction holding the audit chain's lock could wait for the pool while the pool's connections
 * all wait for that lock (seen in the erasure benchmark: 32 concurrent requests, 10 s pool timeouts, 50 s
 * lock waits). With one connection per transaction that cycle cannot form.
 */
public final class Jdbc {

    private static final Object CONNECTION = Jdbc.class.getName() + ".connection";

    private static volatile TransactionSynchronizationRegistry registry;

    private Jdbc() {
    }

    /**
     * An instant as the DATETIME columns hold it: every time in the database is UTC, whatever the zone of the
     * server or of the database session.
     */
    public static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * A DATETIME column as the UTC wall time it holds, or null. Read with {@code getTimestamp} and a calendar in UTC, so
     * the driver parses the text it received and builds the time in UTC. Not with {@code getObject(column,
     * LocalDateTime.class)}: Payara's result-set wrapper answers that JDBC 4.1 method by looking the driver's method up
     * reflectively on every call, after a failed lookup with its exception, and that was an eighth of the server's CPU
     * in a CRM sync reading a few hundred field values per batch. Nor with {@code getString}: the driver parses the
     * text into a time, converts it to a zoned time and formats it back (its fraction with {@code String.format}): a
     * fifth of the samples of a JFR recording of the same sync, and 5 % of the server's CPU per contact measured without
     * the recording; and in a zone with daylight saving it moved a time in the skipped hour, as {@code getTimestamp}
     * without a calendar does.
     */
    public static LocalDateTime dateTime(java.sql.ResultSet rs, int column) throws SQLException {
        java.sql.Timestamp t = rs.getTimestamp(column, UTC_CALENDAR.get());
        return t == null ? null : LocalDateTime.ofEpochSecond(Math.floorDiv(t.getTime(), 1000), t.getNanos(), ZoneOffset.UTC);
    }

    /**
     * The calendar the driver builds times in: UTC, and Gregorian all the way back (as {@link LocalDateTime} is), not
     * Julian before 1582 as a {@link java.util.GregorianCalendar} is by default. The driver sets its fields for each
     * value it reads, so each thread has its own.
     */
    private static final ThreadLocal<java.util.Calendar> UTC_CALENDAR = ThreadLocal.withInitial(() -> {
        java.util.GregorianCalendar utc = new java.util.GregorianCalendar(java.util.TimeZone.getTimeZone(ZoneOffset.UTC));
        utc.setGregorianChange(new java.util.Date(Long.MIN_VALUE));
        return utc;
    });

    /** A DATETIME column as the instant it holds (every time in the database is UTC), or null; read as {@link #dateTime}. */
    public static Instant instant(java.sql.ResultSet rs, int column) throws SQLException {
        LocalDateTime value = dateTime(rs, column);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** A DATE column as the date it holds, or null; read as text: {@code getDate} builds the date in the JVM's default zone. */
    public static java.time.LocalDate date(java.sql.ResultSet rs, int column) throws SQLException {
        String text = rs.getString(column);
        if (text == null) {
            return null;
        }
        try {
            if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
                throw new IllegalArgumentException("not yyyy-MM-dd");
            }
            return java.time.LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
        } catch (RuntimeException e) {
            throw new SQLException("a DATE column held no date of the form yyyy-MM-dd", "22007", e);
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a digit");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Called once by the platform at start-up; without it (unit tests) every call asks the data source. */
    public static void useTransactionRegistry(TransactionSynchronizationRegistry transactions) {
        registry = transactions;
    }

    public static <T> T inConnection(DataSource dataSource, String what, Work<T> work) {
        try {
            Connection shared = transactionConnection(dataSource);
            if (shared != null) {
                return work.apply(shared);
            }
            try (Connection c = dataSource.getConnection()) {
                return work.apply(c);
            }
        } catch (SQLException e) {
            String message = what + ": database error " + e.getSQLState() + " (" + e.getErrorCode() + ")";
            throw TransientDatabaseException.isTransient(e) ? new TransientDatabaseException(message, e) : new IllegalStateException(message, e);
        }
    }

    /**
     * One statement with positional parameters, on the connection {@link #inConnection} gives; returns the rows it
     * changed. For the single deletes and updates (a module's part of an erasure) that needed a whole block each.
     */
    public static int update(DataSource dataSource, String what, String sql, Object... parameters) {
        return inConnection(dataSource, what, c -> {
            try (java.sql.PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                return s.executeUpdate();
            }
        });
    }

    /** The running transaction's connection (taken now if it has none yet); null outside a transaction. */
    private static Connection transactionConnection(DataSource dataSource) throws SQLException {
        TransactionSynchronizationRegistry transactions = registry;
        if (transactions == null || transactions.getTransactionKey() == null) {
            return null;
        }
        int status = transactions.getTransactionStatus();
        if (status != Status.STATUS_ACTIVE && status != Status.STATUS_MARKED_ROLLBACK) {
            return null;
        }
        Connection c = (Connection) transactions.getResource(CONNECTION);
        if (c == null) {
            Connection taken = dataSource.getConnection();
            transactions.putResource(CONNECTION, taken);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    // the connection serves the other synchronizations' last writes (the audit records)
                }

                @Override
                public void afterCompletion(int outcome) {
                    try {
                        taken.close();
                    } catch (SQLException e) {
                        // the transaction is over; the pool validates the connection before it lends it again
                    }
                }
            });
            c = taken;
        }
        return c;
    }

    /**
     * Fails unless the connection is enlisted in a transaction (autocommit off). Writers that must be
     * atomic with their caller's other work call it: a pool that hands out unenlisted connections (as
     * Payara does to threads without a component invocation unless non-component callers are allowed)
     * would otherwise commit each statement on its own, silently.
     */
    public static void requireTransaction(Connection c, String what) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException(what + ": the connection is not enlisted in a transaction (autocommit is on) on thread "
                    + Thread.currentThread().getName());
        }
    }

    /**
     * The statement, planned with its IN lists counted in the index itself: MariaDB looks each value up while it plans
     * (an index dive) instead of estimating from the table's statistics, whatever the session's dive limit. For a batch
     * read by a column that is not unique on its own (a guest's field rows, devices, visits, stays, CRM links, consent
     * decisions, a request's events): statistics of such a column are sampled and lag a table that grows fast, and while
     * they said that one guest had thousands of field rows MariaDB read whole tables for each processing chunk. Lookups
     * by a unique key need no dive (one row per value, exactly).
     */
    public static String withIndexDives(String sql) {
        return "SET STATEMENT eq_range_index_dive_limit = 0 FOR " + sql;
    }

    /**
     * Runs {@code work} with the session variable {@code @flag} set to 1, and sets it back to NULL before returning, also
     * when the work fails: the connection goes back to the pool, and the next transaction on it must not inherit the
     * flag. A trigger that guards an append-only table lets through only the statements made under its flag (the
     * consent ledger's erasure, the audit sequencer's move of waiting records): a table's one sanctioned deletion says
     * so this way, and a stray statement from a console does not.
     */
    public static <T> T withSessionFlag(Connection c, String flag, Work<T> work) throws SQLException {
        if (!flag.matches("[a-z][a-z_]{0,63}")) {
            throw new IllegalArgumentException("a session flag is a lower-case name of letters and underscores: " + flag);
        }
        try (java.sql.Statement say = c.createStatement()) {
            say.execute("SET @" + flag + " = 1");
            try {
                return work.apply(c);
            } finally {
                say.execute("SET @" + flag + " = NULL");
            }
        }
    }

    /** SQL work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }
}
