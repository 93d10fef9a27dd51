package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.platform.api.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which guests each sponsor received (SQL of {@code crm_sponsor_share}, on a connection whose transaction the caller
 * owns). A share is current from the export that first included the guest until one that no longer does; then it is
 * stopped with its reason, and an export that includes the guest again resumes it.
 */
final class SponsorShares {

    /** Why a sponsor no longer receives a guest. */
    enum StopReason {
        /** The guest's {@code sponsor:<id>} decision in force is no longer a grant (withdrawn, or a later refusal). */
        CONSENT_NOT_IN_FORCE,
        /** The agreement has ended (or was ended). */
        AGREEMENT_NOT_IN_FORCE
    }

    /** What an export changed: guests shared for the first time or again, guests still shared, guests no longer shared. */
    record Reconciled(List<String> started, int continued, List<String> stopped) {
    }

    /** One guest's share with one sponsor, for the guest's access export. */
    record Share(String sponsorId, Instant firstSharedAt, Instant lastSharedAt, Instant stoppedAt, String stopReason) {
    }

    /**
     * Records that the sponsor receives exactly {@code guests} now: those not currently shared start (or resume), those
     * currently shared but not among them stop ({@link StopReason#CONSENT_NOT_IN_FORCE}).
     */
    Reconciled share(Connection c, String sponsor, Collection<String> guests, Instant now) throws SQLException {
        Set<String> current = current(c, sponsor);
        Set<String> wanted = new LinkedHashSet<>(guests);
        List<String> stopped = new ArrayList<>(new TreeSet<>(current));
        stopped.removeAll(wanted);
        stop(c, sponsor, stopped, StopReason.CONSENT_NOT_IN_FORCE, now);
        List<String> started = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO crm_sponsor_share (sponsor_id, guest_id, first_shared_at, last_shared_at) "
                + "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE last_shared_at = VALUES(last_shared_at), stopped_at = NULL, stop_reason = NULL")) {
            int batched = 0;
            for (String guest : wanted) {
                if (!current.contains(guest)) {
                    started.add(guest);
                }
                s.setString(1, sponsor);
                s.setString(2, guest);
                s.setObject(3, Jdbc.utc(now));
                s.setObject(4, Jdbc.utc(now));
                s.addBatch();
                if (++batched % 500 == 0) {
                    s.executeBatch();
                }
            }
            if (batched % 500 != 0) {
                s.executeBatch();
            }
        }
        return new Reconciled(List.copyOf(started), wanted.size() - started.size(), List.copyOf(stopped));
    }

    /** Stops every current share of the sponsor; returns the guests, in id order. */
    List<String> stopAll(Connection c, String sponsor, StopReason reason, Instant now) throws SQLException {
        List<String> stopped = new ArrayList<>(new TreeSet<>(current(c, sponsor)));
        stop(c, sponsor, stopped, reason, now);
        return stopped;
    }

    /** Sponsors whose agreement has ended by {@code now} and who still have current shares, at most {@code limit}, in id order. */
    List<String> expiredWithShares(Connection c, Instant now, int limit) throws SQLException {
        List<String> sponsors = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT p.id FROM crm_sponsor p WHERE p.ends_at <= ? AND EXISTS (SELECT 1 FROM crm_sponsor_share s "
                + "WHERE s.sponsor_id = p.id AND s.stopped_at IS NULL) ORDER BY p.id LIMIT " + limit)) {
            s.setObject(1, Jdbc.utc(now));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sponsors.add(rs.getString(1));
                }
            }
        }
        return sponsors;
    }

    /**
     * Stops the current shares of a sponsor whose agreement has ended by {@code now}, with the sponsor's row locked: an
     * instance doing the same waits, then finds nothing left to stop, and a DPO who renewed the agreement meanwhile wins
     * (nothing is stopped). Returns the guests, in id order.
     */
    List<String> stopIfExpired(Connection c, String sponsor, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT ends_at FROM crm_sponsor WHERE id = ? FOR UPDATE")) {
            s.setString(1, sponsor);
            try (ResultSet rs = s.executeQuery()) {
                Instant end = rs.next() ? Jdbc.instant(rs, 1) : null;
                if (end == null || end.isAfter(now)) {
                    return List.of();
                }
            }
        }
        return stopAll(c, sponsor, StopReason.AGREEMENT_NOT_IN_FORCE, now);
    }

    /** Stops every sponsor's current share of one guest; returns the sponsors, in id order. */
    List<String> stopGuest(Connection c, String guest, StopReason reason, Instant now) throws SQLException {
        List<String> sponsors = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT sponsor_id FROM crm_sponsor_share WHERE guest_id = ? AND stopped_at IS NULL "
                + "ORDER BY sponsor_id FOR UPDATE")) {
            s.setString(1, guest);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sponsors.add(rs.getString(1));
                }
            }
        }
        for (String sponsor : sponsors) {
            stop(c, sponsor, List.of(guest), reason, now);
        }
        return sponsors;
    }

    /** The guests the sponsor currently receives, locked until the caller's transaction ends. */
    Set<String> current(Connection c, String sponsor) throws SQLException {
        Set<String> current = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT guest_id FROM crm_sponsor_share WHERE sponsor_id = ? AND stopped_at IS NULL FOR UPDATE")) {
            s.setString(1, sponsor);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    current.add(rs.getString(1));
                }
            }
        }
        return current;
    }

    private static void stop(Connection c, String sponsor, List<String> guests, StopReason reason, Instant now) throws SQLException {
        if (guests.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE crm_sponsor_share SET stopped_at = ?, stop_reason = ? "
                + "WHERE sponsor_id = ? AND guest_id = ? AND stopped_at IS NULL")) {
            for (String guest : guests) {
                s.setObject(1, Jdbc.utc(now));
                s.setString(2, reason.name());
                s.setString(3, sponsor);
                s.setString(4, guest);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** The guest's shares, earliest first. */
    List<Share> ofGuest(Connection c, String guest) throws SQLException {
        List<Share> shares = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT sponsor_id, first_shared_at, last_shared_at, stopped_at, stop_reason "
                + "FROM crm_sponsor_share WHERE guest_id = ? ORDER BY first_shared_at, sponsor_id")) {
            s.setString(1, guest);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Instant stopped = Jdbc.instant(rs, 4);
                    shares.add(new Share(rs.getString(1), Jdbc.instant(rs, 2),
                            Jdbc.instant(rs, 3), stopped,
                            rs.getString(5)));
                }
            }
        }
        return shares;
    }

    int erase(Connection c, String guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM crm_sponsor_share WHERE guest_id = ?")) {
            s.setString(1, guest);
            return s.executeUpdate();
        }
    }
}
