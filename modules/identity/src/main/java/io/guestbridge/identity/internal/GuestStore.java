package io.guestbridge.identity.internal;

import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.identity.api.GuestDirectory;
import java.util.ArrayList;
import java.util.List;

import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * The SQL of guest profiles, on a connection whose transaction the caller owns. Values are encrypted
 * with the guest's data key (from the key vault, apart from this database) before they reach a statement;
 * the email is found through its blind index.
 */
// plain JDBC, written set-wise on the processing path: bench/processing measures it (events/s, EncryptionCostBenchmark)
final class GuestStore {

    private final GuestCrypto crypto;

    GuestStore(GuestCrypto crypto) {
        this.crypto = crypto;
    }

    /** The guest of this email, created if new. */
    record Resolution(GuestId guest, boolean created) {
    }

    /**
     * Finds or creates the guest of an email. A new guest's data key comes first, committed in the key
     * vault before the guest row that needs it (a key left by a transaction that rolls back opens nothing).
     * Two transactions resolving the same new email at the same moment get the same guest: the second one's
     * insert waits on the unique index for the first to commit and is then ignored, and it reads the first
     * one's row (READ COMMITTED); its own fresh key stays unused.
     */
    Resolution resolve(Connection c, NormalizedEmail email, SourceSystem source, Instant observedAt) throws SQLException {
        Optional<GuestId> existing = find(c, email);
        if (existing.isPresent()) {
            return new Resolution(existing.get(), false);
        }
        GuestCrypto.DataKey key = crypto.newKey();
        GuestId candidate = key.guest();
        LocalDateTime now = utc(Instant.now());
        int inserted;
        try (PreparedStatement s = c.prepareStatement(
                "INSERT IGNORE INTO idn_guest (id, email_index, created_at, updated_at) VALUES (?, ?, ?, ?)")) {
            s.setString(1, candidate.value());
            s.setString(2, crypto.blindIndex(email));
            s.setObject(3, now);
            s.setObject(4, now);
            inserted = s.executeUpdate();
        }
        if (inserted == 1) {
            FieldOwnership ownership = FieldOwnership.defaults();
            write(c, candidate, key, GuestField.EMAIL, new GuestProfile.FieldValue(email.value(), source, observedAt,
                    ownership.owns(source, GuestField.EMAIL)));
            return new Resolution(candidate, true);
        }
        return new Resolution(find(c, email).orElseThrow(() -> new SQLException(
                "the guest of this email was neither inserted nor found (erased while being resolved?)")), false);
    }

