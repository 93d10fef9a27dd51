package io.guestbridge.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded database: its page cache and redo log sized from the machine, and the cipher its files are encrypted with. */
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

    /** A new home is encrypted with AES-CTR and keeps it; what it wrote is read back after a restart. */
    @Test
    void aNewHomeIsEncryptedWithCtrAndKeepsIt() throws Exception {
        Path home = freshHome("test-mariadb-ctr");
        assertEquals("aes_ctr", writeThenReadAcrossARestart(home));
        assertEquals("AES_CTR", Files.readString(home.resolve("encryption").resolve(EmbeddedMariaDb.CIPHER_FILE)).trim());
    }

    /**
     * A home whose key was made before the cipher was written down was encrypted with MariaDB's default, AES-CBC: it
     * keeps that cipher, or its files could not be read.
     */
    @Test
    void aHomeEncryptedBeforeTheCipherWasRecordedKeepsCbc() throws Exception {
        Path home = freshHome("test-mariadb-cbc");
        Path keys = home.resolve("encryption");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("file-key-management.keys"), "1;" + SecretFile.hex(32) + "\n");
        assertEquals("aes_cbc", writeThenReadAcrossARestart(home));
        assertEquals("AES_CBC", Files.readString(keys.resolve(EmbeddedMariaDb.CIPHER_FILE)).trim());
    }

    @Test
    void aCipherFileNamingNoKnownCipherIsRefused() throws Exception {
        Path keys = freshHome("test-mariadb-bad-cipher").resolve("encryption");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve(EmbeddedMariaDb.CIPHER_FILE), "AES_ECB\n");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EmbeddedMariaDb.cipher(keys));
        assertTrue(refused.getMessage().contains("names the cipher AES_ECB, which is neither AES_CTR nor AES_CBC"), refused.getMessage());
    }

    private static Path freshHome(String name) throws IOException {
        Path home = Path.of("target", name).toAbsolutePath();
        if (Files.exists(home)) {
            try (Stream<Path> files = Files.walk(home)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        return home;
    }

    /** Starts the home encrypted, writes a row, starts it again and reads the row back: the cipher the server used. */
    private static String writeThenReadAcrossARestart(Path home) throws Exception {
        EmbeddedMariaDb.Options options = new EmbeddedMariaDb.Options(home.resolve("secrets"), EmbeddedMariaDb.Encryption.REQUIRED,
                home.resolve("plugin"), false);
        String cipher;
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(home, 0, options);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, db.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id INT PRIMARY KEY, note VARCHAR(40)) ENGINE = InnoDB");
            s.execute("INSERT INTO kept VALUES (1, 'written before the restart')");
            try (ResultSet rs = s.executeQuery("SELECT @@file_key_management_encryption_algorithm")) {
                rs.next();
                cipher = rs.getString(1);
            }
        }
        // stopped cleanly, so the row's page is in the table's file: encrypted, the text is not
        byte[] file = Files.readAllBytes(home.resolve("data").resolve(EmbeddedMariaDb.DATABASE).resolve("kept.ibd"));
        assertFalse(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains("written before the restart"),
                "the table's file holds the row encrypted");
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(home, 0, options);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, db.password());
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT note, @@file_key_management_encryption_algorithm FROM kept WHERE id = 1")) {
                assertTrue(rs.next(), "the row written before the restart is read after it");
                assertEquals("written before the restart", rs.getString(1));
                assertEquals(cipher, rs.getString(2), "the same cipher after the restart");
            }
        }
        return cipher;
    }
}
