package io.guestbridge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * A generated secret kept in a file only its owner can read (0600, in a 0700 directory): created once,
 * read on every later start, so a restart finds the same password or key.
 */
final class SecretFile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFile() {
    }

    /** The file's content (trimmed), written from {@code generate} first when the file does not exist. */
    static String readOrCreate(Path file, Supplier<String> generate) {
        try {
            privateDirectory(file.getParent());
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, generate.get() + "\n", StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException another) {
                    // created by a concurrent start: read what it wrote
                }
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            String value = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (value.isEmpty()) {
                throw new IllegalStateException("the secret file " + file + " is empty; delete it to have a new one generated");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file, e);
        }
    }

    /** A password of 32 random bytes, base64url: only letters, digits, '-' and '_', safe in SQL and URLs. */
    static String password() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return java.util.HexFormat.of().formatHex(random);
    }

    static void privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
