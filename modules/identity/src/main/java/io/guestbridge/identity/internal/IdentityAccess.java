package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.SubjectAccess;
import io.guestbridge.platform.api.SubjectErasure;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import static io.guestbridge.platform.api.Jsonp.JSON;

/**
 * The guest's part of an access export (Art. 15 and 20): every row {@link IdentityErasure} deletes,
 * decrypted with the guest's data key through the same {@link GuestStore} code that serves the profile
 * API, so the export cannot read a value differently from the rest of the system.
 *
 * <p>Keys (times are ISO-8601 UTC instants, days ISO dates):
 * <ul>
 *   <li>{@code guestId}, {@code createdAt}, {@code updatedAt}: the guest record;
 *       {@code emailIndex}: the keyed hash of the normalised email by which the guest is found (we keep it instead of
 *       the address); {@code dataKeyHeld}: whether the key store still holds the guest's encryption key (false once shredded; the key
 *       itself is never exported: it is a secret of ours, not information about the person, and copies of it would defeat
 *       crypto-shredding).</li>
 *   <li>{@code fields}: array of {@code {field, value, source, observedAt, owning, verified, unverifiedReason}}, one per
 *       stored profile field in {@link GuestField} order; {@code source} is the system it came from, {@code observedAt} when
 *       that system saw it, {@code owning} whether that system is the field's source of truth, {@code verified} whether the
 *       value passed its field's rules ({@code unverifiedReason}, null when it did, says why not: a phone number kept as
 *       the guest gave it). Empty when the data key was shredded:
 *       nothing encrypted can be read any more, which is the point of shredding.</li>
 *   <li>{@code visits}: array of {@code {venueId, venueRef, venueName, venueTimeZone, day, firstSeen, lastSeen,
 *       dwellMinutes, zone, logins}}, oldest first (a visit is one venue and one day in the venue's zone).</li>
 *   <li>{@code visitSummary}: {@code {visits, totalDwellMinutes, firstSeen, lastSeen}}, derived from the visits as the API
 *       shows it.</li>
 *   <li>{@code devices}: array of {@code {deviceKey, macHash, randomised, deviceType, os, firstSeen, lastSeen}}. The MAC
 *       address itself was never stored, only its keyed hash ({@code macHash}, decrypted; null once shredded) and the row
 *       key derived from guest and hash ({@code deviceKey}).</li>
 *   <li>{@code stays}: array of {@code {sourceId, reservationRef, status, arrival, departure, timeZone, lastEventAt}},
 *       earliest departure first; {@code timeZone} is the venue's, in which the booking system gave the times.</li>
 * </ul>
 * An empty object when there is no such guest.
 */
@ApplicationScoped
public class IdentityAccess implements SubjectAccess {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Instance<SecretBox> master;

    @Inject
    io.guestbridge.platform.api.KeyVault vault;

    private volatile GuestStore store;
    private volatile ActivityStore activity;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public JsonObject export(SubjectErasure.Subject subject) {
        if (subject.guestId() == null) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        GuestId guest = new GuestId(subject.guestId());
        return Jdbc.inConnection(dataSource, "identity", c -> export(c, store(), activity(), guest));
    }

    @Override
    public String module() {
        return "identity";
    }

