package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.platform.api.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage limitation for the inbox: the raw body of a processed event (names, email, birth date as the
 * sender sent them) is emptied once it is older than the retention; the row stays, without personal data,
 * as the record that the event arrived and was processed. Quarantined rows keep their body until they are
 * replayed or discarded (a fix needs it); duplicates', refused and discarded rows lose it when they are
 * finished already.
 *
 * <p>The walk follows the {@code (state, id)} index from a mark, so a pass reads only rows it has not seen:
 * ids grow with the receipt time, and the walk stops at the first row still inside the retention. The mark
 * lives in memory; after a restart the walk starts from the beginning again, which also catches a
 * quarantined row that was replayed after the mark had passed it.
 *
 * <p>Emptying a row reaches only this database; backups still hold the body. What makes it unreadable there
 * is the end of its day key ({@link InboxBodies}): once the walk has caught up, each day whose bodies are all
 * past the retention has its key destroyed, after the bodies the inbox still needs (events waiting for
 * processing, quarantined ones) were sealed again under today's key. A processed body the walk has not
 * emptied yet (processed late) is left as ciphertext no key opens.
 */
public final class BodyRetention {

    static final int CHUNK = 1_000;

    /** One chunk's result: bodies emptied, their id range, where the next chunk starts, and whether the walk is done for now. */
    public record Pass(int purged, long firstId, long lastId, long mark, boolean caughtUp) {
    }

    private BodyRetention() {
    }

    /** The days whose keys may be destroyed: every body received on them is past the retention that ends at {@code cutoff}. */
    public static List<LocalDate> expiredDays(List<String> dayKeys, Instant cutoff) {
        LocalDate firstKept = InboxBodies.day(cutoff);
        List<LocalDate> expired = new ArrayList<>();
        for (String id : dayKeys) {
            LocalDate day = LocalDate.parse(id);
            if (day.isBefore(firstKept)) {
                expired.add(day);
            }
        }
        return expired;
    }

    /**
     * Seals again, under the key of {@code today}, the bodies under {@code day}'s key that the inbox still
     * needs (waiting for processing, or quarantined until replayed or discarded), so that key can be
     * destroyed. Returns how many moved.
     */
    public static int resealDay(Connection c, InboxBodies bodies, LocalDate day, LocalDate today) throws SQLException {
        record Stored(long id, String sourceId, String sha256, byte[] body) {
        }
        List<Stored> stored = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, source_id, body_sha256, body FROM ing_inbox "
                + "WHERE state IN ('RECEIVED', 'QUARANTINED') AND body_key = ? ORDER BY id FOR UPDATE")) {
            s.setString(1, InboxBodies.dayRef(day));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    stored.add(new Stored(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE ing_inbox SET body = ?, body_key = ? WHERE id = ?")) {
            for (Stored row : stored) {
                InboxBodies.Sealed moved = bodies.reseal(row.id(), row.sourceId(), row.sha256(), row.body(), InboxBodies.dayRef(day), today);
                s.setBytes(1, moved.body());
                s.setString(2, moved.keyRef());
                s.setLong(3, row.id());
                s.addBatch();
            }
            s.executeBatch();
        }
        return stored.size();
    }

    /**
     * Seals a chunk of the bodies an earlier version stored in clear ({@code ing_clear_body} lists them):
     * under today's key, and a processed one under its guest's key too; a processed body already past the
     * retention is emptied instead, as is one whose guest was erased. Returns how many rows it handled (0
     * when the list is empty).
     */
    public static int sealClearChunk(Connection c, InboxBodies bodies, Instant cutoff, LocalDate today) throws SQLException {
        List<Long> listed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT inbox_id FROM ing_clear_body ORDER BY inbox_id LIMIT 200 FOR UPDATE");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                listed.add(rs.getLong(1));
            }
        }
        if (listed.isEmpty()) {
            return 0;
        }
        String in = listed.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        try (PreparedStatement select = c.prepareStatement("SELECT id, source_id, body_sha256, body, state, guest_id, received_at FROM ing_inbox "
                + "WHERE id IN (" + in + ") AND body_key IS NULL AND LENGTH(body) > 0 FOR UPDATE");
             PreparedStatement update = c.prepareStatement("UPDATE ing_inbox SET body = ?, body_key = ? WHERE id = ?");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                String state = rs.getString(5);
                String guest = rs.getString(6);
                Instant received = Jdbc.instant(rs, 7);
                InboxBodies.Sealed sealed;
                if ("PROCESSED".equals(state) && received.isBefore(cutoff)) {
                    sealed = new InboxBodies.Sealed(new byte[0], null);
                } else {
                    sealed = bodies.seal(rs.getString(2), rs.getString(3), rs.getBytes(4), today);
                    if ("PROCESSED".equals(state) && guest != null) {
                        sealed = bodies.forGuest(id, new io.guestbridge.identity.api.GuestId(guest), sealed)
                                .orElse(new InboxBodies.Sealed(new byte[0], null));
                    }
                }
                update.setBytes(1, sealed.body());
                update.setString(2, sealed.keyRef());
                update.setLong(3, id);
                update.addBatch();
            }
            update.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM ing_clear_body WHERE inbox_id IN (" + in + ")")) {
            s.executeUpdate();
        }
        return listed.size();
    }

    /** Empties the bodies of processed rows received before {@code cutoff}, in one chunk after {@code mark}. */
    public static Pass purgeChunk(Connection c, long mark, Instant cutoff) throws SQLException {
        List<Long> expired = new ArrayList<>();
        boolean caughtUp = false;
        int seen = 0;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, received_at FROM ing_inbox WHERE state = 'PROCESSED' AND id > ? ORDER BY id LIMIT " + CHUNK)) {
            s.setLong(1, mark);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    seen++;
                    Instant received = Jdbc.instant(rs, 2);
                    if (!received.isBefore(cutoff)) {
                        caughtUp = true;
                        break;
                    }
                    expired.add(rs.getLong(1));
                }
            }
        }
        caughtUp |= seen < CHUNK;
        if (expired.isEmpty()) {
            return new Pass(0, 0, 0, mark, caughtUp);
        }
        StringBuilder in = new StringBuilder();
        expired.forEach(id -> in.append(in.isEmpty() ? "" : ",").append(id));
        int purged;
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE ing_inbox SET body = '', body_key = NULL WHERE state = 'PROCESSED' AND body <> '' AND id IN (" + in + ")")) {
            purged = s.executeUpdate();
        }
        long last = expired.get(expired.size() - 1);
        return new Pass(purged, expired.get(0), last, last, caughtUp);
    }
}
