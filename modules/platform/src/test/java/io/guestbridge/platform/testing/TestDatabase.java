package io.guestbridge.platform.testing;

import io.guestbridge.launcher.EmbeddedMariaDb;
import io.guestbridge.platform.api.KeyVault;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.internal.CachingKeyVault;
import org.flywaydb.core.Flyway;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One real MariaDB per test JVM (the launcher's embedded server), with a fresh database migrated by
 * the same Flyway migrations as production ({@code db/migration} at the top of the repository), and a
 * fresh key store beside it ({@code db/keys}), each reached as its own user, as in production.
 */
public final class TestDatabase {

    private static TestDatabase instance;

    private final EmbeddedMariaDb server;
    private final String url;

    private TestDatabase(EmbeddedMariaDb server, String url) {
        this.server = server;
        this.url = url;
    }

    /** The shared database; the first call starts the server and migrates a fresh schema. */
    public static synchronized TestDatabase get() {
        if (instance == null) {
            Path home = Path.of("target", "test-mariadb").toAbsolutePath();
            // unit tests check SQL, not MariaDB's file encryption (the integration tests do): no plugin to fetch
            EmbeddedMariaDb server = EmbeddedMariaDb.start(home, 0,
                    new EmbeddedMariaDb.Options(home.resolve("secrets"), EmbeddedMariaDb.Encryption.OFF, home.resolve("plugin"), false));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-mariadb-stop"));
            server.admin("DROP DATABASE IF EXISTS " + EmbeddedMariaDb.DATABASE + ";\n"
                    + "CREATE DATABASE " + EmbeddedMariaDb.DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n"
                    + "DROP DATABASE IF EXISTS " + EmbeddedMariaDb.KEYS_DATABASE + ";\n"
                    + "CREATE DATABASE " + EmbeddedMariaDb.KEYS_DATABASE + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n");
            String url = server.jdbcUrl();
            Flyway.configure().dataSource(url, EmbeddedMariaDb.USER, server.password())
                    .locations("filesystem:" + migrations()).load().migrate();
            Flyway.configure().dataSource(server.keysJdbcUrl(), EmbeddedMariaDb.KEYS_USER, server.keysPassword())
                    .locations("filesystem:" + migrations().resolveSibling("keys")).table("gbk_schema_history").load().migrate();
            instance = new TestDatabase(server, url);
        }
        return instance;
    }

    public String url() {
        return url;
    }

    /** A new connection with auto-commit off: the caller commits. */
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, EmbeddedMariaDb.USER, server.password());
        c.setAutoCommit(false);
        // the server's data source runs READ COMMITTED too: no gap locks between claimers
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return c;
    }

    /** The data database's data source, as the server's user (every statement commits by itself unless the caller says otherwise). */
    public DataSource dataSource() {
        try {
            MariaDbDataSource data = new MariaDbDataSource(url);
            data.setUser(EmbeddedMariaDb.USER);
            data.setPassword(server.password());
            return data;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key store's data source (its own database and user; every statement commits by itself, as in the server). */
    public DataSource keys() {
        try {
            MariaDbDataSource keys = new MariaDbDataSource(server.keysJdbcUrl());
            keys.setUser(EmbeddedMariaDb.KEYS_USER);
            keys.setPassword(server.keysPassword());
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key vault over the test key store, wrapping keys under this master key, with a cache of its own. */
    public KeyVault vault(SecretBox master) {
        return CachingKeyVault.over(keys(), master);
    }

    public EmbeddedMariaDb server() {
        return server;
    }

    /** Work on the database that a plan test measures; it opens its own connections. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /**
     * The rows of {@code table} that {@code work} reads, by any path, when MariaDB plans it at its worst: every IN list
     * estimated from statistics alone (index dive limit 1, for connections opened during the work) and statistics that
     * say each index's leading columns hold a single value in the whole table, as sampling can say of a table that grows
     * fast. A lookup that uses the right index reads about the rows it returns; a whole-table read or a too-short index
     * prefix reads many more. Counted by MariaDB's table statistics ({@code userstat}); the statistics are measured again
     * and the dive limit restored afterwards.
     */
    public long rowsReadUnderWorstStatistics(String table, Work work) throws Exception {
        String qualified = EmbeddedMariaDb.DATABASE + "." + table;
        server.admin("ANALYZE TABLE " + qualified + ";\n"
                + "UPDATE mysql.innodb_index_stats SET stat_value = 1 WHERE database_name = '" + EmbeddedMariaDb.DATABASE
                + "' AND table_name = '" + table + "' AND stat_name LIKE 'n\\_diff\\_pfx%';\n"
                + "FLUSH TABLES " + qualified + ";\n"
                + "SET GLOBAL eq_range_index_dive_limit = 1;\n"
                + "SET GLOBAL userstat = 1;\n"
                + "FLUSH TABLE_STATISTICS;\n");
        try {
            work.run();
            try (Connection c = connect(); java.sql.PreparedStatement s = c.prepareStatement(
                    "SELECT COALESCE((SELECT ROWS_READ FROM information_schema.TABLE_STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?), 0)")) {
                s.setString(1, EmbeddedMariaDb.DATABASE);
                s.setString(2, table);
                try (java.sql.ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        } finally {
            server.admin("SET GLOBAL userstat = 0;\n"
                    + "SET GLOBAL eq_range_index_dive_limit = DEFAULT;\n"
                    + "ANALYZE TABLE " + qualified + ";\n"
                    + "FLUSH TABLES " + qualified + ";\n");
        }
    }

    /** How many rows {@code table} of the data database holds. */
    public long rowCount(String table) throws SQLException {
        try (Connection c = connect(); java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** db/migration of the repository, found from the module directory the tests run in. */
    public static Path migrations() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("db").resolve("migration");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("db/migration not found above " + Path.of("").toAbsolutePath());
    }
}
