package io.guestbridge.app.it;

import io.guestbridge.launcher.DevTokens;
import io.guestbridge.launcher.EmbeddedMariaDb;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Starts what the integration tests' Payara Micro needs before any test engine runs (and so before
 * Arquillian starts the container): a real MariaDB on the port Maven reserved, with an empty data
 * directory, encrypted at rest, its users' generated passwords in the secrets directory the server reads,
 * and the development key pair whose public key the server is told to trust. Runs only under failsafe,
 * where {@code guestbridge.it.db.port} is set.
 */
public class ItEnvironment implements LauncherSessionListener {

    /** The secret file of the warehouse's password, named after the server setting it configures. */
    static final String WAREHOUSE_PASSWORD_FILE = "PRIVACY_SYSTEM_WAREHOUSE_PASSWORD";
    static final String ADMIN_USER = "it_admin";
    /** The secret file of the shared secret FreeRADIUS sends to the onboarding module. */
    static final String RADIUS_SECRET_FILE = "ONBOARDING_RADIUS_SECRET";

    private static EmbeddedMariaDb database;
    private static DevTokens tokens;
    private static io.guestbridge.crmemulator.CrmEmulator crm;
    private static com.icegreen.greenmail.util.GreenMail mail;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))); // failsafe's argLine names one under target/
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String port = System.getProperty("guestbridge.it.db.port");
        if (port == null || database != null) {
            return;
        }
        Path home = home();
        deleteRecursively(home.resolve("mariadb").resolve("data"));
        deleteRecursively(home.resolve("payara-tmp"));
        deleteRecursively(home.resolve("audit-witness"));
        try {
            Files.createDirectories(home.resolve("payara-tmp"));
            Path log = Path.of(System.getProperty("guestbridge.it.serverlog"));
            try (Stream<Path> old = Files.list(log.getParent())) {
                for (Path file : old.filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString())).toList()) {
                    Files.delete(file); // Payara writes server.log.0, .1…: none may survive from an earlier run
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tokens = DevTokens.in(home.resolve("dev-keys"));
        DevTokens.devMasterKey(home.resolve("dev-keys"));
        DevTokens.devAuditKey(home.resolve("dev-keys"));
        // as the default run, with a binary log too, so the residue checks cover it; encryption is required here
        database = EmbeddedMariaDb.start(home.resolve("mariadb"), Integer.parseInt(port), new EmbeddedMariaDb.Options(secrets(),
                EmbeddedMariaDb.Encryption.REQUIRED, Path.of(System.getProperty("guestbridge.it.plugin-cache", "target/mariadb-plugin")), true));
        accounts();
        // the server's CRM connector (hubspot-main) is configured with this port before it starts
        crm = io.guestbridge.crmemulator.CrmEmulator.start(Integer.parseInt(System.getProperty("guestbridge.it.crm.port")));
        crm.mailchimp().list("guests");
        crm.purple().company("it-company");
        // the privacy module's "data warehouse": a second database on the same server, reached over JDBC as its own user
        try (Connection c = warehouseConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE guest_facts (email VARCHAR(320) NOT NULL, venue VARCHAR(100), visits INT, PRIMARY KEY (email, venue))");
        } catch (SQLException e) {
            throw new IllegalStateException("the warehouse database for the privacy tests could not be created", e);
        }
        // a real SMTP server for the privacy module's codes and notices
        mail = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup(
                Integer.parseInt(System.getProperty("guestbridge.it.smtp.port")), "127.0.0.1", "smtp"));
        mail.start();
        // Keycloak takes half a minute to start: when the run includes the console's tests, it starts now, beside the
        // first test classes, instead of in front of the console's
        session.getLauncher().registerTestExecutionListeners(new TestExecutionListener() {
            @Override
            public void testPlanExecutionStarted(TestPlan plan) {
                if (runs(plan, ConsoleIT.class)) {
                    KeycloakServer.startInBackground();
                }
            }
        });
    }

    private static boolean runs(TestPlan plan, Class<?> testClass) {
        return plan.getRoots().stream().flatMap(root -> plan.getDescendants(root).stream())
                .map(test -> test.getSource().orElse(null))
                .anyMatch(source -> source instanceof ClassSource c && c.getClassName().equals(testClass.getName()));
    }

    /** The SMTP server of this test run. */
    public static com.icegreen.greenmail.util.GreenMail mail() {
        return mail;
    }

    /** The CRM emulator of this test run. */
    public static io.guestbridge.crmemulator.CrmEmulator crm() {
        return crm;
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        KeycloakServer.stopShared();
        if (database != null) {
            database.close();
            database = null;
        }
        if (crm != null) {
            crm.close();
            crm = null;
        }
        if (mail != null) {
            mail.stop();
            mail = null;
        }
    }

    /**
     * The accounts besides the server's two (data and key store, made by EmbeddedMariaDb): the warehouse's
     * own user, whose generated password the server reads from the secrets directory; the tests' administrator
     * (password in a file outside that directory); and {@code it}, the tests' inspection account on the data
     * database that Deployed.database() connects as without a password. None has any right on the key store
     * except the administrator.
     */
    private static void accounts() {
        String warehouse = secret(secrets().resolve(WAREHOUSE_PASSWORD_FILE));
        String admin = secret(home().resolve("test-secrets").resolve(ADMIN_USER));
        radiusSecret();
        database.admin("CREATE DATABASE IF NOT EXISTS warehouse CHARACTER SET utf8mb4;\n"
                + EmbeddedMariaDb.account("warehouse", warehouse, "warehouse")
                + "CREATE USER IF NOT EXISTS '" + ADMIN_USER + "'@'127.0.0.1' IDENTIFIED BY '" + admin + "';\n"
                + "ALTER USER '" + ADMIN_USER + "'@'127.0.0.1' IDENTIFIED BY '" + admin + "';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'127.0.0.1' WITH GRANT OPTION;\n"
                + "CREATE USER IF NOT EXISTS 'it'@'127.0.0.1';\n"
                + "GRANT ALL PRIVILEGES ON `" + EmbeddedMariaDb.DATABASE + "`.* TO 'it'@'127.0.0.1';\n");
    }

    /** A generated password kept in a file (0600): written once, read afterwards. */
    private static String secret(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                byte[] random = new byte[24];
                new java.security.SecureRandom().nextBytes(random);
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared secret FreeRADIUS sends to the server's onboarding module, generated once per run. */
    public static String radiusSecret() {
        return secret(secrets().resolve(RADIUS_SECRET_FILE));
    }

    /** The secret files the server reads (GUESTBRIDGE_SECRETS_DIR): the generated database passwords. */
    public static Path secrets() {
        return home().resolve("secrets");
    }

    /** The data database as the server's own user, with the password generated for it. */
    public static Connection dataConnection() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), EmbeddedMariaDb.USER, database.password());
    }

    /** The key store as its own user. */
    public static Connection keysConnection() throws SQLException {
        return DriverManager.getConnection(database.keysJdbcUrl(), EmbeddedMariaDb.KEYS_USER, database.keysPassword());
    }

    /** The warehouse database as its own user. */
    public static Connection warehouseConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + database.port() + "/warehouse", "warehouse",
                secret(secrets().resolve(WAREHOUSE_PASSWORD_FILE)));
    }

    /** The tests' administrator (every right, every database), on one database or none (""). */
    public static Connection adminConnection(String databaseName) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + database.port() + "/" + databaseName, ADMIN_USER,
                secret(home().resolve("test-secrets").resolve(ADMIN_USER)));
    }

    /**
     * A MariaDB client option file (0600) with a user's credentials, for mariadb-dump and the mariadb client:
     * the password stays off their command lines.
     */
    public static Path clientOptions(String user, String password) {
        Path file = home().resolve("test-secrets").resolve("client-" + user + ".cnf");
        try {
            Files.deleteIfExists(file);
            Files.createDirectories(file.getParent());
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "[client]\nuser=" + user + "\npassword=" + password + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The administrator's client option file. */
    public static Path adminClientOptions() {
        return clientOptions(ADMIN_USER, secret(home().resolve("test-secrets").resolve(ADMIN_USER)));
    }

    public static Path home() {
        return Path.of(System.getProperty("guestbridge.it.home", "target/it-home"));
    }

    public static EmbeddedMariaDb database() {
        return database;
    }

    public static DevTokens tokens() {
        if (tokens == null) {
            tokens = DevTokens.in(home().resolve("dev-keys"));
        }
        return tokens;
    }

    /** A free TCP port on the loopback interface, for a server a test starts. */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a directory and everything in it, if it exists. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
