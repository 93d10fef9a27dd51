package io.guestbridge.audit.internal;

import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.MerkleTree;
import io.guestbridge.tlog.NoteKey;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One step of the sequencer, in one transaction: renew the lease, number a batch of committed records,
 * append them to the Merkle tree, and sign a checkpoint when one is due.
 *
 * <p>The lease lives on the chain head's row, so the statement that renews or checks it also locks that row until
 * the commit: two instances can never number records at the same time, and an instance whose lease ran
 * out finds the row taken over and stands by. The records are read only after that lock is held, so the
 * read sees every batch committed before; a record of a transaction still running is not visible and
 * waits for a later batch, which is why numbers follow commit order closely but never leave a gap.
 */
@ApplicationScoped
public class SequencerBatch {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(SequencerBatch.class.getName());
    /** Once a minute is enough to be noticed; every second would bury the rest of the log. */
    private static volatile long lastRefusalLogged;
    private static final int ROWS_PER_STATEMENT = 500;

    /**
     * The last checkpoint this server signed or found signed, with the root its signature vouches for: the next checkpoint
     * checks the stored tree against that root, and an Ed25519 verification of the same note a second later told nothing
     * new (it cost more than the rest of a checkpoint). A note that differs in any byte, or another key, verifies again.
     */
    private record Vouched(NoteKey key, String note, byte[] root) {
    }

    private static volatile Vouched lastVouched;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    /** What a step did: whether this instance leads, how many records it added to the tree, the checkpoint it signed. */
    record Outcome(boolean leader, int numbered, Optional<String> checkpoint) {
    }

    /** The settings of a step. */
    record Settings(String instance, Duration lease, int batch, Optional<NoteKey> key, Duration checkpointEvery) {
    }

    @Transactional(TxType.REQUIRES_NEW)
    public Outcome step(Settings settings) {
        return Jdbc.inConnection(dataSource, "audit sequencer", c -> step(c, settings));
    }

    /**
     * Whether a step would find nothing to do: no committed record waits for its number, the tree holds every numbered
     * record, and (when checkpoints are signed) the last checkpoint covers the whole tree. One read in no transaction
     * that locks nothing, so that a leader with nothing to number need not lock and read the chain head ten times a
     * second; a record committed just after it is numbered at the next look.
     */
    @Transactional(TxType.SUPPORTS)
    public boolean idle(boolean signing) {
        return Jdbc.inConnection(dataSource, "audit sequencer", c -> idle(c, signing));
    }