    /**
     * The guests of many emails, those not found created, as {@link #resolve} one email after the other would, in
     * three statements whatever their number: one read of the existing ones, one insert of the new ones (in blind
     * index order, so two transactions creating some of the same guests wait for each other instead of deadlocking)
     * and one read back, which tells a guest this transaction created from one another transaction created first
     * (that one's insert is ignored here, and its fresh key stays unused); the new guests' emails are written in one
     * more statement. {@code sightings} holds each email once, with the source and time it was first seen.
     */
    Map<NormalizedEmail, Resolution> resolveAll(Connection c, List<GuestDirectory.Sighting> sightings) throws SQLException {
        Map<String, GuestDirectory.Sighting> byIndex = new java.util.TreeMap<>();
        for (GuestDirectory.Sighting sighting : sightings) {
            byIndex.putIfAbsent(crypto.blindIndex(sighting.email()), sighting);
        }
        Map<NormalizedEmail, Resolution> resolved = new java.util.HashMap<>();
        if (byIndex.isEmpty()) {
            return resolved;
        }
        Map<String, String> existing = idsByIndex(c, byIndex.keySet());
        List<String> missing = new ArrayList<>();
        byIndex.forEach((index, sighting) -> {
            String id = existing.get(index);
            if (id != null) {
                resolved.put(sighting.email(), new Resolution(new GuestId(id), false));
            } else {
                missing.add(index);
            }
        });
        if (missing.isEmpty()) {
            return resolved;
        }
        Map<String, GuestCrypto.DataKey> candidates = new java.util.HashMap<>();
        LocalDateTime now = utc(Instant.now());
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO idn_guest (id, email_index, created_at, updated_at) VALUES "
                + String.join(",", java.util.Collections.nCopies(missing.size(), "(?, ?, ?, ?)")))) {
            int p = 1;
            for (String index : missing) {
                GuestCrypto.DataKey key = crypto.newKey();
                candidates.put(index, key);
                s.setString(p++, key.guest().value());
                s.setString(p++, index);
                s.setObject(p++, now);
                s.setObject(p++, now);
            }
            s.executeUpdate();
        }
        Map<String, String> after = idsByIndex(c, missing);
        FieldOwnership ownership = FieldOwnership.defaults();
        List<FieldWrite> emails = new ArrayList<>();
        for (String index : missing) {
            String id = after.get(index);
            if (id == null) {
                throw new SQLException("the guest of an email was neither inserted nor found (erased while being resolved?)");
            }
            GuestDirectory.Sighting sighting = byIndex.get(index);
            GuestCrypto.DataKey candidate = candidates.get(index);
            boolean created = id.equals(candidate.guest().value());
            if (created) {
                emails.add(new FieldWrite(candidate.guest(), candidate, GuestField.EMAIL, new GuestProfile.FieldValue(sighting.email().value(),
                        sighting.source(), sighting.observedAt(), ownership.owns(sighting.source(), GuestField.EMAIL))));
            }
            resolved.put(sighting.email(), new Resolution(new GuestId(id), created));
        }
        writeMany(c, emails);
        return resolved;
    }

    private static Map<String, String> idsByIndex(Connection c, java.util.Collection<String> indexes) throws SQLException {
        Map<String, String> ids = new java.util.HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT email_index, id FROM idn_guest WHERE email_index IN ("
                + String.join(",", java.util.Collections.nCopies(indexes.size(), "?")) + ")")) {
            int p = 1;
            for (String index : indexes) {
                s.setString(p++, index);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return ids;
    }

    /** One field value to write, sealed under its guest's key. */
    record FieldWrite(GuestId guest, GuestCrypto.DataKey key, GuestField field, GuestProfile.FieldValue value) {
    }

    /** Writes field values of any guests in one statement. */
    static void writeMany(Connection c, List<FieldWrite> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_guest_field (guest_id, field, value_sealed, source, observed_at, owning, "
                + "unverified_reason) VALUES " + String.join(",", java.util.Collections.nCopies(writes.size(), "(?, ?, ?, ?, ?, ?, ?)"))
                + " ON DUPLICATE KEY UPDATE value_sealed = VALUES(value_sealed), source = VALUES(source), "
                + "observed_at = VALUES(observed_at), owning = VALUES(owning), unverified_reason = VALUES(unverified_reason)")) {
            int p = 1;
            for (FieldWrite write : writes) {
                s.setString(p++, write.guest().value());
                s.setString(p++, write.field().name());
                s.setString(p++, write.key().encrypt(write.field(), write.value().value()));
                s.setString(p++, write.value().source().name());
                s.setObject(p++, utc(write.value().observedAt()));
                s.setBoolean(p++, write.value().owning());
                s.setString(p++, write.value().unverifiedReason());
            }
            s.executeUpdate();
        }
    }

    /**
     * Locks many guests' rows in one statement (in primary-key order) and returns their data keys; throws when one
     * is gone or its key was shredded, as {@link #key(Connection, GuestId, boolean)} with a lock would for it.
     */
    Map<GuestId, GuestCrypto.DataKey> lockAll(Connection c, java.util.Collection<GuestId> guests) throws SQLException {
        java.util.Set<GuestId> found = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM idn_guest WHERE id IN ("
                + String.join(",", java.util.Collections.nCopies(guests.size(), "?")) + ") ORDER BY id FOR UPDATE")) {
            int p = 1;
            for (GuestId guest : guests) {
                s.setString(p++, guest.value());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(new GuestId(rs.getString(1)));
                }
            }
        }
        Map<GuestId, GuestCrypto.DataKey> keys = crypto.keys(found);
        if (found.size() != guests.size() || keys.size() != found.size()) {
            throw new SQLException("unknown or erased guest");
        }
        return keys;
    }

    /** The profiles of guests whose keys the caller holds (and whose rows it locked), in one query. */
    Map<GuestId, GuestProfile> loadLocked(Connection c, Map<GuestId, GuestCrypto.DataKey> keys) throws SQLException {
        Map<GuestId, GuestProfile> profiles = new java.util.HashMap<>();
        Map<String, GuestId> ids = new java.util.HashMap<>();
        keys.keySet().forEach(g -> {
            profiles.put(g, new GuestProfile());
            ids.put(g.value(), g);
        });
        if (keys.isEmpty()) {
            return profiles;
        }
        try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT guest_id, field, value_sealed, source, observed_at, owning, unverified_reason "
                + "FROM idn_guest_field WHERE guest_id IN (" + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")"))) {
            int p = 1;
            for (String id : ids.keySet()) {
                s.setString(p++, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    GuestId guest = ids.get(rs.getString(1));
                    GuestField field = GuestField.valueOf(rs.getString(2));
                    profiles.get(guest).restore(field, new GuestProfile.FieldValue(keys.get(guest).decrypt(field, rs.getString(3)),
                            SourceSystem.valueOf(rs.getString(4)), Jdbc.instant(rs, 5),
                            rs.getBoolean(6), rs.getString(7)));
                }
            }
        }
        return profiles;
    }

    /** Sets the update time of many guests in one statement. */
    static void touchAll(Connection c, java.util.Collection<GuestId> guests) throws SQLException {
        if (guests.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE idn_guest SET updated_at = ? WHERE id IN ("
                + String.join(",", java.util.Collections.nCopies(guests.size(), "?")) + ")")) {
            s.setObject(1, utc(Instant.now()));
            int p = 2;
            for (GuestId guest : guests) {
                s.setString(p++, guest.value());
            }
            s.executeUpdate();
        }
    }

    Optional<GuestId> find(Connection c, NormalizedEmail email) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM idn_guest WHERE email_index = ?")) {
            s.setString(1, crypto.blindIndex(email));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new GuestId(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** The profile with its fields decrypted; empty when the guest does not exist or its key was shredded. */
    Optional<GuestProfile> load(Connection c, GuestId guest) throws SQLException {
        Optional<GuestCrypto.DataKey> key = key(c, guest, false);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(load(c, guest, key.get()));
    }

    /** The guest's data key, for values of other tables the guest owns (devices, raw bodies). */
    Optional<GuestCrypto.DataKey> key(GuestId guest) {
        return crypto.key(guest);
    }

    /**
     * The latest observation time of a rectified field value (source the guest or staff) of each guest, in one query
     * over the field rows' provenance (no value is opened); guests without one are absent.
     */
    Map<GuestId, Instant> rectifiedAt(Connection c, List<GuestId> guests) throws SQLException {
        Map<GuestId, Instant> all = new java.util.HashMap<>();
        if (guests.isEmpty()) {
            return all;
        }
        List<String> sources = java.util.Arrays.stream(SourceSystem.values()).filter(SourceSystem::isRectification).map(Enum::name).toList();
        try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT guest_id, MAX(observed_at) FROM idn_guest_field WHERE guest_id IN ("
                + String.join(",", java.util.Collections.nCopies(guests.size(), "?")) + ") AND source IN ("
                + String.join(",", java.util.Collections.nCopies(sources.size(), "?")) + ") GROUP BY guest_id"))) {
            int p = 1;
            for (GuestId guest : guests) {
                s.setString(p++, guest.value());
            }
            for (String source : sources) {
                s.setString(p++, source);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.put(new GuestId(rs.getString(1)), Jdbc.instant(rs, 2));
                }
            }
        }
        return all;
    }

    /** Profiles of many guests: their keys in one query, their fields in another. */
    Map<GuestId, GuestProfile> loadAll(Connection c, List<GuestId> guests) throws SQLException {
        Map<GuestId, GuestProfile> profiles = new java.util.HashMap<>();
        if (guests.isEmpty()) {
            return profiles;
        }
        String marks = String.join(",", java.util.Collections.nCopies(guests.size(), "?"));
        Map<String, GuestCrypto.DataKey> keys = new java.util.HashMap<>();
        Map<GuestId, GuestCrypto.DataKey> found = crypto.keys(guests);
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM idn_guest WHERE id IN (" + marks + ")")) {
            for (int i = 0; i < guests.size(); i++) {
                s.setString(i + 1, guests.get(i).value());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    GuestId guest = new GuestId(rs.getString(1));
                    GuestCrypto.DataKey key = found.get(guest);
                    if (key != null) {
                        keys.put(guest.value(), key);
                        profiles.put(guest, new GuestProfile());
                    }
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT guest_id, field, value_sealed, source, observed_at, owning, unverified_reason "
                + "FROM idn_guest_field WHERE guest_id IN (" + marks + ")"))) {
            for (int i = 0; i < guests.size(); i++) {
                s.setString(i + 1, guests.get(i).value());
            }
            // a guest's fields arrive together (the key's order): its key is expanded once for all of them, not twice per field
            io.guestbridge.platform.api.DataKey.inOneUse(() -> {
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        GuestCrypto.DataKey key = keys.get(rs.getString(1));
                        if (key == null) {
                            continue; // shredded: nothing readable
                        }
                        GuestField field = GuestField.valueOf(rs.getString(2));
                        profiles.get(key.guest()).restore(field, new GuestProfile.FieldValue(key.decrypt(field, rs.getString(3)),
                                SourceSystem.valueOf(rs.getString(4)), Jdbc.instant(rs, 5), rs.getBoolean(6),
                                rs.getString(7)));
                    }
                }
                return null;
            });
        }
        return profiles;
    }

    /** The profile, decrypted with a key the caller already holds. */
    GuestProfile load(Connection c, GuestId guest, GuestCrypto.DataKey dataKey) throws SQLException {
        GuestProfile profile = new GuestProfile();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT field, value_sealed, source, observed_at, owning, unverified_reason FROM idn_guest_field WHERE guest_id = ?")) {
            s.setString(1, guest.value());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    GuestField field = GuestField.valueOf(rs.getString(1));
                    profile.restore(field, new GuestProfile.FieldValue(dataKey.decrypt(field, rs.getString(2)),
                            SourceSystem.valueOf(rs.getString(3)), Jdbc.instant(rs, 4),
                            rs.getBoolean(5), rs.getString(6)));
                }
            }
        }
        return profile;
    }

    /**
     * Applies an observation under a lock on the guest, so concurrent observations of one guest are
     * judged one after the other against the stored provenance. True when a field changed.
     */
    boolean observe(Connection c, GuestId guest, Observation observation, FieldOwnership ownership) throws SQLException {
        GuestCrypto.DataKey key = key(c, guest, true).orElseThrow(() -> new SQLException("unknown or erased guest"));
        GuestProfile profile = load(c, guest, key);
        if (!profile.observe(observation, ownership)) {
            return false;
        }
        write(c, guest, key, observation.field(), profile.field(observation.field()).orElseThrow());
        try (PreparedStatement s = c.prepareStatement("UPDATE idn_guest SET updated_at = ? WHERE id = ?")) {
            s.setObject(1, utc(Instant.now()));
            s.setString(2, guest.value());
            s.executeUpdate();
        }
        return true;
    }

    /**
     * Applies several observations under one lock and one decryption of the profile; returns the fields
     * that changed, in the order observed.
     */
    List<GuestField> observeAll(Connection c, GuestId guest, List<Observation> observations, FieldOwnership ownership) throws SQLException {
        GuestCrypto.DataKey key = key(c, guest, true).orElseThrow(() -> new SQLException("unknown or erased guest"));
        if (observations.isEmpty()) {
            return List.of();
        }
        GuestProfile profile = load(c, guest, key);
        List<GuestField> changed = new ArrayList<>();
        for (Observation observation : observations) {
            if (profile.observe(observation, ownership) && !changed.contains(observation.field())) {
                changed.add(observation.field());
            }
        }
        writeAll(c, guest, key, profile, changed);
        if (!changed.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("UPDATE idn_guest SET updated_at = ? WHERE id = ?")) {
                s.setObject(1, utc(Instant.now()));
                s.setString(2, guest.value());
                s.executeUpdate();
            }
        }
        return changed;
    }

    /** Destroys the guest's data key: its encrypted values can never be read again, here or in backups. */
    boolean shred(GuestId guest) {
        return crypto.shred(guest);
    }

    /**
     * The guest's data key; with {@code lock}, after locking the guest's row (so concurrent changes of one
     * guest are judged one after the other). Empty when the guest row is gone or its key was shredded.
     */
    Optional<GuestCrypto.DataKey> key(Connection c, GuestId guest, boolean lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM idn_guest WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            s.setString(1, guest.value());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
        }
        return crypto.key(guest);
    }

    /** Writes several fields in one statement. */
    private static void writeAll(Connection c, GuestId guest, GuestCrypto.DataKey key, GuestProfile profile, List<GuestField> fields)
            throws SQLException {
        if (fields.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO idn_guest_field (guest_id, field, value_sealed, source, observed_at, owning, "
                + "unverified_reason) VALUES ");
        for (int i = 0; i < fields.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)");
        }
        sql.append(" ON DUPLICATE KEY UPDATE value_sealed = VALUES(value_sealed), source = VALUES(source), "
                + "observed_at = VALUES(observed_at), owning = VALUES(owning), unverified_reason = VALUES(unverified_reason)");
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (GuestField field : fields) {
                GuestProfile.FieldValue value = profile.field(field).orElseThrow();
                s.setString(p++, guest.value());
                s.setString(p++, field.name());
                s.setString(p++, key.encrypt(field, value.value()));
                s.setString(p++, value.source().name());
                s.setObject(p++, utc(value.observedAt()));
                s.setBoolean(p++, value.owning());
                s.setString(p++, value.unverifiedReason());
            }
            s.executeUpdate();
        }
    }

    private static void write(Connection c, GuestId guest, GuestCrypto.DataKey key, GuestField field, GuestProfile.FieldValue value)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_guest_field (guest_id, field, value_sealed, source, observed_at, owning, "
                + "unverified_reason) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE value_sealed = VALUES(value_sealed), "
                + "source = VALUES(source), observed_at = VALUES(observed_at), owning = VALUES(owning), "
                + "unverified_reason = VALUES(unverified_reason)")) {
            s.setString(1, guest.value());
            s.setString(2, field.name());
            s.setString(3, key.encrypt(field, value.value()));
            s.setString(4, value.source().name());
            s.setObject(5, utc(value.observedAt()));
            s.setBoolean(6, value.owning());
            s.setString(7, value.unverifiedReason());
            s.executeUpdate();
        }
    }
}
