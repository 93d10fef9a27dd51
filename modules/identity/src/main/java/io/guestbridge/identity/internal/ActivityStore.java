package io.guestbridge.identity.internal;

import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.Venues;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * The SQL of what guests do: visits per venue and day, devices, stays. Every statement merges
 * order-independently (earliest first-seen, latest last-seen, the newest event's status), so replayed,
 * late and out-of-order events give the same rows as the same events in order.
 */
final class ActivityStore {

    private final GuestCrypto crypto;

    ActivityStore(GuestCrypto crypto) {
        this.crypto = crypto;
    }

    /** Records a login; true when it started a new visit (a new guest/venue/day). */
    boolean visit(Connection c, GuestId guest, GuestUpdate.Visit visit) throws SQLException {
        Venues.Venue venue = visit.venue();
        LocalDate day = visit.seenAt().atZone(venue.zone()).toLocalDate();
        // MariaDB evaluates the assignments left to right against the updated row: zone and dwell before last_seen
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_visit (guest_id, venue_id, visit_day, first_seen, last_seen, "
                + "dwell_minutes, zone, logins) VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON DUPLICATE KEY UPDATE "
                + "zone = IF(VALUES(last_seen) >= last_seen AND VALUES(zone) IS NOT NULL, VALUES(zone), zone), "
                + "dwell_minutes = CASE WHEN VALUES(dwell_minutes) IS NULL THEN dwell_minutes WHEN dwell_minutes IS NULL "
                + "THEN VALUES(dwell_minutes) ELSE GREATEST(dwell_minutes, VALUES(dwell_minutes)) END, "
                + "first_seen = LEAST(first_seen, VALUES(first_seen)), last_seen = GREATEST(last_seen, VALUES(last_seen)), "
                + "logins = logins + 1")) {
            s.setString(1, guest.value());
            s.setString(2, venue.id());
            s.setObject(3, day);
            s.setObject(4, utc(visit.seenAt()));
            s.setObject(5, utc(visit.seenAt()));
            if (visit.dwellMinutes() == null) {
                s.setNull(6, Types.INTEGER);
            } else {
                s.setInt(6, visit.dwellMinutes());
            }
            s.setString(7, visit.zone());
            return s.executeUpdate() == 1;
        }
    }

    /** Records a device by its MAC; false when the device has no usable MAC (nothing stored). */
    boolean device(Connection c, GuestId guest, GuestCrypto.DataKey key, String normalizedMac, Devices.Parsed parsed, Instant seenAt)
            throws SQLException {
        String macHash = crypto.macHash(normalizedMac);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_device (guest_id, device_key, mac_hash_sealed, randomised, "
                + "device_type, os, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
                + "device_type = IF(VALUES(last_seen) >= last_seen, COALESCE(VALUES(device_type), device_type), device_type), "
                + "os = IF(VALUES(last_seen) >= last_seen, COALESCE(VALUES(os), os), os), "
                + "first_seen = LEAST(first_seen, VALUES(first_seen)), last_seen = GREATEST(last_seen, VALUES(last_seen))")) {
            s.setString(1, guest.value());
            s.setString(2, crypto.deviceKey(guest, macHash));
            s.setString(3, key.encrypt("device", macHash));
            s.setBoolean(4, Devices.randomised(normalizedMac));
            s.setString(5, truncate(parsed.deviceType(), 40));
            s.setString(6, truncate(parsed.os(), 60));
            s.setObject(7, utc(seenAt));
            s.setObject(8, utc(seenAt));
            return s.executeUpdate() == 1;
        }
    }

    /** Records many logins in one statement, each merged as {@link #visit} merges it, in their order. */
    void visitAll(Connection c, List<java.util.Map.Entry<GuestId, GuestUpdate.Visit>> visits) throws SQLException {
        if (visits.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_visit (guest_id, venue_id, visit_day, first_seen, last_seen, "
                + "dwell_minutes, zone, logins) VALUES " + String.join(",", java.util.Collections.nCopies(visits.size(), "(?, ?, ?, ?, ?, ?, ?, 1)"))
                + " ON DUPLICATE KEY UPDATE "
                + "zone = IF(VALUES(last_seen) >= last_seen AND VALUES(zone) IS NOT NULL, VALUES(zone), zone), "
                + "dwell_minutes = CASE WHEN VALUES(dwell_minutes) IS NULL THEN dwell_minutes WHEN dwell_minutes IS NULL "
                + "THEN VALUES(dwell_minutes) ELSE GREATEST(dwell_minutes, VALUES(dwell_minutes)) END, "
                + "first_seen = LEAST(first_seen, VALUES(first_seen)), last_seen = GREATEST(last_seen, VALUES(last_seen)), "
                + "logins = logins + 1")) {
            int p = 1;
            for (java.util.Map.Entry<GuestId, GuestUpdate.Visit> entry : visits) {
                GuestUpdate.Visit visit = entry.getValue();
                s.setString(p++, entry.getKey().value());
                s.setString(p++, visit.venue().id());
                s.setObject(p++, visit.seenAt().atZone(visit.venue().zone()).toLocalDate());
                s.setObject(p++, utc(visit.seenAt()));
                s.setObject(p++, utc(visit.seenAt()));
                if (visit.dwellMinutes() == null) {
                    s.setNull(p++, Types.INTEGER);
                } else {
                    s.setInt(p++, visit.dwellMinutes());
                }
                s.setString(p++, visit.zone());
            }
            s.executeUpdate();
        }
    }

    /** One device sighting, for {@link #deviceAll}. */
    record DeviceSeen(GuestId guest, GuestCrypto.DataKey key, String normalizedMac, Devices.Parsed parsed, Instant seenAt) {
        @Override
        public String toString() {
            return "DeviceSeen[seen " + seenAt + ", identifiers redacted]";
        }
    }

    /**
     * Records many devices in two statements, each merged as {@link #device} merges it; for each, in order, whether
     * it was new (as {@link #device} answers). The guests must be locked by the caller: the devices they already have
     * are read first, and nobody else can add one meanwhile.
     */
    List<Boolean> deviceAll(Connection c, List<DeviceSeen> devices) throws SQLException {
        List<Boolean> recorded = new ArrayList<>();
        if (devices.isEmpty()) {
            return recorded;
        }
        java.util.Set<String> guests = new java.util.LinkedHashSet<>();
        devices.forEach(d -> guests.add(d.guest().value()));
        java.util.Set<String> known = new java.util.HashSet<>();
        try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT guest_id, device_key FROM idn_device WHERE guest_id IN ("
                + String.join(",", java.util.Collections.nCopies(guests.size(), "?")) + ")"))) {
            int p = 1;
            for (String guest : guests) {
                s.setString(p++, guest);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1) + "|" + rs.getString(2));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO idn_device (guest_id, device_key, mac_hash_sealed, randomised, "
                + "device_type, os, first_seen, last_seen) VALUES " + String.join(",", java.util.Collections.nCopies(devices.size(), "(?, ?, ?, ?, ?, ?, ?, ?)"))
                + " ON DUPLICATE KEY UPDATE "
                + "device_type = IF(VALUES(last_seen) >= last_seen, COALESCE(VALUES(device_type), device_type), device_type), "
                + "os = IF(VALUES(last_seen) >= last_seen, COALESCE(VALUES(os), os), os), "
                + "first_seen = LEAST(first_seen, VALUES(first_seen)), last_seen = GREATEST(last_seen, VALUES(last_seen))")) {
            int p = 1;
            for (DeviceSeen device : devices) {
                String macHash = crypto.macHash(device.normalizedMac());
                String deviceKey = crypto.deviceKey(device.guest(), macHash);
                recorded.add(known.add(device.guest().value() + "|" + deviceKey));
                s.setString(p++, device.guest().value());
                s.setString(p++, deviceKey);
                s.setString(p++, device.key().encrypt("device", macHash));
                s.setBoolean(p++, Devices.randomised(device.normalizedMac()));
                s.setString(p++, truncate(device.parsed().deviceType(), 40));
                s.setString(p++, truncate(device.parsed().os(), 60));
                s.setObject(p++, utc(device.seenAt()));
                s.setObject(p++, utc(device.seenAt()));
            }
            s.executeUpdate();
        }
        return recorded;
    }

    /**
     * Applies a booking event to its stay unless an event for that reservation as new or newer is already stored;
     * true when it was applied (a new reservation, or a newer event for a known one). The reservation's row is read
     * first, under lock: the connection reports rows found rather than rows changed, so an upsert's count could not
     * tell a new reservation from a stale or repeated event that changed nothing.
     */
    boolean stay(Connection c, GuestId guest, GuestUpdate.Stay stay) throws SQLException {
        Instant stored = null;
        boolean known = false;
        try (PreparedStatement s = c.prepareStatement("SELECT last_event_at FROM idn_stay WHERE source_id = ? AND reservation_ref = ? FOR UPDATE")) {
            s.setString(1, stay.sourceId());
            s.setString(2, stay.reservationRef());
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    known = true;
                    stored = Jdbc.instant(rs, 1);
                }
            }
        }
        if (known && !stay.eventAt().isAfter(stored)) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement(known
                ? "UPDATE idn_stay SET guest_id = ?, status = ?, arrival_utc = ?, departure_utc = ?, time_zone = ?, last_event_at = ? "
                        + "WHERE source_id = ? AND reservation_ref = ?"
                : "INSERT INTO idn_stay (guest_id, status, arrival_utc, departure_utc, time_zone, last_event_at, source_id, reservation_ref) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, guest.value());
            s.setString(2, stay.status().name());
            s.setObject(3, stay.arrival() == null ? null : utc(stay.arrival()));
            s.setObject(4, utc(stay.departure()));
            s.setString(5, stay.zone().getId());
            s.setObject(6, utc(stay.eventAt()));
            s.setString(7, stay.sourceId());
            s.setString(8, stay.reservationRef());
            return s.executeUpdate() > 0;
        }
    }

    GuestDirectory.VisitSummary summary(Connection c, GuestId guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(dwell_minutes), 0), MIN(first_seen), MAX(last_seen) "
                + "FROM idn_visit WHERE guest_id = ?")) {
            s.setString(1, guest.value());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new GuestDirectory.VisitSummary(rs.getInt(1), rs.getLong(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4));
            }
        }
    }

    java.util.Map<GuestId, GuestDirectory.VisitSummary> summaries(Connection c, List<GuestId> guests) throws SQLException {
        java.util.Map<GuestId, GuestDirectory.VisitSummary> all = new java.util.HashMap<>();
        guests.forEach(g -> all.put(g, new GuestDirectory.VisitSummary(0, 0, null, null)));
        if (guests.isEmpty()) {
            return all;
        }
        try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT guest_id, COUNT(*), COALESCE(SUM(dwell_minutes), 0), MIN(first_seen), MAX(last_seen) "
                + "FROM idn_visit WHERE guest_id IN (" + String.join(",", java.util.Collections.nCopies(guests.size(), "?")) + ") GROUP BY guest_id"))) {
            for (int i = 0; i < guests.size(); i++) {
                s.setString(i + 1, guests.get(i).value());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.put(new GuestId(rs.getString(1)), new GuestDirectory.VisitSummary(rs.getInt(2), rs.getLong(3), Jdbc.instant(rs, 4), Jdbc.instant(rs, 5)));
                }
            }
        }
        return all;
    }

    java.util.Map<GuestId, java.time.Instant> staysChangedAt(Connection c, List<GuestId> guests) throws SQLException {
        java.util.Map<GuestId, java.time.Instant> all = new java.util.HashMap<>();
        if (guests.isEmpty()) {
            return all;
        }
        try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT guest_id, MAX(last_event_at) FROM idn_stay WHERE guest_id IN ("
                + String.join(",", java.util.Collections.nCopies(guests.size(), "?")) + ") GROUP BY guest_id"))) {
            for (int i = 0; i < guests.size(); i++) {
                s.setString(i + 1, guests.get(i).value());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.put(new GuestId(rs.getString(1)), Jdbc.instant(rs, 2));
                }
            }
        }
        return all;
    }

    List<GuestDirectory.VisitEntry> visits(Connection c, GuestId guest, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT v.venue_id, n.name, v.visit_day, v.first_seen, v.last_seen, v.dwell_minutes, "
                + "v.zone, v.logins FROM idn_visit v JOIN idn_venue n ON n.id = v.venue_id WHERE v.guest_id = ? "
                + "ORDER BY v.last_seen DESC LIMIT ?")) {
            s.setString(1, guest.value());
            s.setInt(2, limit);
            List<GuestDirectory.VisitEntry> visits = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int dwell = rs.getInt(6);
                    // wasNull speaks of the column read last: asked among the arguments below, it answered for last_seen
                    Integer dwellMinutes = rs.wasNull() ? null : dwell;
                    visits.add(new GuestDirectory.VisitEntry(rs.getString(1), rs.getString(2), Jdbc.date(rs, 3),
                            Jdbc.instant(rs, 4), Jdbc.instant(rs, 5), dwellMinutes, rs.getString(7), rs.getInt(8)));
                }
            }
            return visits;
        }
    }

    List<GuestDirectory.StayEntry> stays(Connection c, GuestId guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT source_id, reservation_ref, status, arrival_utc, departure_utc, time_zone "
                + "FROM idn_stay WHERE guest_id = ? ORDER BY departure_utc DESC")) {
            s.setString(1, guest.value());
            List<GuestDirectory.StayEntry> stays = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stays.add(new GuestDirectory.StayEntry(rs.getString(1), rs.getString(2), GuestUpdate.Stay.Status.valueOf(rs.getString(3)),
                            Jdbc.instant(rs, 4), Jdbc.instant(rs, 5), rs.getString(6)));
                }
            }
            return stays;
        }
    }

    List<GuestDirectory.DeviceEntry> devices(Connection c, GuestId guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT randomised, device_type, os, first_seen, last_seen FROM idn_device "
                + "WHERE guest_id = ? ORDER BY last_seen DESC")) {
            s.setString(1, guest.value());
            List<GuestDirectory.DeviceEntry> devices = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    devices.add(new GuestDirectory.DeviceEntry(rs.getBoolean(1), rs.getString(2), rs.getString(3), Jdbc.instant(rs, 4), Jdbc.instant(rs, 5)));
                }
            }
            return devices;
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
