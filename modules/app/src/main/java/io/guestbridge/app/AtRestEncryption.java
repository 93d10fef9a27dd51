package io.guestbridge.app;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Says at start whether MariaDB encrypts what the application cannot: tablespaces, the redo log, temporary
 * tables and files, the binary log. Guest fields and raw bodies are sealed by the application, but indexes,
 * undo and redo records of other tables, and anything a future column holds in clear would otherwise sit in
 * the files of the data directory; a warning names each setting that is off.
 */
final class AtRestEncryption {

    private static final Logger LOG = Logger.getLogger(AtRestEncryption.class.getName());
    private static final Map<String, String> REQUIRED = Map.of(
            "innodb_encrypt_tables", "ON|FORCE",
            "innodb_encrypt_log", "ON",
            "innodb_encrypt_temporary_tables", "ON",
            "encrypt_tmp_files", "ON",
            "encrypt_tmp_disk_tables", "ON");

    private AtRestEncryption() {
    }

    static void report(DataSource dataSource) {
        Map<String, String> settings = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('innodb_encrypt_tables', 'innodb_encrypt_log', "
                     + "'innodb_encrypt_temporary_tables', 'encrypt_tmp_files', 'encrypt_tmp_disk_tables', 'encrypt_binlog', 'log_bin', "
                     + "'aria_encrypt_tables')")) {
            while (rs.next()) {
                settings.put(rs.getString(1).toLowerCase(java.util.Locale.ROOT), rs.getString(2).toUpperCase(java.util.Locale.ROOT));
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "could not read the database's encryption settings: " + e.getSQLState());
            return;
        }
        StringBuilder off = new StringBuilder();
        REQUIRED.forEach((name, on) -> {
            if (!settings.getOrDefault(name, "OFF").matches(on)) {
                off.append(off.isEmpty() ? "" : ", ").append(name).append('=').append(settings.getOrDefault(name, "absent"));
            }
        });
        if ("ON".equals(settings.get("log_bin")) && !"ON".equals(settings.get("encrypt_binlog"))) {
            off.append(off.isEmpty() ? "" : ", ").append("encrypt_binlog=").append(settings.getOrDefault("encrypt_binlog", "absent"));
        }
        if (off.isEmpty()) {
            LOG.info("the database encrypts its files at rest: " + settings);
        } else {
            LOG.warning("the database does NOT encrypt all its files at rest (" + off + "): its tablespaces, logs or temporary files "
                    + "can hold personal data in clear; see README, \"Personal data at rest\"");
        }
    }
}