    static boolean idle(Connection c, boolean signing) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT h.tree_size >= h.last_seq "
                + "AND NOT EXISTS (SELECT 1 FROM aud_pending) "
                + "AND (? = 0 OR h.tree_size = 0 OR h.tree_size <= (SELECT COALESCE(MAX(tree_size), 0) FROM aud_checkpoint)) "
                + "FROM aud_chain_head h WHERE h.id = ?")) {
            s.setInt(1, signing ? 1 : 0);
            s.setInt(2, AuditChainHead.ID);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** The step on the transaction of {@code c}, which the caller commits (or, crashing, never does). */
    static Outcome step(Connection c, Settings settings) throws SQLException {
        Jdbc.requireTransaction(c, "audit sequencer");
        if (!holdLease(c, settings)) {
            return new Outcome(false, 0, Optional.empty());
        }
        long lastSeq;
        String lastHash;
        long treeSize;
        try (PreparedStatement s = c.prepareStatement("SELECT last_seq, last_hash, tree_size FROM aud_chain_head WHERE id = ?")) {
            s.setInt(1, AuditChainHead.ID);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                lastSeq = rs.getLong(1);
                lastHash = rs.getString(2);
                treeSize = rs.getLong(3);
            }
        }
        boolean numbering = treeSize >= lastSeq;
        List<AuditRecord> leaves = numbering
                ? number(c, lastSeq, lastHash, settings.batch())
                : numberedBefore(c, treeSize, Math.min(lastSeq, treeSize + settings.batch()));
        if (!leaves.isEmpty()) {
            List<byte[]> leafHashes = leaves.stream().map(r -> MerkleTree.leafHash(r.leafEntry())).toList();
            TreeStore.insert(c, MerkleTree.append(treeSize, leafHashes, TreeStore.read(c, MerkleTree.frontier(treeSize))));
            treeSize += leaves.size();
            if (numbering) {
                AuditRecord last = leaves.get(leaves.size() - 1);
                lastSeq = last.seq();
                lastHash = last.hash();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE aud_chain_head SET last_seq = ?, last_hash = ?, tree_size = ? WHERE id = ?")) {
                s.setLong(1, lastSeq);
                s.setString(2, lastHash);
                s.setLong(3, treeSize);
                s.setInt(4, AuditChainHead.ID);
                s.executeUpdate();
            }
        }
        return new Outcome(true, leaves.size(), checkpointIfDue(c, treeSize, settings));
    }

    /**
     * Holds the lease for this step: the chain head's row locked until the commit, this instance its leader. A lease of
     * this instance's with more than half its time left is only locked, not written again: renewed at every step, ten
     * times a second, it was a row written, logged and flushed ten times a second by a server with nothing to number.
     */
    private static boolean holdLease(Connection c, Settings settings) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT leader = ? AND lease_until > UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND "
                + "FROM aud_chain_head WHERE id = ? FOR UPDATE")) {
            s.setString(1, settings.instance());
            s.setLong(2, settings.lease().toNanos() / 2000);
            s.setInt(3, AuditChainHead.ID);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return true;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE aud_chain_head SET leader = ?, "
                + "lease_until = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND "
                + "WHERE id = ? AND (leader IS NULL OR leader = ? OR lease_until < UTC_TIMESTAMP(6))")) {
            s.setString(1, settings.instance());
            s.setLong(2, settings.lease().toNanos() / 1000);
            s.setInt(3, AuditChainHead.ID);
            s.setString(4, settings.instance());
            return s.executeUpdate() == 1;
        }
    }

    /** A committed record waiting for its number, as read. */
    private record Waiting(long id, Instant occurredAt, String actor, String action, String module, String subjectRef, String details) {
    }

    /** Numbers up to {@code batch} committed waiting records after {@code lastSeq}, continuing the hash chain. */
    private static List<AuditRecord> number(Connection c, long lastSeq, String lastHash, int batch) throws SQLException {
        List<Waiting> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, occurred_at, actor, action, module, subject_ref, details "
                + "FROM aud_pending ORDER BY id LIMIT ?")) {
            s.setInt(1, batch);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Waiting(rs.getLong(1), Jdbc.instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7)));
                }
            }
        }
        List<AuditRecord> records = new ArrayList<>(rows.size());
        long seq = lastSeq;
        String prev = lastHash;
        for (Waiting row : rows) {
            AuditRecord record = AuditRecord.numbered(++seq, prev, row.occurredAt(), row.actor(), row.action(), row.module(), row.subjectRef(),
                    row.details());
            records.add(record);
            prev = record.hash();
        }
        for (int from = 0; from < records.size(); from += ROWS_PER_STATEMENT) {
            int to = Math.min(records.size(), from + ROWS_PER_STATEMENT);
            move(c, rows.subList(from, to), records.subList(from, to));
        }
        return records;
    }

    /**
     * Moves waiting records into the log, numbered: one multi-row INSERT into aud_record and one DELETE from aud_pending,
     * so a batch costs two statements and each record's index entries are written once, in their place. The table's
     * trigger lets only a statement that says it is the sequencer's move delete a waiting record.
     *
     * <p>The DELETE looks each record up by its key (FORCE INDEX): for an IN list of most of a small table's keys,
     * MariaDB 11.4 chose to read the whole table, and a DELETE that reads a row an open transaction has just inserted
     * waits for that transaction, so the sequencer stood still behind every business transaction in flight.
     */
    private static void move(Connection c, List<Waiting> rows, List<AuditRecord> records) throws SQLException {
        StringBuilder insert = new StringBuilder("INSERT INTO aud_record (seq, prev_hash, hash, occurred_at, actor, action, module, subject_ref, details) VALUES ");
        StringBuilder delete = new StringBuilder("DELETE p FROM aud_pending p FORCE INDEX (PRIMARY) WHERE p.id IN (");
        for (int i = 0; i < records.size(); i++) {
            insert.append(i == 0 ? "(?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?)");
            delete.append(i == 0 ? "?" : ",?");
        }
        delete.append(')');
        try (PreparedStatement s = c.prepareStatement(insert.toString())) {
            int p = 1;
            for (int i = 0; i < records.size(); i++) {
                AuditRecord record = records.get(i);
                Waiting row = rows.get(i);
                s.setLong(p++, record.seq());
                s.setString(p++, record.prevHash());
                s.setString(p++, record.hash());
                s.setObject(p++, Jdbc.utc(row.occurredAt()));
                s.setString(p++, row.actor());
                s.setString(p++, row.action());
                s.setString(p++, row.module());
                s.setString(p++, row.subjectRef());
                s.setString(p++, row.details());
            }
            s.executeUpdate();
        }
        int removed = Jdbc.withSessionFlag(c, "aud_sequencer_moves", flagged -> {
            try (PreparedStatement s = flagged.prepareStatement(delete.toString())) {
                for (int i = 0; i < rows.size(); i++) {
                    s.setLong(i + 1, rows.get(i).id());
                }
                return s.executeUpdate();
            }
        });
        if (removed != rows.size()) {
            throw new IllegalStateException("an audit record was moved by someone else while this sequencer held the lease");
        }
    }

    /** Records numbered before the tree existed (seq in (from, to]), to be added as its first leaves. */
    private static List<AuditRecord> numberedBefore(Connection c, long from, long to) throws SQLException {
        List<AuditRecord> records = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT seq, prev_hash, occurred_at, actor, action, module, subject_ref, details "
                + "FROM aud_record WHERE seq > ? AND seq <= ? ORDER BY seq")) {
            s.setLong(1, from);
            s.setLong(2, to);
            try (ResultSet rs = s.executeQuery()) {
                long expected = from + 1;
                while (rs.next()) {
                    if (rs.getLong(1) != expected++) {
                        throw new IllegalStateException("audit record " + (expected - 1) + " is missing: the tree cannot be built past it");
                    }
                    records.add(AuditRecord.numbered(rs.getLong(1), rs.getString(2), Jdbc.instant(rs, 3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return records;
    }

    /** Signs the current tree when it grew since the last checkpoint and that one is older than the interval. */
    private static Optional<String> checkpointIfDue(Connection c, long treeSize, Settings settings) throws SQLException {
        if (settings.key().isEmpty() || treeSize == 0) {
            return Optional.empty();
        }
        NoteKey key = settings.key().get();
        try (PreparedStatement s = c.prepareStatement("SELECT tree_size, created_at, note FROM aud_checkpoint ORDER BY tree_size DESC LIMIT 1");
             ResultSet rs = s.executeQuery()) {
            if (rs.next()) {
                if (rs.getLong(1) >= treeSize || Jdbc.instant(rs, 2).plus(settings.checkpointEvery()).isAfter(Instant.now())) {
                    return Optional.empty();
                }
                if (!extendsSigned(c, key, rs.getLong(1), rs.getString(3))) {
                    return Optional.empty();
                }
            }
        }
        byte[] root = MerkleTree.root(treeSize, TreeStore.on(c));
        String note = key.sign(new Checkpoint(key.name(), treeSize, root).text());
        lastVouched = new Vouched(key, note, root); // if this transaction rolls back, the stored last note differs and is verified
        try (PreparedStatement s = c.prepareStatement("INSERT INTO aud_checkpoint (tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?)")) {
            s.setLong(1, treeSize);
            s.setBytes(2, root);
            s.setString(3, note);
            s.setObject(4, Jdbc.utc(Instant.now()));
            s.executeUpdate();
        }
        return Optional.of(note);
    }

    /**
     * Whether the stored tree still has the root the last checkpoint signed. Signing only trees that extend
     * the last signed one keeps the sequencer from vouching for a tree someone rewrote in the database: the
     * log then goes on being numbered but no longer signed, and says so.
     */
    private static boolean extendsSigned(Connection c, NoteKey key, long signedSize, String signedNote) {
        Vouched vouched = lastVouched;
        Optional<byte[]> signedRoot = vouched != null && vouched.key() == key && vouched.note().equals(signedNote) ? Optional.of(vouched.root())
                : key.open(signedNote).map(text -> Checkpoint.parse(text).rootHash());
        signedRoot.ifPresent(r -> lastVouched = new Vouched(key, signedNote, r));
        if (signedRoot.isPresent() && java.util.Arrays.equals(signedRoot.get(), MerkleTree.root(signedSize, TreeStore.on(c)))) {
            return true;
        }
        long now = System.currentTimeMillis();
        if (now - lastRefusalLogged < 60_000) {
            return false;
        }
        lastRefusalLogged = now;
        LOG.severe(() -> "audit log: the stored Merkle tree no longer has the root that the checkpoint of tree size " + signedSize
                + " signed (or that checkpoint's signature does not hold): the tree or the checkpoints were changed in the database. "
                + "No further checkpoint is signed until this is resolved; POST /api/v1/audit/verifications names the first record that does not hold.");
        return false;
    }
}
