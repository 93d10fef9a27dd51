package io.guestbridge.consent.internal;

import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.identity.api.GuestId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import io.guestbridge.platform.api.Digests;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * The SQL of the consent ledger, on a connection whose transaction the caller owns.
 *
 * <p>Which decision is in force is a query, not a stored state: the latest by capture time at the
 * source; between decisions captured at the same instant the more protective one wins (withdrawn,
 * denied, invalid, granted), so the answer does not depend on the order rows arrived in.
 */
// plain JDBC: appended on the processing path and queried for the state in force, both measured by bench/processing (CurrentConsentBenchmark at 10,000 rows)
final class ConsentLedgerStore {

    static final String GENESIS = "0".repeat(64);
    /** Between decisions captured at one instant, the more protective first; between equal ones, the later recorded. */
    private static final String PRECEDENCE = "FIELD(decision, 'WITHDRAWN', 'DENIED', 'INVALID', 'GRANTED') ASC, seq DESC";
    private static final String IN_FORCE_ORDER = " ORDER BY captured_at DESC, " + PRECEDENCE + " LIMIT 1";

    long append(Connection c, ConsentRecord record, Instant recordedAt) throws SQLException {
        String guest = record.guest().value();
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO cns_chain_head (guest_id, last_hash) VALUES (?, ?) ON DUPLICATE KEY UPDATE guest_id = guest_id")) {
            s.setString(1, guest);
            s.setString(2, GENESIS);
            s.executeUpdate();
        }
        String previous;
        try (PreparedStatement s = c.prepareStatement("SELECT last_hash FROM cns_chain_head WHERE guest_id = ? FOR UPDATE")) {
            s.setString(1, guest);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                previous = rs.getString(1);
            }
        }
        Instant captured = record.capturedAt().truncatedTo(ChronoUnit.MICROS);
        Instant recorded = recordedAt.truncatedTo(ChronoUnit.MICROS);
        String evidence = encode(record.evidence());
        String hash = hash(guest, record.purpose(), record.recordedDecision().name(), record.wordingId(), record.wordingVersion(),
                captured, recorded, record.channel(), evidence, previous);
        long seq;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO cns_ledger (guest_id, purpose, decision, wording_id, wording_version, "
                + "captured_at, recorded_at, channel, evidence, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING seq")) {
            s.setString(1, guest);
            s.setString(2, record.purpose());
            s.setString(3, record.recordedDecision().name());
            s.setString(4, record.wordingId());
            s.setString(5, record.wordingVersion());
            s.setObject(6, utc(captured));
            s.setObject(7, utc(recorded));
            s.setString(8, record.channel());
            s.setString(9, evidence);
            s.setString(10, previous);
            s.setString(11, hash);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE cns_chain_head SET last_hash = ? WHERE guest_id = ?")) {
            s.setString(1, hash);
            s.setString(2, guest);
            s.executeUpdate();
        }
        return seq;
    }

    /**
     * Appends many records, each to its guest's chain in the order given, as {@link #append} one after the other
     * would, in four statements: the chain heads created where missing, locked and read in one statement (in guest
     * order, as two transactions lock them), the rows inserted by one (their sequence numbers returned in the order
     * inserted), the heads moved by one. Returns the sequence numbers in the records' order.
     */
    List<Long> appendAll(Connection c, List<ConsentRecord> records, Instant recordedAt) throws SQLException {
        java.util.SortedSet<String> guests = new java.util.TreeSet<>();
        records.forEach(r -> guests.add(r.guest().value()));
        String marks = String.join(",", java.util.Collections.nCopies(guests.size(), "?"));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO cns_chain_head (guest_id, last_hash) VALUES "
                + String.join(",", java.util.Collections.nCopies(guests.size(), "(?, ?)")) + " ON DUPLICATE KEY UPDATE guest_id = guest_id")) {
            int p = 1;
            for (String guest : guests) {
                s.setString(p++, guest);
                s.setString(p++, GENESIS);
            }
            s.executeUpdate();
        }
        Map<String, String> heads = new java.util.HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT guest_id, last_hash FROM cns_chain_head WHERE guest_id IN (" + marks
                + ") ORDER BY guest_id FOR UPDATE")) {
            int p = 1;
            for (String guest : guests) {
                s.setString(p++, guest);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        Instant recorded = recordedAt.truncatedTo(ChronoUnit.MICROS);
        List<Long> seqs = new java.util.ArrayList<>(records.size());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO cns_ledger (guest_id, purpose, decision, wording_id, wording_version, "
                + "captured_at, recorded_at, channel, evidence, prev_hash, hash) VALUES "
                + String.join(",", java.util.Collections.nCopies(records.size(), "(?,?,?,?,?,?,?,?,?,?,?)")) + " RETURNING seq")) {
            int p = 1;
            for (ConsentRecord record : records) {
                String guest = record.guest().value();
                String previous = heads.get(guest);
                if (previous == null) {
                    throw new SQLException("the consent chain head of a guest was neither created nor found");
                }
                Instant captured = record.capturedAt().truncatedTo(ChronoUnit.MICROS);
                String evidence = encode(record.evidence());
                String hash = hash(guest, record.purpose(), record.recordedDecision().name(), record.wordingId(), record.wordingVersion(),
                        captured, recorded, record.channel(), evidence, previous);
                heads.put(guest, hash);
                s.setString(p++, guest);
                s.setString(p++, record.purpose());
                s.setString(p++, record.recordedDecision().name());
                s.setString(p++, record.wordingId());
                s.setString(p++, record.wordingVersion());
                s.setObject(p++, utc(captured));
                s.setObject(p++, utc(recorded));
                s.setString(p++, record.channel());
                s.setString(p++, evidence);
                s.setString(p++, previous);
                s.setString(p++, hash);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        }
        if (seqs.size() != records.size()) {
            throw new SQLException("the ledger returned " + seqs.size() + " sequence numbers for " + records.size() + " rows");
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO cns_chain_head (guest_id, last_hash) VALUES "
                + String.join(",", java.util.Collections.nCopies(guests.size(), "(?, ?)")) + " ON DUPLICATE KEY UPDATE last_hash = VALUES(last_hash)")) {
            int p = 1;
            for (String guest : guests) {
                s.setString(p++, guest);
                s.setString(p++, heads.get(guest));
            }
            s.executeUpdate();
        }
        return seqs;
    }

    Optional<ConsentDecision> current(Connection c, GuestId guest, String purpose) throws SQLException {
        // the latest capture time first, by an index seek; the tie-break among decisions captured at that very
        // moment needs a sort, but only of those few rows (sorting all of a guest's rows cost milliseconds at 10,000)
        try (PreparedStatement s = c.prepareStatement("SELECT decision FROM cns_ledger WHERE guest_id = ? AND purpose = ? AND captured_at = "
                + "(SELECT MAX(captured_at) FROM cns_ledger WHERE guest_id = ? AND purpose = ?)" + IN_FORCE_ORDER)) {
            s.setString(1, guest.value());
            s.setString(2, purpose);
            s.setString(3, guest.value());
            s.setString(4, purpose);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(ConsentDecision.valueOf(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** The ledger row whose decision is in force for the purpose (what {@link #current} derives the decision from). */
    Optional<ConsentLedger.Entry> inForce(Connection c, GuestId guest, String purpose) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT seq, purpose, decision, wording_id, wording_version, captured_at, recorded_at, "
                + "channel, evidence, hash FROM cns_ledger WHERE guest_id = ? AND purpose = ? AND captured_at = "
                + "(SELECT MAX(captured_at) FROM cns_ledger WHERE guest_id = ? AND purpose = ?)" + IN_FORCE_ORDER)) {
            s.setString(1, guest.value());
            s.setString(2, purpose);
            s.setString(3, guest.value());
            s.setString(4, purpose);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        }
    }

    /** How many guests one statement of {@link #inForceAll} asks about. */
    private static final int GUESTS_PER_QUERY = 500;

    /**
     * {@link #inForce} for many guests, in one statement per {@value #GUESTS_PER_QUERY}: each guest's latest capture time by
     * an index seek (a loose scan of the guest/purpose/capture-time index), then only the rows captured at that instant,
     * the same tie-break applied to them; guests without a decision for the purpose are absent. A batch of contacts cost a
     * query per guest before. The guests' ranges are counted in the index while planning ({@link Jdbc#withIndexDives}),
     * and the latest times come first and find their rows by that index (STRAIGHT_JOIN, FORCE INDEX): statistics that lag
     * a growing ledger otherwise made MariaDB read the whole index for one batch and join the times to it.
     */
    Map<GuestId, ConsentLedger.Entry> inForceAll(Connection c, List<GuestId> guests, String purpose) throws SQLException {
        Map<GuestId, ConsentLedger.Entry> all = new java.util.HashMap<>();
        Map<String, GuestId> byId = new LinkedHashMap<>();
        guests.forEach(g -> byId.putIfAbsent(g.value(), g));
        List<String> ids = new ArrayList<>(byId.keySet());
        for (int from = 0; from < ids.size(); from += GUESTS_PER_QUERY) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + GUESTS_PER_QUERY));
            try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT l.seq, l.purpose, l.decision, l.wording_id, l.wording_version, l.captured_at, "
                    + "l.recorded_at, l.channel, l.evidence, l.hash, l.guest_id FROM (SELECT guest_id, MAX(captured_at) AS at "
                    + "FROM cns_ledger WHERE purpose = ? AND guest_id IN (" + String.join(",", java.util.Collections.nCopies(part.size(), "?"))
                    + ") GROUP BY guest_id) latest STRAIGHT_JOIN cns_ledger l FORCE INDEX (ix_cns_ledger_guest) "
                    + "ON l.guest_id = latest.guest_id AND l.purpose = ? AND l.captured_at = latest.at "
                    + "ORDER BY l.guest_id, " + PRECEDENCE.replace("decision", "l.decision").replace("seq", "l.seq")))) {
                int p = 1;
                s.setString(p++, purpose);
                for (String id : part) {
                    s.setString(p++, id);
                }
                s.setString(p, purpose);
                try (ResultSet rs = s.executeQuery()) {
                    String previous = null;
                    while (rs.next()) {
                        String id = rs.getString(11);
                        if (!id.equals(previous)) {
                            // the first row of each guest is the one in force
                            GuestId guest = byId.get(id);
                            all.put(guest == null ? new GuestId(id) : guest, entry(rs));
                            previous = id;
                        }
                    }
                }
            }
        }
        return all;
    }

    private static ConsentLedger.Entry entry(ResultSet rs) throws SQLException {
        return new ConsentLedger.Entry(rs.getLong(1), rs.getString(2), ConsentDecision.valueOf(rs.getString(3)),
                rs.getString(4), rs.getString(5), Jdbc.instant(rs, 6),
                Jdbc.instant(rs, 7), rs.getString(8), decode(rs.getString(9)),
                rs.getString(10));
    }

    boolean permits(Connection c, GuestId guest, String purpose, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT decision FROM cns_ledger WHERE guest_id = ? AND purpose = ? AND captured_at = "
                + "(SELECT MAX(captured_at) FROM cns_ledger WHERE guest_id = ? AND purpose = ? AND captured_at <= ?)" + IN_FORCE_ORDER)) {
            s.setString(1, guest.value());
            s.setString(2, purpose);
            s.setString(3, guest.value());
            s.setString(4, purpose);
            s.setObject(5, utc(at));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && ConsentDecision.valueOf(rs.getString(1)).permits();
            }
        }
    }

    ConsentLedger.Permitted permitted(Connection c, String purpose, String after, int limit) throws SQLException {
        List<GuestId> candidates = new ArrayList<>();
        // who ever granted it, by the (purpose, decision, guest_id) index; the decision in force is then derived per
        // guest by the one rule every reader uses, rather than by a second formulation of it in SQL
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT guest_id FROM cns_ledger WHERE purpose = ? AND decision = 'GRANTED' "
                + "AND guest_id > ? ORDER BY guest_id LIMIT ?")) {
            s.setString(1, purpose);
            s.setString(2, after == null ? "" : after);
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new GuestId(rs.getString(1)));
                }
            }
        }
        List<GuestId> permitted = new ArrayList<>();
        for (GuestId guest : candidates) {
            if (current(c, guest, purpose).map(ConsentDecision::permits).orElse(false)) {
                permitted.add(guest);
            }
        }
        return new ConsentLedger.Permitted(permitted, candidates.size() < limit ? null : candidates.get(candidates.size() - 1).value());
    }

    List<ConsentLedger.Entry> history(Connection c, GuestId guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT seq, purpose, decision, wording_id, wording_version, captured_at, recorded_at, "
                + "channel, evidence, hash FROM cns_ledger WHERE guest_id = ? ORDER BY captured_at, seq")) {
            s.setString(1, guest.value());
            List<ConsentLedger.Entry> entries = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(entry(rs));
                }
            }
            return entries;
        }
    }

    /** Checks the guest's chain: each row links to the one before and its content matches its hash. */
    Optional<Long> firstBrokenLink(Connection c, GuestId guest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT seq, purpose, decision, wording_id, wording_version, captured_at, recorded_at, "
                + "channel, evidence, prev_hash, hash FROM cns_ledger WHERE guest_id = ? ORDER BY seq")) {
            s.setString(1, guest.value());
            String previous = GENESIS;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String expected = hash(guest.value(), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            Jdbc.instant(rs, 6), Jdbc.instant(rs, 7),
                            rs.getString(8), rs.getString(9), rs.getString(10));
                    if (!rs.getString(10).equals(previous) || !rs.getString(11).equals(expected)) {
                        return Optional.of(rs.getLong(1));
                    }
                    previous = rs.getString(11);
                }
            }
        }
        return Optional.empty();
    }

    /** Length-prefixed fields: unambiguous whatever characters a channel or evidence holds. */
    static String hash(String guest, String purpose, String decision, String wordingId, String wordingVersion, Instant captured,
                       Instant recorded, String channel, String evidence, String previous) {
        StringBuilder canonical = new StringBuilder();
        for (String part : new String[]{guest, purpose, decision, wordingId, wordingVersion, captured.toString(), recorded.toString(),
                channel, evidence, previous}) {
            String value = part == null ? "" : part;
            canonical.append(part == null ? -1 : value.length()).append(':').append(value).append(';');
        }
        return Digests.sha256Hex(canonical.toString());
    }

    static String encode(Map<String, String> evidence) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(evidence).entrySet()) {
            out.append(e.getKey().length()).append(':').append(e.getKey()).append(e.getValue().length()).append(':').append(e.getValue());
        }
        return out.toString();
    }

    static Map<String, String> decode(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < encoded.length()) {
            String[] kv = new String[2];
            for (int k = 0; k < 2; k++) {
                int colon = encoded.indexOf(':', i);
                int length = Integer.parseInt(encoded.substring(i, colon));
                kv[k] = encoded.substring(colon + 1, colon + 1 + length);
                i = colon + 1 + length;
            }
            out.put(kv[0], kv[1]);
        }
        return out;
    }
}
