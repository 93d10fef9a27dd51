package io.guestbridge.privacy.internal.retention;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerLogRetentionTest {

    private static final Instant NOW = Instant.now();
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(14));

    private static Path file(Path dir, String name, Duration age) throws IOException {
        Path file = Files.writeString(dir.resolve(name), "a line\n");
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(age)));
        return file;
    }

    @Test
    void logFilesOlderThanTheRetentionGoOldestFirstInBoundedBatches(@TempDir Path dir) throws IOException {
        Path oldest = file(dir, "server.log_2026-10-01T00-00-00", Duration.ofDays(60));
        Path older = file(dir, "database.log.1", Duration.ofDays(30));
        Path old = file(dir, "server.log.1.gz", Duration.ofDays(15));
        Path edge = file(dir, "server.log.2", Duration.ofDays(14).minusMinutes(5));
        Path live = file(dir, "server.log", Duration.ofMinutes(1));

        assertEquals(2, ServerLogRetention.purge(dir, CUTOFF, 2), "a bounded batch");
        assertFalse(Files.exists(oldest));
        assertFalse(Files.exists(older));
        assertTrue(Files.exists(old), "the newest of the old ones waits for the next batch");
        assertEquals(1, ServerLogRetention.purge(dir, CUTOFF, 2));
        assertFalse(Files.exists(old));
        assertEquals(0, ServerLogRetention.purge(dir, CUTOFF, 2), "nothing more");
        assertTrue(Files.exists(edge), "a file just inside the retention stays");
        assertTrue(Files.exists(live), "the file being written stays");
    }

    @Test
    void onlyLogFilesDirectlyInTheDirectoryGoNeverOtherFilesSubdirectoriesOrLinkTargets(@TempDir Path dir, @TempDir Path elsewhere)
            throws IOException {
        Path notALog = file(dir, "keystore.p12", Duration.ofDays(90));
        Path subdirectory = Files.createDirectory(dir.resolve("archive.log.d"));
        Path nested = file(subdirectory, "server.log.9", Duration.ofDays(90));
        Files.setLastModifiedTime(subdirectory, FileTime.from(NOW.minus(Duration.ofDays(90))));
        Path target = file(elsewhere, "precious.log", Duration.ofDays(90));
        Path link = Files.createSymbolicLink(dir.resolve("linked.log"), target);

        assertEquals(0, ServerLogRetention.purge(dir, CUTOFF, 100));
        assertTrue(Files.exists(notALog), "a file whose name is no log's");
        assertTrue(Files.exists(nested), "a subdirectory's file");
        assertTrue(Files.exists(subdirectory), "a subdirectory");
        assertTrue(Files.exists(target), "a link's target");
        assertTrue(Files.isSymbolicLink(link), "a link, which is no regular file");
    }

    @Test
    void aDirectoryThatIsNotThereDeletesNothingAndIsWarnedAboutOnceUntilItIsThere(@TempDir Path dir) throws IOException {
        java.util.List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ServerLogRetention.class.getName());
        logger.addHandler(handler);
        try {
            Path missing = dir.resolve("missing");
            assertEquals(0, ServerLogRetention.purge(missing, CUTOFF, 10));
            assertEquals(0, ServerLogRetention.purge(missing, CUTOFF, 10));
            assertEquals(0, ServerLogRetention.purge(missing, CUTOFF, 10));
            assertEquals(1, warnings.size(), "one warning for the rounds that found it missing");
            Files.createDirectory(missing);
            assertEquals(0, ServerLogRetention.purge(missing, CUTOFF, 10));
            Files.delete(missing);
            assertEquals(0, ServerLogRetention.purge(missing, CUTOFF, 10));
            assertEquals(2, warnings.size(), "missing again after it was there: warned again");
        } finally {
            logger.removeHandler(handler);
        }
    }
}