    /** The export on a connection the caller's transaction owns. */
    static JsonObject export(Connection c, GuestStore store, ActivityStore activity, GuestId guest) throws SQLException {
        JsonObjectBuilder out = JSON.createObjectBuilder();
        Optional<GuestCrypto.DataKey> key = store.key(guest);
        try (PreparedStatement s = c.prepareStatement("SELECT g.id, g.email_index, g.created_at, g.updated_at "
                + "FROM idn_guest g WHERE g.id = ?")) {
            s.setString(1, guest.value());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return JsonValue.EMPTY_JSON_OBJECT;
                }
                add(out, "guestId", rs.getString(1));
                add(out, "emailIndex", rs.getString(2));
                add(out, "createdAt", Jdbc.instant(rs, 3));
                add(out, "updatedAt", Jdbc.instant(rs, 4));
                out.add("dataKeyHeld", key.isPresent());
            }
        }
        out.add("fields", fields(key.isPresent() ? store.load(c, guest, key.get()).fields() : Map.of()));
        out.add("visits", visits(c, guest));
        out.add("visitSummary", summary(activity.summary(c, guest)));
        out.add("devices", devices(c, guest, key.orElse(null)));
        out.add("stays", stays(c, guest));
        return out.build();
    }

    static JsonArrayBuilder fields(Map<GuestField, GuestProfile.FieldValue> fields) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        for (GuestField field : GuestField.values()) { // an EnumMap already iterates so; a plain map from a test need not
            GuestProfile.FieldValue value = fields.get(field);
            if (value == null) {
                continue;
            }
            JsonObjectBuilder entry = JSON.createObjectBuilder().add("field", field.name());
            add(entry, "value", value.value());
            add(entry, "source", value.source().name());
            add(entry, "observedAt", value.observedAt());
            entry.add("owning", value.owning()).add("verified", value.verified());
            add(entry, "unverifiedReason", value.unverifiedReason());
            array.add(entry);
        }
        return array;
    }

    static JsonObjectBuilder summary(GuestDirectory.VisitSummary summary) {
        JsonObjectBuilder out = JSON.createObjectBuilder().add("visits", summary.visits()).add("totalDwellMinutes", summary.totalDwellMinutes());
        add(out, "firstSeen", summary.firstSeen());
        add(out, "lastSeen", summary.lastSeen());
        return out;
    }

    private static JsonArrayBuilder visits(Connection c, GuestId guest) throws SQLException {
        // the venue's registry row is not the guest's, but its name and zone are what makes a venue id readable
        try (PreparedStatement s = c.prepareStatement("SELECT v.venue_id, n.ref, n.name, n.time_zone, v.visit_day, v.first_seen, v.last_seen, "
                + "v.dwell_minutes, v.zone, v.logins FROM idn_visit v LEFT JOIN idn_venue n ON n.id = v.venue_id WHERE v.guest_id = ? "
                + "ORDER BY v.visit_day, v.first_seen, v.venue_id")) {
            s.setString(1, guest.value());
            JsonArrayBuilder array = JSON.createArrayBuilder();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    JsonObjectBuilder visit = JSON.createObjectBuilder();
                    add(visit, "venueId", rs.getString(1));
                    add(visit, "venueRef", rs.getString(2));
                    add(visit, "venueName", rs.getString(3));
                    add(visit, "venueTimeZone", rs.getString(4));
                    add(visit, "day", Jdbc.date(rs, 5));
                    add(visit, "firstSeen", Jdbc.instant(rs, 6));
                    add(visit, "lastSeen", Jdbc.instant(rs, 7));
                    int dwell = rs.getInt(8);
                    add(visit, "dwellMinutes", rs.wasNull() ? null : dwell);
                    add(visit, "zone", rs.getString(9));
                    add(visit, "logins", rs.getInt(10));
                    array.add(visit);
                }
            }
            return array;
        }
    }

    private static JsonArrayBuilder devices(Connection c, GuestId guest, GuestCrypto.DataKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT device_key, mac_hash_sealed, randomised, device_type, os, first_seen, last_seen "
                + "FROM idn_device WHERE guest_id = ? ORDER BY first_seen, device_key")) {
            s.setString(1, guest.value());
            JsonArrayBuilder array = JSON.createArrayBuilder();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    JsonObjectBuilder device = JSON.createObjectBuilder();
                    add(device, "deviceKey", rs.getString(1));
                    add(device, "macHash", key == null ? null : key.decrypt("device", rs.getString(2)));
                    device.add("randomised", rs.getBoolean(3));
                    add(device, "deviceType", rs.getString(4));
                    add(device, "os", rs.getString(5));
                    add(device, "firstSeen", Jdbc.instant(rs, 6));
                    add(device, "lastSeen", Jdbc.instant(rs, 7));
                    array.add(device);
                }
            }
            return array;
        }
    }

    private static JsonArrayBuilder stays(Connection c, GuestId guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT source_id, reservation_ref, status, arrival_utc, departure_utc, time_zone, "
                + "last_event_at FROM idn_stay WHERE guest_id = ? ORDER BY departure_utc, source_id, reservation_ref")) {
            s.setString(1, guest.value());
            JsonArrayBuilder array = JSON.createArrayBuilder();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    JsonObjectBuilder stay = JSON.createObjectBuilder();
                    add(stay, "sourceId", rs.getString(1));
                    add(stay, "reservationRef", rs.getString(2));
                    add(stay, "status", rs.getString(3));
                    add(stay, "arrival", Jdbc.instant(rs, 4));
                    add(stay, "departure", Jdbc.instant(rs, 5));
                    add(stay, "timeZone", rs.getString(6));
                    add(stay, "lastEventAt", Jdbc.instant(rs, 7));
                    array.add(stay);
                }
            }
            return array;
        }
    }

    /** Adds a value as JSON: null as null, numbers and booleans as such, anything else (times, days) as its ISO text. */
    private static void add(JsonObjectBuilder out, String key, Object value) {
        if (value == null) {
            out.addNull(key);
        } else if (value instanceof Integer i) {
            out.add(key, i);
        } else if (value instanceof Long l) {
            out.add(key, l);
        } else if (value instanceof Boolean b) {
            out.add(key, b);
        } else {
            out.add(key, value.toString());
        }
    }

    /*
     * Reading needs only the key vault and the master key (to unwrap the guest's data key). The device pepper, which only
     * hashing a new MAC needs, is left to the directory that writes devices: nothing here hashes anything.
     */
    private GuestStore store() {
        if (store == null) {
            GuestCrypto crypto = new GuestCrypto(master.get(), vault);
            activity = new ActivityStore(crypto);
            store = new GuestStore(crypto);
        }
        return store;
    }

    private ActivityStore activity() {
        store();
        return activity;
    }
}
