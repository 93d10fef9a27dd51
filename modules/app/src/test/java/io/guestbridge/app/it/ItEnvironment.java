package io.guestbridge.app.it;

import io.guestbridge.launcher.DevTokens;
import io.guestbridge.launcher.EmbeddedMariaDb;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Starts what the integration tests' Payara Micro needs before any test engine runs (and so before
 * Arquillian starts the container): a real MariaDB on the port Maven reserved, with an empty data
 * directory, and the development key pair whose public key the server is told to trust. Runs only
 * under failsafe, where {@code guestbridge.it.db.port} is set.
 */
public class ItEnvironment implements LauncherSessionListener {

    private static EmbeddedMariaDb database;
    private static DevTokens tokens;
    private static io.guestbridge.crmemulator.CrmEmulator crm;
    private static com.icegreen.greenmail.util.GreenMail mail;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String port = System.getProperty("guestbridge.it.db.port");
        if (port == null || database != null) {
            return;
        }
        Path home = home();
        deleteRecursively(home.resolve("mariadb").resolve("data"));
        deleteRecursively(home.resolve("payara-tmp"));
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
        database = EmbeddedMariaDb.start(home.resolve("mariadb"), Integer.parseInt(port));
        // the server's CRM connector (hubspot-main) is configured with this port before it starts
        crm = io.guestbridge.crmemulator.CrmEmulator.start(Integer.parseInt(System.getProperty("guestbridge.it.crm.port")));
        crm.mailchimp().list("guests");
        crm.purple().company("it-company");
        // the privacy module's "data warehouse": a second database on the same server, reached over JDBC
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "guestbridge", "");
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE warehouse CHARACTER SET utf8mb4");
            s.execute("CREATE TABLE warehouse.guest_facts (email VARCHAR(320) NOT NULL, venue VARCHAR(100), visits INT, PRIMARY KEY (email, venue))");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the warehouse database for the privacy tests could not be created", e);
        }
        // a real SMTP server for the privacy module's codes and notices
        mail = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup(
                Integer.parseInt(System.getProperty("guestbridge.it.smtp.port")), "127.0.0.1", "smtp"));
        mail.start();
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

    private static void deleteRecursively(Path dir) {
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
