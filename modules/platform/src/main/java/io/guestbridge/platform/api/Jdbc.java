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

    /** SQL work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection c) throws SQLException;
    }
}
