package io.guestbridge.platform.api;

import javax.crypto.Cipher;
import javax.crypto.CipherInputStream;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An uploaded file read completely, within a size limit, before anything of it is used: a file that
 * turns out too large (a gzip that inflates past the limit: a "zip bomb") is refused with 413 and has
 * changed nothing, instead of half of it being imported. The bytes wait in a temporary file encrypted
 * under a key that exists only in this object's memory (uploads hold personal data: nothing of them
 * rests readable on disk), and the file is deleted on {@link #close()}.
 */
public final class UploadSpool implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final SecretKeySpec key;
    private final byte[] iv;
    private final long size;

    private UploadSpool(Path file, SecretKeySpec key, byte[] iv, long size) {
        this.file = file;
        this.key = key;
        this.iv = iv;
        this.size = size;
    }

    /**
     * Reads the whole body ({@code Content-Encoding} gzip or none), counting the bytes after
     * decompression; more than {@code maxBytes} is a 413 problem and nothing is kept.
     */
    public static UploadSpool read(InputStream body, String contentEncoding, long maxBytes) {
        InputStream decoded = decoded(body, contentEncoding);
        byte[] rawKey = new byte[32];
        byte[] iv = new byte[16];
        RANDOM.nextBytes(rawKey);
        RANDOM.nextBytes(iv);
        SecretKeySpec key = new SecretKeySpec(rawKey, "AES");
        Path file = null;
        try {
            file = Files.createTempFile("guestbridge-upload-", ".sealed",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            long total = 0;
            try (OutputStream out = new CipherOutputStream(new BufferedOutputStream(Files.newOutputStream(file)), cipher(Cipher.ENCRYPT_MODE, key, iv))) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = decoded.read(buffer)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "The file is larger than " + maxBytes
                                + " bytes" + (isGzip(contentEncoding) ? " once decompressed" : "") + "; nothing of it was imported. Split it into smaller files.",
                                Map.of("maxBytes", maxBytes));
                    }
                    out.write(buffer, 0, n);
                }
            }
            UploadSpool spool = new UploadSpool(file, key, iv, total);
            file = null;
            return spool;
        } catch (ZipException e) {
            throw ProblemException.invalid("The file is declared gzip (Content-Encoding: gzip) but is not valid gzip data.");
        } catch (IOException e) {
            throw ProblemException.invalid("The upload broke off before its end; send it again.");
        } finally {
            if (file != null) {
                deleteQuietly(file);
            }
        }
    }

    /** The decompressed bytes, read back. */
    public InputStream open() {
        try {
            return new CipherInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024), cipher(Cipher.DECRYPT_MODE, key, iv));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes after decompression. */
    public long size() {
        return size;
    }

    @Override
    public void close() {
        deleteQuietly(file);
    }

    private static InputStream decoded(InputStream body, String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return body;
        }
        if (isGzip(contentEncoding)) {
            try {
                return new GZIPInputStream(body, 64 * 1024);
            } catch (ZipException e) {
                throw ProblemException.invalid("The file is declared gzip (Content-Encoding: gzip) but is not gzip data.");
            } catch (IOException e) {
                throw ProblemException.invalid("The gzip upload could not be read.");
            }
        }
        throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Encoding " + contentEncoding.strip().replaceAll("[^A-Za-z0-9-]", "")
                + " is not supported; send the file plain or gzip-compressed.");
    }

    private static boolean isGzip(String contentEncoding) {
        return contentEncoding != null && contentEncoding.trim().toLowerCase(Locale.ROOT).equals("gzip");
    }

    /** AES-CTR: a throw-away key and IV per upload, so the stream needs no padding and is read back as written. */
    private static Cipher cipher(int mode, SecretKeySpec key, byte[] iv) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(mode, key, new IvParameterSpec(iv));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the file is unreadable without the key, which dies with this object
        }
    }
}
