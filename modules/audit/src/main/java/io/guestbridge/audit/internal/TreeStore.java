package io.guestbridge.audit.internal;

import io.guestbridge.tlog.MerkleTree;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Merkle tree's stored subtrees, table {@code aud_tree_node}, read and appended on the caller's connection. */
final class TreeStore {

    private static final int ROWS_PER_STATEMENT = 500;

    private TreeStore() {
    }

    /** The given nodes, in one query (primary-key lookups); a node not stored is absent from the answer. */
    static Map<MerkleTree.Node, byte[]> read(Connection c, Set<MerkleTree.Node> nodes) throws SQLException {
        Map<MerkleTree.Node, byte[]> out = new HashMap<>();
        List<MerkleTree.Node> wanted = new ArrayList<>(nodes);
        for (int from = 0; from < wanted.size(); from += ROWS_PER_STATEMENT) {
            List<MerkleTree.Node> part = wanted.subList(from, Math.min(wanted.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder("SELECT level, idx, hash FROM aud_tree_node WHERE ");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "" : " OR ").append("(level = ? AND idx = ?)");
            }
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (MerkleTree.Node node : part) {
                    s.setInt(p++, node.level());
                    s.setLong(p++, node.index());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.put(new MerkleTree.Node(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
                    }
                }
            }
        }
        return out;
    }

    static void insert(Connection c, Map<MerkleTree.Node, byte[]> nodes) throws SQLException {
        List<Map.Entry<MerkleTree.Node, byte[]>> rows = new ArrayList<>(nodes.entrySet());
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
            List<Map.Entry<MerkleTree.Node, byte[]>> part = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
            StringBuilder sql = new StringBuilder("INSERT INTO aud_tree_node (level, idx, hash) VALUES ");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "(?,?,?)" : ",(?,?,?)");
            }
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (Map.Entry<MerkleTree.Node, byte[]> row : part) {
                    s.setInt(p++, row.getKey().level());
                    s.setLong(p++, row.getKey().index());
                    s.setBytes(p++, row.getValue());
                }
                s.executeUpdate();
            }
        }
    }

    /** Nodes read through {@code c}, for {@link MerkleTree}'s computations. */
    static MerkleTree.Nodes on(Connection c) {
        return nodes -> {
            try {
                return read(c, nodes);
            } catch (SQLException e) {
                throw new IllegalStateException("audit: database error " + e.getSQLState() + " (" + e.getErrorCode() + ") reading the Merkle tree", e);
            }
        };
    }
}
