package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A singleton's lease row in {@code plt_singleton_lease}, claimed or renewed in one short transaction of its own; see
 * {@link DatabaseSingletons}. The same guarded UPDATE as the audit sequencer's lease: it takes the row when nobody
 * holds it, this instance holds it, or the holder's lease ran out by the database's clock.
 */
@ApplicationScoped
public class SingletonLeaseRow {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean claim(String name, String instance, Duration lease) {
        return Jdbc.inConnection(dataSource, "singleton lease", c -> claim(c, name, instance, lease));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void release(String name, String instance) {
        Jdbc.inConnection(dataSource, "singleton lease", c -> {
            release(c, name, instance);
            return null;
        });
    }

    /** Claims or renews the lease of {@code name} for {@code instance}; whether it holds it now. */
    static boolean claim(Connection c, String name, String instance, Duration lease) throws SQLException {
        // taken_at first: MariaDB assigns left to right, so holder is still the previous one when it is compared
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_singleton_lease SET "
                + "taken_at = IF(holder <=> ?, taken_at, UTC_TIMESTAMP(6)), holder = ?, "
                + "lease_until = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND "
                + "WHERE name = ? AND (holder IS NULL OR holder = ? OR lease_until IS NULL OR lease_until < UTC_TIMESTAMP(6))")) {
            s.setString(1, instance);
            s.setString(2, instance);
            s.setLong(3, lease.toNanos() / 1000);
            s.setString(4, name);
            s.setString(5, instance);
            if (s.executeUpdate() == 1) {
                return true;
            }
        }
        // the row may not exist yet: the first instance to insert it holds it; of two at once, the other's insert is ignored
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO plt_singleton_lease (name, holder, lease_until, taken_at) "
                + "VALUES (?, ?, UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND, UTC_TIMESTAMP(6))")) {
            s.setString(1, name);
            s.setString(2, instance);
            s.setLong(3, lease.toNanos() / 1000);
            return s.executeUpdate() == 1;
        }
    }

    /** Hands the lease back, if {@code instance} holds it: another instance takes it at its next renewal. */
    static void release(Connection c, String name, String instance) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE plt_singleton_lease SET holder = NULL, lease_until = NULL "
                + "WHERE name = ? AND holder = ?")) {
            s.setString(1, name);
            s.setString(2, instance);
            s.executeUpdate();
        }
    }
}
