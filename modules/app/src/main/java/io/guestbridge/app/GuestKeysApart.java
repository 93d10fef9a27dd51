package io.guestbridge.app;

import io.guestbridge.platform.api.Jdbc;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Migration 30: the guests' data keys leave the data database for the key store. Each wrapped key moves
 * as it is (it is sealed under the master key and bound to "guest:" and the guest's id, as the key store
 * binds its keys), committed in the key store before the old table is dropped: a crash in between only
 * repeats the copy (INSERT IGNORE). Afterwards no backup of the data database holds a key that opens it.
 */
final class GuestKeysApart implements JavaMigration {

    private final DataSource keys;

    GuestKeysApart(DataSource keys) {
        this.keys = keys;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("30");
    }

    @Override
    public String getDescription() {
        return "identity guest keys apart";
    }

    @Override
    public Integer getChecksum() {
        return 30;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return false; // DROP TABLE commits by itself in MariaDB
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection data = context.getConnection();
        if (!exists(data, "idn_guest_key")) {
            return;
        }
        int moved = 0;
        try (Connection k = keys.getConnection();
             PreparedStatement read = data.prepareStatement("SELECT guest_id, wrapped_key, created_at FROM idn_guest_key ORDER BY guest_id");
             PreparedStatement write = k.prepareStatement("INSERT IGNORE INTO gbk_key (kind, id, wrapped, created_at) VALUES ('guest', ?, ?, ?)")) {
            k.setAutoCommit(false);
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    write.setString(1, rs.getString(1));
                    write.setString(2, rs.getString(2));
                    write.setObject(3, Jdbc.dateTime(rs, 3));
                    write.addBatch();
                    if (++moved % 1000 == 0) {
                        write.executeBatch();
                    }
                }
            }
            write.executeBatch();
            k.commit();
        }
        try (PreparedStatement drop = data.prepareStatement("DROP TABLE idn_guest_key")) {
            drop.execute();
        }
        java.util.logging.Logger.getLogger(GuestKeysApart.class.getName()).info(moved + " guest data key(s) moved to the key store");
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getTables(c.getCatalog(), null, table, new String[]{"TABLE"})) {
            return rs.next();
        }
    }
}
