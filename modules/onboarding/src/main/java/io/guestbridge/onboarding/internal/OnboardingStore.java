package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.onboarding.api.CredentialKind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * The SQL of the onboarding tables: venue networks and credentials. Every method runs on the caller's
 * connection and transaction; the caller audits.
 */
final class OnboardingStore {

    private static final String CREDENTIAL_COLUMNS = "id, guest_id, venue_id, kind, username, passphrase_sealed, valid_from, valid_until, "
            + "state, revoked_at, revoked_reason, created_at, delivered_at";

    // ---------------------------------------------------------------- networks

    /**
     * Creates or replaces the venue's network. Not an upsert: ON DUPLICATE KEY would also fire on the booking source's
     * unique key and quietly rewrite another venue's network; here a source that feeds another venue is refused.
     */
    void saveNetwork(Connection c, Network network, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE onb_network SET booking_source_id = ?, kind = ?, ssid = ?, "
                + "from_start_of_arrival_day = ?, grace_before_minutes = ?, grace_after_minutes = ?, updated_at = ?, meraki_network_id = ?, "
                + "meraki_ssid_number = ?, meraki_group_policy_id = ?, meraki_api_key_name = ?, radius_vendor = ? WHERE venue_id = ?")) {
            bindNetwork(s, network, now);
            s.setString(13, network.venueId());
            if (s.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO onb_network (booking_source_id, kind, ssid, from_start_of_arrival_day, "
                + "grace_before_minutes, grace_after_minutes, updated_at, meraki_network_id, meraki_ssid_number, meraki_group_policy_id, "
                + "meraki_api_key_name, radius_vendor, venue_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bindNetwork(s, network, now);
            s.setString(13, network.venueId());
            s.executeUpdate();
        }
    }

    private static void bindNetwork(PreparedStatement s, Network network, Instant now) throws SQLException {
        s.setString(1, network.bookingSourceId());
        s.setString(2, network.kind().name());
        s.setString(3, network.ssid());
        s.setBoolean(4, network.policy().fromStartOfArrivalDay());
        s.setLong(5, network.policy().before().toMinutes());
        s.setLong(6, network.policy().after().toMinutes());
        s.setObject(7, utc(now));
        MerakiTarget meraki = network.meraki();
        s.setString(8, meraki == null ? null : meraki.networkId());
        s.setObject(9, meraki == null ? null : meraki.ssidNumber());
        s.setString(10, meraki == null ? null : meraki.groupPolicyId());
        s.setString(11, meraki == null ? null : meraki.apiKeyName());
        s.setString(12, network.radiusVendor() == null ? null : network.radiusVendor().name());
    }

    Optional<Network> network(Connection c, String venueId) throws SQLException {
        List<Network> found = networks(c, "WHERE venue_id = ?", List.of(venueId));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    List<Network> allNetworks(Connection c) throws SQLException {
        return networks(c, "ORDER BY venue_id", List.of());
    }

    /** The networks fed by these booking sources or holding a credential of the guest: everything a change to the guest can touch. */
    List<Network> networksTouching(Connection c, Collection<String> bookingSources, GuestId guest) throws SQLException {
        StringBuilder where = new StringBuilder("WHERE venue_id IN (SELECT venue_id FROM onb_credential WHERE guest_id = ? AND state = 'ACTIVE')");
        List<String> params = new ArrayList<>();
        params.add(guest.value());
        if (!bookingSources.isEmpty()) {
            where.append(" OR booking_source_id IN (").append("?,".repeat(bookingSources.size() - 1)).append("?)");
            params.addAll(bookingSources);
        }
        return networks(c, where + " ORDER BY venue_id", params);
    }

    boolean anyNetwork(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM onb_network LIMIT 1"); ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    private List<Network> networks(Connection c, String where, List<String> params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT venue_id, booking_source_id, kind, ssid, from_start_of_arrival_day, "
                + "grace_before_minutes, grace_after_minutes, meraki_network_id, meraki_ssid_number, meraki_group_policy_id, meraki_api_key_name, "
                + "radius_vendor FROM onb_network " + where)) {
            for (int i = 0; i < params.size(); i++) {
                s.setString(i + 1, params.get(i));
            }
            List<Network> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Network(rs.getString(1), rs.getString(2), CredentialKind.valueOf(rs.getString(3)), rs.getString(4),
                            new ValidityPolicy(rs.getBoolean(5), Duration.ofMinutes(rs.getLong(6)), Duration.ofMinutes(rs.getLong(7))),
                            rs.getString(8) == null ? null : new MerakiTarget(rs.getString(8), rs.getInt(9), rs.getString(10), rs.getString(11)),
                            rs.getString(12) == null ? null : RadiusVendor.valueOf(rs.getString(12))));
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- credentials

    /** The guest's active credential at the venue, locked until the transaction ends. */
    Optional<StoredCredential> activeForUpdate(Connection c, GuestId guest, String venueId) throws SQLException {
        List<StoredCredential> found = credentials(c, "WHERE guest_id = ? AND venue_id = ? AND state = 'ACTIVE' FOR UPDATE",
                guest.value(), venueId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    void insert(Connection c, StoredCredential credential) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO onb_credential (id, guest_id, venue_id, kind, username, passphrase_sealed, "
                + "valid_from, valid_until, state, active_venue_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)")) {
            s.setString(1, credential.id());
            s.setString(2, credential.guest().value());
            s.setString(3, credential.venueId());
            s.setString(4, credential.kind().name());
            s.setString(5, credential.username());
            s.setBytes(6, credential.sealedPassphrase());
            s.setObject(7, utc(credential.window().from()));
            s.setObject(8, utc(credential.window().until()));
            s.setString(9, credential.venueId());
            s.setObject(10, utc(credential.createdAt()));
            s.setObject(11, utc(credential.createdAt()));
            s.executeUpdate();
        }
    }

    /** Moves an active credential's window; the guest is told again (the dates they were sent are wrong now). */
    boolean moveWindow(Connection c, String id, ValidityWindow window, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE onb_credential SET valid_from = ?, valid_until = ?, delivered_at = NULL, "
                + "sms_delivered_at = NULL, delivery_queued_at = NULL, updated_at = ? WHERE id = ? AND state = 'ACTIVE'")) {
            s.setObject(1, utc(window.from()));
            s.setObject(2, utc(window.until()));
            s.setObject(3, utc(now));
            s.setString(4, id);
            return s.executeUpdate() == 1;
        }
    }

    boolean revoke(Connection c, String id, String reason, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE onb_credential SET state = 'REVOKED', active_venue_id = NULL, revoked_at = ?, revoked_reason = ?, "
                + "updated_at = ? WHERE id = ? AND state = 'ACTIVE'")) {
            s.setObject(1, utc(now));
            s.setString(2, reason);
            s.setObject(3, utc(now));
            s.setString(4, id);
            return s.executeUpdate() == 1;
        }
    }

    Optional<StoredCredential> byUsername(Connection c, String username) throws SQLException {
        List<StoredCredential> found = credentials(c, "WHERE username = ?", username);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    Optional<StoredCredential> byId(Connection c, String id) throws SQLException {
        List<StoredCredential> found = credentials(c, "WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    List<StoredCredential> ofGuest(Connection c, GuestId guest) throws SQLException {
        return credentials(c, "WHERE guest_id = ? ORDER BY created_at DESC, id", guest.value());
    }

    /**
     * Active credentials neither delivered nor handed to delivery whose window starts before {@code horizon}, earliest
     * first, locked and skipped by other instances' delivery runs.
     */
    List<StoredCredential> dueForDelivery(Connection c, Instant horizon, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + CREDENTIAL_COLUMNS + " FROM onb_credential WHERE state = 'ACTIVE' "
                + "AND delivered_at IS NULL AND delivery_queued_at IS NULL AND valid_from <= ? ORDER BY valid_from, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            s.setObject(1, utc(horizon));
            s.setInt(2, limit);
            return read(s);
        }
    }

    /** Notes that the credential's delivery is queued; false when it is no longer waiting for one. */
    boolean markQueued(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE onb_credential SET delivery_queued_at = ? WHERE id = ? AND state = 'ACTIVE' "
                + "AND delivered_at IS NULL AND delivery_queued_at IS NULL")) {
            s.setObject(1, utc(at));
            s.setString(2, id);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Marks an active credential delivered with the window the guest was told; false when it was revoked or its window
     * moved meanwhile (then the moved window is delivered again).
     */
    boolean markDelivered(Connection c, String id, ValidityWindow told, Instant at) throws SQLException {
        return markSent(c, "delivered_at", id, told, at);
    }

    /** Marks an active credential's text as taken by the SMS gateway, with the window it told; as {@link #markDelivered}. */
    boolean markTexted(Connection c, String id, ValidityWindow told, Instant at) throws SQLException {
        return markSent(c, "sms_delivered_at", id, told, at);
    }

    /** {@code sentColumn} is one of this class's own column names, never input. */
    private boolean markSent(Connection c, String sentColumn, String id, ValidityWindow told, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE onb_credential SET " + sentColumn + " = ?, updated_at = ? WHERE id = ? "
                + "AND state = 'ACTIVE' AND valid_from = ? AND valid_until = ?")) {
            s.setObject(1, utc(at));
            s.setObject(2, utc(at));
            s.setString(3, id);
            s.setObject(4, utc(told.from()));
            s.setObject(5, utc(told.until()));
            return s.executeUpdate() == 1;
        }
    }

    /** Whether the SMS gateway took the credential's text for its current window. */
    boolean texted(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT sms_delivered_at IS NOT NULL FROM onb_credential WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** A venue's credentials, newest first, paged by creation; {@code state} null for every state. */
    List<StoredCredential> ofVenue(Connection c, String venueId, StoredCredential.State state, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + CREDENTIAL_COLUMNS + " FROM onb_credential WHERE venue_id = ?"
                + (state == null ? "" : " AND state = ?") + " ORDER BY created_at DESC, id LIMIT ?")) {
            int i = 1;
            s.setString(i++, venueId);
            if (state != null) {
                s.setString(i++, state.name());
            }
            s.setInt(i, limit);
            return read(s);
        }
    }

    /** The credential, locked until the transaction ends. */
    Optional<StoredCredential> byIdForUpdate(Connection c, String id) throws SQLException {
        List<StoredCredential> found = credentials(c, "WHERE id = ? FOR UPDATE", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** A new passphrase for an active credential; it is delivered again on every channel. */
    boolean replacePassphrase(Connection c, String id, byte[] sealed, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE onb_credential SET passphrase_sealed = ?, delivered_at = NULL, sms_delivered_at = NULL, "
                + "delivery_queued_at = NULL, updated_at = ? WHERE id = ? AND state = 'ACTIVE'")) {
            s.setBytes(1, sealed);
            s.setObject(2, utc(now));
            s.setString(3, id);
            return s.executeUpdate() == 1;
        }
    }

    /** Whether staff revoked a credential of the guest at the venue whose window reaches into {@code window}: the stay gets no new one. */
    boolean revokedByOperator(Connection c, GuestId guest, String venueId, ValidityWindow window) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM onb_credential WHERE guest_id = ? AND venue_id = ? AND state = 'REVOKED' "
                + "AND revoked_reason = ? AND valid_from <= ? AND valid_until >= ? LIMIT 1")) {
            s.setString(1, guest.value());
            s.setString(2, venueId);
            s.setString(3, OPERATOR);
            s.setObject(4, utc(window.until()));
            s.setObject(5, utc(window.from()));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The revocation reason of a credential staff ended. */
    static final String OPERATOR = "OPERATOR";

    // ---------------------------------------------------------------- Meraki identity PSKs

    /** The dashboard's id of the credential's identity PSK, if one was created. */
    Optional<String> merakiPskId(Connection c, String credentialId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT meraki_psk_id FROM onb_credential WHERE id = ?")) {
            s.setString(1, credentialId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Notes the identity PSK created for an active credential; false when it was revoked, erased or already has one. */
    boolean recordMerakiPsk(Connection c, String credentialId, String pskId, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE onb_credential SET meraki_psk_id = ?, updated_at = ? WHERE id = ? "
                + "AND state = 'ACTIVE' AND meraki_psk_id IS NULL")) {
            s.setString(1, pskId);
            s.setObject(2, utc(now));
            s.setString(3, credentialId);
            return s.executeUpdate() == 1;
        }
    }

    /** Forgets a deleted identity PSK; false when the credential no longer names it. */
    boolean forgetMerakiPsk(Connection c, String credentialId, String pskId, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE onb_credential SET meraki_psk_id = NULL, updated_at = ? WHERE id = ? AND meraki_psk_id = ?")) {
            s.setObject(1, utc(now));
            s.setString(2, credentialId);
            s.setString(3, pskId);
            return s.executeUpdate() == 1;
        }
    }

    /** The guest's credentials that have an identity PSK on a dashboard: credential id, venue id, identity PSK id. */
    List<String[]> merakiPsksOfGuest(Connection c, GuestId guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, venue_id, meraki_psk_id FROM onb_credential WHERE guest_id = ? "
                + "AND meraki_psk_id IS NOT NULL")) {
            s.setString(1, guest.value());
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- devices bound to PPSK credentials

    /** Binds a device (its keyed hash) to the credential; false when it was bound already. */
    boolean bindDevice(Connection c, String credentialId, String deviceHash, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO onb_credential_device (credential_id, device_hash, bound_at) VALUES (?, ?, ?)")) {
            s.setString(1, credentialId);
            s.setString(2, deviceHash);
            s.setObject(3, utc(now));
            return s.executeUpdate() == 1;
        }
    }

    /** Unbinds a device (its keyed hash) from the credential; false when it was not bound to it. */
    boolean unbindDevice(Connection c, String credentialId, String deviceHash) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM onb_credential_device WHERE credential_id = ? AND device_hash = ?")) {
            s.setString(1, credentialId);
            s.setString(2, deviceHash);
            return s.executeUpdate() == 1;
        }
    }

    int devicesOf(Connection c, String credentialId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM onb_credential_device WHERE credential_id = ?")) {
            s.setString(1, credentialId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The other active credential at the venue the device is bound to, if any: a device joins with one passphrase. */
    Optional<String> activeHolderAtVenue(Connection c, String venueId, String deviceHash, String exceptCredentialId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT d.credential_id FROM onb_credential_device d JOIN onb_credential cr ON cr.id = d.credential_id "
                + "WHERE d.device_hash = ? AND cr.venue_id = ? AND cr.state = 'ACTIVE' AND cr.id <> ? LIMIT 1")) {
            s.setString(1, deviceHash);
            s.setString(2, venueId);
            s.setString(3, exceptCredentialId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The active PPSK credentials the device is bound to, with their network (one query: RADIUS asks this for every device). */
    List<DeviceCredential> activeForDevice(Connection c, String deviceHash) throws SQLException {
        String columns = "cr." + CREDENTIAL_COLUMNS.replace(", ", ", cr.");
        try (PreparedStatement s = c.prepareStatement("SELECT " + columns + ", n.ssid, n.radius_vendor FROM onb_credential_device d "
                + "JOIN onb_credential cr ON cr.id = d.credential_id JOIN onb_network n ON n.venue_id = cr.venue_id "
                + "WHERE d.device_hash = ? AND cr.state = 'ACTIVE' AND cr.kind = 'PPSK'")) {
            s.setString(1, deviceHash);
            List<DeviceCredential> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int n = 13; // CREDENTIAL_COLUMNS
                while (rs.next()) {
                    out.add(new DeviceCredential(credential(rs), rs.getString(n + 1),
                            rs.getString(n + 2) == null ? null : RadiusVendor.valueOf(rs.getString(n + 2))));
                }
            }
            return out;
        }
    }

    /**
     * The active PPSK credentials inside their window at {@code at} on the Ruckus networks named {@code ssid}: whose
     * passphrase may have made an unbound device's DPSK handshake. Newest window first (the guest who just arrived is the
     * likeliest), at most {@code limit}.
     */
    List<StoredCredential> dpskCandidates(Connection c, String ssid, Instant at, int limit) throws SQLException {
        String columns = "cr." + CREDENTIAL_COLUMNS.replace(", ", ", cr.");
        try (PreparedStatement s = c.prepareStatement("SELECT " + columns + " FROM onb_network n JOIN onb_credential cr ON cr.active_venue_id = n.venue_id "
                + "WHERE n.ssid = ? AND n.radius_vendor = 'RUCKUS' AND cr.state = 'ACTIVE' AND cr.kind = 'PPSK' AND cr.valid_from <= ? "
                + "AND cr.valid_until > ? ORDER BY cr.valid_from DESC, cr.id LIMIT ?")) {
            s.setString(1, ssid);
            s.setObject(2, utc(at));
            s.setObject(3, utc(at));
            s.setInt(4, limit);
            return read(s);
        }
    }

    /** A credential a device is bound to, with the SSID and RADIUS vendor of its venue's network. */
    record DeviceCredential(StoredCredential credential, String ssid, RadiusVendor radiusVendor) {
    }

    int eraseGuest(Connection c, GuestId guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM onb_credential WHERE guest_id = ?")) {
            s.setString(1, guest.value());
            return s.executeUpdate();
        }
    }

    private List<StoredCredential> credentials(Connection c, String where, String... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + CREDENTIAL_COLUMNS + " FROM onb_credential " + where)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            return read(s);
        }
    }

    private static StoredCredential credential(ResultSet rs) throws SQLException {
        return new StoredCredential(rs.getString(1), new GuestId(rs.getString(2)), rs.getString(3), CredentialKind.valueOf(rs.getString(4)),
                rs.getString(5), rs.getBytes(6), new ValidityWindow(Jdbc.instant(rs, 7), Jdbc.instant(rs, 8)),
                StoredCredential.State.valueOf(rs.getString(9)), Jdbc.instant(rs, 10), rs.getString(11), Jdbc.instant(rs, 12), Jdbc.instant(rs, 13));
    }

    private static List<StoredCredential> read(PreparedStatement s) throws SQLException {
        List<StoredCredential> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(credential(rs));
            }
        }
        return out;
    }
}
