package io.guestbridge.datasource;

import io.guestbridge.launcher.EmbeddedMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.util.constants.ServerStatus;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container's way with a connection (switch off, work, commit, switch on; again), against a real MariaDB: what the
 * server is sent, and that every statement still runs in the mode its caller set. Also the session the data source sets
 * up: its planner limit, and statements prepared on the server.
 */
class LazyAutoCommitTest {

    private static EmbeddedMariaDb server;
    private static LocalTransactionDataSource dataSource;
    /** A second session that watches the server: its counters, its open transactions, what others committed. */
    private static Connection observer;

    @BeforeAll
    static void start() throws SQLException {
        Path home = Path.of("target", "test-mariadb").toAbsolutePath();
        server = EmbeddedMariaDb.start(home, 0, new EmbeddedMariaDb.Options(home.resolve("secrets"), EmbeddedMariaDb.Encryption.OFF,
                home.resolve("plugin"), false));
        String observerPassword = randomHex();
        server.admin("CREATE USER IF NOT EXISTS 'observer'@'127.0.0.1';\n"
                + "ALTER USER 'observer'@'127.0.0.1' IDENTIFIED BY '" + observerPassword + "';\n"
                + "GRANT SELECT ON `" + EmbeddedMariaDb.DATABASE + "`.* TO 'observer'@'127.0.0.1';\n"
                + "GRANT PROCESS ON *.* TO 'observer'@'127.0.0.1';\n");
        dataSource = new LocalTransactionDataSource();
        dataSource.setUrl(server.jdbcUrl());
        dataSource.setUser(EmbeddedMariaDb.USER);
        dataSource.setPassword(server.password());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE lazy_rows (id INT PRIMARY KEY) ENGINE=InnoDB");
            s.execute("CREATE OR REPLACE PROCEDURE lazy_nothing() BEGIN END");
        }
        observer = DriverManager.getConnection(server.jdbcUrl(), "observer", observerPassword);
        observer.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }

    @AfterAll
    static void stop() throws SQLException {
        observer.close();
        server.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM lazy_rows");
        }
    }

    /** Batches of keys are planned from the index's statistics, not by looking up each key while planning. */
    @Test
    void everyConnectionEstimatesLongInListsFromStatistics() throws SQLException {
        for (Connection c : new Connection[]{dataSource.getConnection(), dataSource.getConnection(EmbeddedMariaDb.USER, server.password())}) {
            try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.eq_range_index_dive_limit")) {
                rs.next();
                assertEquals(LocalTransactionDataSource.INDEX_DIVE_LIMIT, rs.getInt(1));
            }
        }
    }

    /** A statement is parsed once per connection: prepared on the server, then only executed with its values in binary. */
    @Test
    void aStatementUsedAgainOnAConnectionIsPreparedOnTheServerOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long prepares = globalStatus("Com_stmt_prepare");
            long executes = globalStatus("Com_stmt_execute");
            for (int i = 0; i < 5; i++) {
                try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM lazy_rows WHERE id > ?")) {
                    s.setInt(1, i);
                    try (ResultSet rs = s.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(0, rs.getInt(1));
                    }
                }
            }
            assertEquals(1, globalStatus("Com_stmt_prepare") - prepares, "prepared once, kept by the connection");
            assertEquals(5, globalStatus("Com_stmt_execute") - executes, "executed five times");
        }
    }

    @Test
    void anOperatorsOwnChoiceOfPreparedStatementsInTheUrlStands() {
        assertEquals("jdbc:mariadb://127.0.0.1:3306/guestbridge?useServerPrepStmts=true&prepStmtCacheSize="
                        + LocalTransactionDataSource.PREPARED_STATEMENTS_PER_CONNECTION,
                LocalTransactionDataSource.withServerPreparedStatements("jdbc:mariadb://127.0.0.1:3306/guestbridge"));
        assertEquals("jdbc:mariadb:sequential://a:3306,b:3306/guestbridge?connectTimeout=2000&useServerPrepStmts=true&prepStmtCacheSize="
                        + LocalTransactionDataSource.PREPARED_STATEMENTS_PER_CONNECTION,
                LocalTransactionDataSource.withServerPreparedStatements("jdbc:mariadb:sequential://a:3306,b:3306/guestbridge?connectTimeout=2000"));
        assertEquals("jdbc:mariadb://db/guestbridge?useServerPrepStmts=false",
                LocalTransactionDataSource.withServerPreparedStatements("jdbc:mariadb://db/guestbridge?useServerPrepStmts=false"));
        assertEquals("jdbc:mariadb://db/guestbridge?prepStmtCacheSize=20&useServerPrepStmts=true",
                LocalTransactionDataSource.withServerPreparedStatements("jdbc:mariadb://db/guestbridge?prepStmtCacheSize=20"));
    }

    @Test
    void transactionsThatFollowEachOtherSendOneSwitchNotTwoEach() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long before = switchesSent();
            for (int i = 0; i < 10; i++) {
                asTheContainerDoes(c, i);
                assertTrue(c.getAutoCommit(), "the caller sees the mode it set");
            }
            assertEquals(1, switchesSent() - before, "one switch off for ten transactions (the driver alone sends twenty)");
            assertEquals(10, committedRows(), "every transaction committed");
        }
    }

    @Test
    void aConnectionLeftOffBetweenTransactionsHoldsNoTransactionOpen() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long session = sessionId(c);
            asTheContainerDoes(c, 1);
            assertFalse(physicalAutoCommit(c), "the switch is deferred");
            assertFalse(inTransaction(c), "nothing open while the connection waits in the pool");
            assertEquals(0, openTransactionsOf(session), "nor by the server's own account");
        }
    }

    @Test
    void aStatementOutsideATransactionCommitsByItself() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            asTheContainerDoes(c, 1);
            insert(c, 2); // no commit follows: autocommit is on
            assertEquals(2, committedRows(), "the write outside the transaction is committed at once");
            assertFalse(inTransaction(c), "and leaves nothing open");
            assertTrue(physicalAutoCommit(c), "the switch went out before that statement");
        }
    }

    @Test
    void switchingOnWithWorkPendingCommitsIt() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            assertEquals(0, committedRows(), "not yet committed");
            c.setAutoCommit(true);
            assertEquals(1, committedRows(), "switching autocommit on commits the pending work, as JDBC says");
        }
    }

    @Test
    void aRolledBackTransactionLeavesNothingAndTheNextWriteStillCommits() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insert(c, 1);
            c.rollback();
            c.setAutoCommit(true);
            insert(c, 2);
            assertEquals(1, committedRows(), "only the write after the rollback");
            try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM lazy_rows")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
            }
        }
    }

    @Test
    void aReadOutsideATransactionDoesNotKeepOneOpen() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long session = sessionId(c);
            asTheContainerDoes(c, 1);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM lazy_rows FOR UPDATE")) {
                assertTrue(rs.next());
            }
            assertFalse(inTransaction(c), "a locking read outside a transaction holds nothing afterwards");
            assertEquals(0, openTransactionsOf(session), "nor by the server's own account");
        }
    }

    @Test
    void theMetadataTheContainerKeepsCostsNoSwitchAndRunsInTheCallersMode() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData metadata = c.getMetaData(); // as Payara does on a new connection, and keeps for its life
            metadata.getClientInfoProperties().close();
            long before = switchesSent();
            for (int i = 0; i < 10; i++) {
                asTheContainerDoes(c, i);
            }
            assertEquals(1, switchesSent() - before, "the metadata handed out does not bring the switches back");
            try (ResultSet tables = metadata.getTables(null, null, "lazy_rows", null)) {
                assertTrue(tables.next(), "the metadata answers");
            }
            assertTrue(physicalAutoCommit(c), "its query ran with autocommit on, as the caller set");
            assertFalse(inTransaction(c), "and left nothing open");
            assertTrue(metadata.getConnection() == c, "and leads back to the wrapped connection");
        }
    }

    @Test
    void aRollbackToASavepointKeepsTheTransactionAndSwitchingOnCommitsIt() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            asTheContainerDoes(c, 1);
            c.setAutoCommit(false);
            insert(c, 2);
            Savepoint savepoint = c.setSavepoint();
            insert(c, 3);
            c.rollback(savepoint);
            assertTrue(inTransaction(c), "a rollback to a savepoint keeps the transaction");
            c.setAutoCommit(true);
            assertEquals(2, committedRows(), "switching on commits what the savepoint kept");
            assertFalse(inTransaction(c));
        }
    }

    @Test
    void aSavepointAskedForWithAutocommitOnReachesTheDriverWithTheSwitchSent() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            asTheContainerDoes(c, 1);
            try {
                c.setSavepoint();
            } catch (SQLException refused) {
                // JDBC lets a driver refuse a savepoint in autocommit mode; either way it must have seen that mode
            }
            assertTrue(physicalAutoCommit(c), "the savepoint reached the driver with autocommit on, as the caller set");
            assertFalse(inTransaction(c));
        }
    }

    @Test
    void aStatementUnwrappedToTheDriversSendsEverySwitchAtOnce() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.unwrap(org.mariadb.jdbc.Statement.class);
            asTheContainerDoes(c, 1);
            assertTrue(physicalAutoCommit(c), "what runs on the driver's statement runs as the caller set");
        }
    }

    @Test
    void aStatementClosesOnAClosedConnectionWithoutSendingAnything() throws SQLException {
        Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        asTheContainerDoes(c, 1);
        c.close();
        assertDoesNotThrow(s::isClosed, "asking is no statement: it needs no switch, and a closed connection cannot send one");
        assertDoesNotThrow(s::close);
    }

    @Test
    void theDriversOwnConnectionOnceUnwrappedSendsEverySwitchAtOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            org.mariadb.jdbc.Connection driver = c.unwrap(org.mariadb.jdbc.Connection.class);
            asTheContainerDoes(c, 1);
            assertTrue(driver.getAutoCommit(), "what runs on the driver's connection runs as the caller set");
        }
    }

    @Test
    void aClosedConnectionRefusesAsTheDriverDoes() throws SQLException {
        Connection c = dataSource.getConnection();
        c.close();
        assertThrows(SQLException.class, c::getAutoCommit);
        assertThrows(SQLException.class, () -> c.setAutoCommit(true));
    }

    @Test
    void statementsLeadBackToTheConnectionTheCallerHolds() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertTrue(s.getConnection() == c, "a statement's connection is the wrapped one, so its statements are seen too");
            try (PreparedStatement p = c.prepareStatement("SELECT 1"); CallableStatement call = c.prepareCall("{call lazy_nothing()}")) {
                assertTrue(p.getConnection() == c);
                assertTrue(call.getConnection() == c);
            }
            assertTrue(c.unwrap(Connection.class) == c, "unwrapping to the interface keeps the wrapper");
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** One transaction the way Payara runs it: switch off, a write, commit, switch on. */
    private static void asTheContainerDoes(Connection c, int id) throws SQLException {
        c.setAutoCommit(false);
        insert(c, id);
        c.commit();
        c.setAutoCommit(true);
    }

    private static void insert(Connection c, int id) throws SQLException {
        try (var s = c.prepareStatement("INSERT INTO lazy_rows (id) VALUES (?)")) {
            s.setInt(1, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    /** The driver's connection's mode, as the server last reported it; looked at without unwrapping, which would change it. */
    private static boolean physicalAutoCommit(Connection c) throws SQLException {
        return LazyAutoCommit.physicalOf(c).getAutoCommit();
    }

    /** Whether the server reported a transaction open on the connection with its last answer. */
    private static boolean inTransaction(Connection c) {
        return (LazyAutoCommit.physicalOf(c).getContext().getServerStatus() & ServerStatus.IN_TRANSACTION) != 0;
    }

    private static int committedRows() throws SQLException {
        try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM lazy_rows")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long sessionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The transactions InnoDB has open for a session, as the server tells another session. InnoDB answers from a cache
     * it refreshes only when the last read is 100 ms old, so the read waits that long first.
     */
    private static int openTransactionsOf(long session) throws SQLException {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (PreparedStatement s = observer.prepareStatement("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = ?")) {
            s.setLong(1, session);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A counter of the server's (SHOW GLOBAL STATUS), all sessions together. */
    private static long globalStatus(String name) throws SQLException {
        try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** Every SET statement the server received, autocommit switches among them (the observer sends none). */
    private static long switchesSent() throws SQLException {
        try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_set_option'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
