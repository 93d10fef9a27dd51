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

    /** SQL work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }
}
