package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The embedded database's page cache: sized from the machine, and what the running server was given. */
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
    void theServerRunsWithTheBufferPoolItWasGiven() throws Exception {
        Path home = Path.of("target", "test-mariadb").toAbsolutePath();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(home, 0,
                new EmbeddedMariaDb.Options(home.resolve("secrets"), EmbeddedMariaDb.Encryption.OFF, home.resolve("plugin"), false, 384));
             Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@innodb_buffer_pool_size")) {
            rs.next();
            assertEquals(384 * MB, rs.getLong(1));
        }
    }
}
