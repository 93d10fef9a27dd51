package io.guestbridge.app.it;

import io.guestbridge.platform.api.DataKey;
import io.guestbridge.platform.api.SecretBox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a copy of the data database holds at rest the way guestbridge does, from outside the server:
 * with the master key (the file the server reads) and the live key store, over the live data database or a
 * backup of it restored elsewhere. Guest fields and devices open with the guest's data key, raw inbox bodies
 * with their day key (and their guest's key once processed), privacy requests' sealed addresses with the
 * master key. Whatever no live key opens stays closed: that is what an erasure or the end of a retention
 * leaves in a backup.
 */
final class AtRestReader {

    private final Connection data;
    private final Connection keys;
    private final SecretBox master;
    private final java.util.Map<String, Optional<DataKey>> read = new java.util.HashMap<>();

    AtRestReader(Connection data, Connection keys) {
        this.data = data;
        this.keys = keys;
        try {
            this.master = SecretBox.withKey(Files.readString(ItEnvironment.home().resolve("dev-keys").resolve("master.key")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An inbox row's body in clear, exactly as received; empty when it is empty or no live key opens it. */
    Optional<byte[]> body(long inboxId) throws SQLException {
        try (PreparedStatement s = data.prepareStatement("SELECT source_id, body_sha256, body, body_key, guest_id FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, inboxId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? open(inboxId, rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4), rs.getString(5))
                        : Optional.empty();
            }
        }
    }

    /** The stored (sealed) bytes of an inbox row's body. */
    byte[] stored(long inboxId) throws SQLException {
        try (PreparedStatement s = data.prepareStatement("SELECT body FROM ing_inbox WHERE id = ?")) {
            s.setLong(1, inboxId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : new byte[0];
            }
        }
    }

    /** The bodies of a source's rows that open, in clear. */
    List<String> bodiesOf(String sourceId) throws SQLException {
        List<String> bodies = new ArrayList<>();
        try (PreparedStatement s = data.prepareStatement("SELECT id, source_id, body_sha256, body, body_key, guest_id FROM ing_inbox WHERE source_id = ?")) {
            s.setString(1, sourceId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    open(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getString(5), rs.getString(6))
                            .ifPresent(b -> bodies.add(new String(b, StandardCharsets.UTF_8)));
                }
            }
        }
        return bodies;
    }

    /**
     * Everything of the copy that a live key opens: every guest's fields and device hashes, every inbox body,
     * every privacy request's sealed address and details; one per line.
     */
    String everythingReadable() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = data.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT guest_id, field, value_sealed FROM idn_guest_field")) {
                while (rs.next()) {
                    String guest = rs.getString(1);
                    guestKey(guest).flatMap(k -> open(k, rs, 3, guest + "|" + text(rs, 2))).ifPresent(v -> out.append(v).append('\n'));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT guest_id, mac_hash_sealed FROM idn_device")) {
                while (rs.next()) {
                    String guest = rs.getString(1);
                    guestKey(guest).flatMap(k -> open(k, rs, 2, guest + "|device")).ifPresent(v -> out.append(v).append('\n'));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, source_id, body_sha256, body, body_key, guest_id FROM ing_inbox")) {
                while (rs.next()) {
                    open(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getString(5), rs.getString(6))
                            .ifPresent(b -> out.append(new String(b, StandardCharsets.UTF_8)).append('\n'));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, email_sealed, details_sealed FROM prv_request")) {
                while (rs.next()) {
                    String ref = "privacy-request:" + rs.getString(1);
                    for (int column : new int[]{2, 3}) {
                        String sealed = rs.getString(column);
                        if (sealed != null) {
                            try {
                                out.append(new String(master.open(sealed, column == 2 ? ref : ref + "/details"), StandardCharsets.UTF_8)).append('\n');
                            } catch (IllegalStateException | IllegalArgumentException closed) {
                                // not sealed under this master key for this request
                            }
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    private Optional<byte[]> open(long id, String sourceId, String sha256, byte[] stored, String keyRef, String guest) {
        if (stored == null || stored.length == 0) {
            return Optional.empty();
        }
        if (keyRef == null) {
            return Optional.of(stored); // in clear
        }
        byte[] daySealed = stored;
        String day = keyRef.substring(keyRef.indexOf(':') + 1);
        if (keyRef.startsWith("guest+day:")) {
            Optional<DataKey> guestKey = guest == null ? Optional.empty() : guestKey(guest);
            if (guestKey.isEmpty()) {
                return Optional.empty();
            }
            daySealed = guestKey.get().open(stored, (guest + "|inbox:" + id).getBytes(StandardCharsets.UTF_8));
        }
        Optional<DataKey> dayKey = key("inbox-day", day);
        if (dayKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(dayKey.get().open(daySealed, ("inbox-body|" + sourceId + "|" + sha256).getBytes(StandardCharsets.UTF_8)));
    }

    private Optional<DataKey> guestKey(String guest) {
        return key("guest", guest);
    }

    /** A key of the live key store (each read once: a copy of a whole database asks for the same keys many times). */
    private Optional<DataKey> key(String kind, String id) {
        return read.computeIfAbsent(kind + ":" + id, k -> readKey(kind, id));
    }

    private Optional<DataKey> readKey(String kind, String id) {
        try (PreparedStatement s = keys.prepareStatement("SELECT wrapped FROM gbk_key WHERE kind = ? AND id = ?")) {
            s.setString(1, kind);
            s.setString(2, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new DataKey(kind, id, master.open(rs.getString(1), kind + ":" + id))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> open(DataKey key, ResultSet rs, int column, String binding) {
        try {
            byte[] sealed = Base64.getDecoder().decode(rs.getString(column));
            return Optional.of(new String(key.open(sealed, binding.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(ResultSet rs, int column) {
        try {
            return rs.getString(column);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
