package io.guestbridge.audit.internal;

import io.guestbridge.tlog.MerkleTree;
import io.guestbridge.tlog.NoteKey;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Answers from the Merkle tree: signed checkpoints, and RFC 9162 inclusion and consistency proofs that
 * anyone holding a checkpoint can check without trusting this database. Reads only stored, complete
 * subtrees, which never change once written, so no transaction is needed.
 */
@ApplicationScoped
public class AuditProofs {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditLogKey key;

    /** The latest signed checkpoint, as its signed note. */
    public String latestCheckpoint() {
        if (key.signer().isEmpty()) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "Audit checkpoints are not signed on this deployment: no signing key is "
                    + "configured (AUDIT_SIGNING_KEY_FILE). The audit log is still numbered and hashed.");
        }
        return Jdbc.inConnection(dataSource, "audit", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT note FROM aud_checkpoint ORDER BY tree_size DESC LIMIT 1");
                 ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound("No checkpoint has been signed yet: the audit log is empty or its first batch is not numbered yet.");
                }
                return rs.getString(1);
            }
        });
    }

    /** Signed checkpoints with a tree size above {@code after}, smallest first. */
    public AuditLogViews.CheckpointPage checkpoints(long after, int limit) {
        List<AuditLogViews.CheckpointView> page = Jdbc.inConnection(dataSource, "audit", c -> {
            List<AuditLogViews.CheckpointView> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT tree_size, root_hash, created_at, note FROM aud_checkpoint "
                    + "WHERE tree_size > ? ORDER BY tree_size LIMIT ?")) {
                s.setLong(1, after);
                s.setInt(2, limit + 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new AuditLogViews.CheckpointView(rs.getLong(1), BASE64.encodeToString(rs.getBytes(2)),
                                Jdbc.instant(rs, 3), rs.getString(4)));
                    }
                }
            }
            return rows;
        });
        Long next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = page.get(limit - 1).treeSize();
        }
        return new AuditLogViews.CheckpointPage(key.signer().map(NoteKey::verifierKey).orElse(null), page, next);
    }

    /** The proof that record {@code sequence} is leaf {@code sequence - 1} of the tree of {@code treeSize} leaves (default: the latest checkpoint's). */
    public AuditLogViews.InclusionProof inclusion(long sequence, Optional<Long> requestedSize) {
        if (sequence < 1) {
            throw ProblemException.invalid("sequence must be 1 or more");
        }
        return Jdbc.inConnection(dataSource, "audit", c -> {
            long treeSize = requestedSize.isPresent() ? requestedSize.get() : latestCheckpointSize(c).orElse(AuditProofs.treeSize(c));
            requireSize(c, "treeSize", treeSize);
            if (sequence > treeSize) {
                throw ProblemException.invalid("record " + sequence + " is not in the tree of " + treeSize
                        + " leaves: ask for a treeSize of at least " + sequence);
            }
            AuditRecord record = recordAt(c, sequence);
            byte[] entry = record.leafEntry();
            MerkleTree.Nodes nodes = TreeStore.on(c);
            List<String> path = MerkleTree.inclusion(sequence - 1, treeSize, nodes).stream().map(BASE64::encodeToString).toList();
            return new AuditLogViews.InclusionProof(sequence, sequence - 1, treeSize, new String(entry, java.nio.charset.StandardCharsets.UTF_8),
                    BASE64.encodeToString(MerkleTree.leafHash(entry)), BASE64.encodeToString(MerkleTree.root(treeSize, nodes)), path);
        });
    }

    /** The proof that the tree of {@code from} leaves is a prefix of the tree of {@code to} leaves. */
    public AuditLogViews.ConsistencyProof consistency(long from, long to) {
        if (from < 1) {
            throw ProblemException.invalid("from must be 1 or more (every tree is consistent with the empty one)");
        }
        if (from > to) {
            throw ProblemException.invalid("from (" + from + ") must not be larger than to (" + to + ")");
        }
        return Jdbc.inConnection(dataSource, "audit", c -> {
            requireSize(c, "to", to);
            MerkleTree.Nodes nodes = TreeStore.on(c);
            List<String> proof = MerkleTree.consistency(from, to, nodes).stream().map(BASE64::encodeToString).toList();
            return new AuditLogViews.ConsistencyProof(from, to, BASE64.encodeToString(MerkleTree.root(from, nodes)),
                    BASE64.encodeToString(MerkleTree.root(to, nodes)), proof);
        });
    }

    private static void requireSize(Connection c, String name, long size) throws SQLException {
        if (size < 1) {
            throw ProblemException.invalid(name + " must be 1 or more");
        }
        long current = treeSize(c);
        if (size > current) {
            throw ProblemException.invalid(name + " " + size + " is beyond the audit log, whose tree has " + current + " leaves now");
        }
    }

    static long treeSize(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT tree_size FROM aud_chain_head WHERE id = " + AuditChainHead.ID);
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Optional<Long> latestCheckpointSize(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(tree_size) FROM aud_checkpoint"); ResultSet rs = s.executeQuery()) {
            rs.next();
            long size = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(size);
        }
    }

    private static AuditRecord recordAt(Connection c, long sequence) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT seq, prev_hash, occurred_at, actor, action, module, subject_ref, details "
                + "FROM aud_record WHERE seq = ?")) {
            s.setLong(1, sequence);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("audit record " + sequence + " is in the tree but not in the table");
                }
                return AuditRecord.numbered(rs.getLong(1), rs.getString(2), Jdbc.instant(rs, 3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
            }
        }
    }
}
