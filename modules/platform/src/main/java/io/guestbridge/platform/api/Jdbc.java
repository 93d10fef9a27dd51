package io.guestbridge.platform.api;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs SQL on a connection of the data source, inside whatever JTA transaction the caller is in (the
 * container enlists the connection). A database error becomes an unchecked exception that names its
 * SQL state and code but not the statement or its values, which may hold personal data.
 */
public final class Jdbc {

    private Jdbc() {
    }

    public static <T> T inConnection(DataSource dataSource, String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new IllegalStateException(what + ": database error " + e.getSQLState() + " (" + e.getErrorCode() + ")", e);
        }
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
