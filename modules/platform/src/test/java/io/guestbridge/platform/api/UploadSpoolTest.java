package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadSpoolTest {

    @Test
    void aGzipBombStopsAtTheLimitAndLeavesNoFile() throws IOException {
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, about 64 KiB compressed
        long before = spoolFiles();
        ProblemException refused = assertThrows(ProblemException.class,
                () -> UploadSpool.read(new ByteArrayInputStream(bomb), "gzip", 10L * 1024 * 1024));
        assertEquals(ProblemType.PAYLOAD_TOO_LARGE, refused.type());
        assertTrue(refused.getMessage().contains("once decompressed"), refused.getMessage());
        assertEquals(before, spoolFiles(), "the partial spool was deleted");
    }

    @Test
    void whatIsReadBackIsWhatWasSentAndTheFileHoldsNoClearText() throws IOException {
        byte[] csv = "Email,First Name\njane@example.com,Jane\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        try (UploadSpool spool = UploadSpool.read(new ByteArrayInputStream(gzip(csv)), "gzip", 1024 * 1024)) {
            assertEquals(csv.length, spool.size());
            try (InputStream in = spool.open()) {
                assertArrayEquals(csv, in.readAllBytes());
            }
            try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("guestbridge-upload-")).toList()) {
                    assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("jane@example.com"));
                }
            }
        }
        try (UploadSpool plain = UploadSpool.read(new ByteArrayInputStream(csv), null, csv.length)) {
            assertEquals(csv.length, plain.size(), "exactly the limit is allowed");
        }
    }

    @Test
    void otherEncodingsAndBrokenGzipAreRefused() {
        assertEquals(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                assertThrows(ProblemException.class, () -> UploadSpool.read(new ByteArrayInputStream(new byte[10]), "br", 100)).type());
        assertEquals(ProblemType.VALIDATION,
                assertThrows(ProblemException.class, () -> UploadSpool.read(new ByteArrayInputStream("not gzip".getBytes()), "gzip", 100)).type());
    }

    private static long spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("guestbridge-upload-")).count();
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
