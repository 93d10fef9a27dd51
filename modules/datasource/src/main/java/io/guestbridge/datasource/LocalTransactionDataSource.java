package io.guestbridge.datasource;

import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;

/**
 * MariaDB's data source as a plain {@link DataSource}, so the container manages it as a local-transaction
 * resource rather than an XA one. {@code MariaDbDataSource} also implements {@code XADataSource}; given
 * that class, the container pools XA connections, and a transaction that ends up on two physical
 * connections is committed in two phases: atomic in normal operation, but a SIGKILL between the two
 * commits leaves one half committed and the other prepared, and the restarted server (whose transaction
 * log lived in a temporary directory) rolls that half back. Every transaction here uses one database,
 * so one connection and one local commit is both correct and cheaper; if anything ever tried to use a
 * second connection inside a transaction, the container refuses it loudly instead of splitting it.
 *
 * <p>Each connection comes wrapped in {@link LazyAutoCommit}, which spares the two autocommit switches the container sends
 * around every transaction when transactions follow each other on a connection.
 *
 * <p>A jar of its own, because the container creates the pool with the application's outermost class
 * loader: in an EAR that is the EAR's lib/, which does not see the WAR's classes.
 */
public class LocalTransactionDataSource implements DataSource {

    private final MariaDbDataSource delegate = new MariaDbDataSource();

    public void setUrl(String url) throws SQLException {
        delegate.setUrl(withServerPreparedStatements(url));
    }

    /**
     * Prepared statements cached per connection, beyond which the least recently used is closed on the server. MariaDB holds at
     * most 16,382 prepared statements at once (max_prepared_stmt_count) for all sessions together: the two pools (64 and
     * 16 connections) at 100 each stay well within it, where the driver's default of 250 would not.
     */
    static final int PREPARED_STATEMENTS_PER_CONNECTION = 100;

    /**
     * The URL with statements prepared by the server, unless it says otherwise. The driver's default sends each statement
     * as text with its values written in: the database then lexes and parses every statement anew, string values
     * included (about 8 % of its CPU while processing the inbox). Prepared on the server and kept per connection, a
     * statement is parsed once and its values travel in binary; in bench/processing the database's CPU per event fell by
     * about a tenth.
     */
    static String withServerPreparedStatements(String url) {
        if (url == null || url.contains("useServerPrepStmts=")) {
            return url;
        }
        String options = "useServerPrepStmts=true"
                + (url.contains("prepStmtCacheSize=") ? "" : "&prepStmtCacheSize=" + PREPARED_STATEMENTS_PER_CONNECTION);
        return url + (url.contains("?") ? "&" : "?") + options;
    }

    public String getUrl() {
        return delegate.getUrl();
    }

    public void setUser(String user) throws SQLException {
        delegate.setUser(user);
    }

    public String getUser() {
        return delegate.getUser();
    }

    public void setPassword(String password) throws SQLException {
        delegate.setPassword(password);
    }

    /**
     * From how many values on an index an IN list's rows are estimated from the index's statistics instead of by looking
     * each value up in the index (an "index dive" per value, while the statement is planned). The statements here look up
     * batches of 50 to 500 keys (work items, guests, CRM links, coalesce keys) by a primary or unique key or one close to
     * it; MariaDB's own limit is 200, and below it the dives took 5 % of the database's CPU during a three-CRM drain.
     *
     * <p>Statistics are exact for a unique key only. For a column that is not unique on its own (the first column of a
     * guest's field rows' key, devices, visits) they come from sampled pages and lag a growing table: during processing
     * they said that a guest had thousands of field rows, and MariaDB read whole tables instead of 128 ranges. So every
     * batch lookup by such a column asks for dives in its own statement ({@code Jdbc.withIndexDives}), and its test
     * checks the rows it reads under statistics that say the worst.
     */
    static final int INDEX_DIVE_LIMIT = 10;

    @Override
    public Connection getConnection() throws SQLException {
        return prepared(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return prepared(delegate.getConnection(username, password));
    }

    /** A new physical connection with this application's session settings. */
    private static Connection prepared(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION eq_range_index_dive_limit = " + INDEX_DIVE_LIMIT);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return LazyAutoCommit.over(connection);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
