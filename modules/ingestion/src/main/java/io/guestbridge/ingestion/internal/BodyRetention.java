package io.guestbridge.ingestion.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
 */
final class BodyRetention {

    static final int CHUNK = 1_000;

    /** One chunk's result: bodies emptied, their id range, where the next chunk starts, and whether the walk is done for now. */
    record Pass(int purged, long firstId, long lastId, long mark, boolean caughtUp) {
    }

    private BodyRetention() {
    }

    /** Empties the bodies of processed rows received before {@code cutoff}, in one chunk after {@code mark}. */
    static Pass purgeChunk(Connection c, long mark, Instant cutoff) throws SQLException {
        List<Long> expired = new ArrayList<>();
        boolean caughtUp = false;
        int seen = 0;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, received_at FROM ing_inbox WHERE state = 'PROCESSED' AND id > ? ORDER BY id LIMIT " + CHUNK)) {
            s.setLong(1, mark);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    seen++;
                    Instant received = rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC);
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
                "UPDATE ing_inbox SET body = '' WHERE state = 'PROCESSED' AND body <> '' AND id IN (" + in + ")")) {
            purged = s.executeUpdate();
        }
        long last = expired.get(expired.size() - 1);
        return new Pass(purged, expired.get(0), last, last, caughtUp);
    }
}
