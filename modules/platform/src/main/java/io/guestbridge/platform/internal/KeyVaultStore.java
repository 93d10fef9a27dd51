package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.SecretBox;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the key vault ({@code gbk_key} in the key store database), each call on a connection of its
 * own that commits by itself: the key store's data source is never enlisted in the business transaction.
 * Keys are stored wrapped under the master key, bound to their kind and id, so a wrapped key copied to
 * another row does not open. Errors name their SQL state, never a key or an id.
 */
class KeyVaultStore {

    private final DataSource keys;
    private final SecretBox master;

    KeyVaultStore(DataSource keys, SecretBox master) {
        this.keys = keys;
        this.master = master;
    }

    Optional<DataKey> read(String kind, String id) {
        return call("read a key", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT wrapped FROM gbk_key WHERE kind = ? AND id = ?")) {
                s.setString(1, kind);
                s.setString(2, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(unwrap(kind, id, rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    Map<String, DataKey> readAll(String kind, Collection<String> ids) {
        Map<String, DataKey> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        List<String> all = new ArrayList<>(ids);
        return call("read keys", c -> {
            for (int from = 0; from < all.size(); from += 500) {
                List<String> part = all.subList(from, Math.min(all.size(), from + 500));
                String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
                try (PreparedStatement s = c.prepareStatement("SELECT id, wrapped FROM gbk_key WHERE kind = ? AND id IN (" + marks + ")")) {
                    s.setString(1, kind);
                    for (int i = 0; i < part.size(); i++) {
                        s.setString(i + 2, part.get(i));
                    }
                    // every key is wrapped under the master key: expanded once for the lot, not twice per key
                    DataKey.inOneUse(() -> {
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                found.put(rs.getString(1), unwrap(kind, rs.getString(1), rs.getString(2)));
                            }
                        }
                        return null;
                    });
                }
            }
            return found;
        });
    }

    /** The key of this id; a new one is created first when there is none (the first of concurrent creators wins). */
    DataKey createIfAbsent(String kind, String id) {
        return call("create a key", c -> {
            DataKey candidate = DataKey.generate(kind, id);
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO gbk_key (kind, id, wrapped, created_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, kind);
                s.setString(2, id);
                s.setString(3, wrap(candidate));
                s.setTimestamp(4, now());
                if (s.executeUpdate() == 1) {
                    return candidate;
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT wrapped FROM gbk_key WHERE kind = ? AND id = ?")) {
                s.setString(1, kind);
                s.setString(2, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the key was neither inserted nor found (destroyed meanwhile)", "40001");
                    }
                    return unwrap(kind, id, rs.getString(1));
                }
            }
        });
    }

    /** New keys under new ids, committed together. */
    List<DataKey> createAll(String kind, List<String> ids) {
        List<DataKey> created = new ArrayList<>(ids.size());
        ids.forEach(id -> created.add(DataKey.generate(kind, id)));
        return call("create keys", c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                StringBuilder sql = new StringBuilder("INSERT INTO gbk_key (kind, id, wrapped, created_at) VALUES ");
                for (int i = 0; i < created.size(); i++) {
                    sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
                }
                try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                    int p = 1;
                    Timestamp now = now();
                    for (DataKey key : created) {
                        s.setString(p++, kind);
                        s.setString(p++, key.id());
                        s.setString(p++, wrap(key));
                        s.setTimestamp(p++, now);
                    }
                    s.executeUpdate();
                }
                c.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        });
    }

    boolean delete(String kind, String id) {
        return call("destroy a key", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM gbk_key WHERE kind = ? AND id = ?")) {
                s.setString(1, kind);
                s.setString(2, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    List<String> ids(String kind) {
        return call("list keys", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM gbk_key WHERE kind = ? ORDER BY id LIMIT 10000")) {
                s.setString(1, kind);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    private String wrap(DataKey key) {
        return master.seal(key.material(), key.kind() + ":" + key.id());
    }

    private DataKey unwrap(String kind, String id, String wrapped) {
        return new DataKey(kind, id, master.open(wrapped, kind + ":" + id));
    }

    private static Timestamp now() {
        return Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC));
    }

    private <T> T call(String what, Work<T> work) {
        // a connection of the key store's own pool: never the business transaction's connection (Jdbc would hand that out)
        try (Connection c = keys.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new IllegalStateException("key vault: " + what + ": database error " + e.getSQLState() + " (" + e.getErrorCode() + ")", e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }
}
