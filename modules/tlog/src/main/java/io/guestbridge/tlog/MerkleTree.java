package io.guestbridge.tlog;


import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit log's Merkle tree as RFC 9162 (Certificate Transparency 2.0) defines it: a leaf hashes as
 * SHA-256(0x00 ‖ entry), an inner node as SHA-256(0x01 ‖ left ‖ right), and a tree of n leaves splits
 * at the largest power of two below n. Anyone with an RFC 9162 verifier can check what this class
 * proves, without our code.
 *
 * <p>Only complete, aligned subtrees are stored: node (level, index) covers leaves
 * [index·2^level, (index+1)·2^level). Every hash a proof or a root needs is one of those or a fold of at
 * most 64 of them, so a proof costs one read of about 2·log2(n) stored hashes at any tree size.
 */
public final class MerkleTree {

    /** A stored complete subtree: its level (0 = leaf) and its index at that level. */
    public record Node(int level, long index) {
    }

    /** Where stored subtree hashes come from: all requested nodes exist (they are complete in the tree asked about). */
    public interface Nodes {
        Map<Node, byte[]> read(Set<Node> nodes);
    }

    private MerkleTree() {
    }

    public static byte[] leafHash(byte[] entry) {
        MessageDigest sha = Sha256.digest();
        sha.update((byte) 0x00);
        return sha.digest(entry);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = Sha256.digest();
        sha.update((byte) 0x01);
        sha.update(left);
        return sha.digest(right);
    }

    /** The root of the first {@code size} leaves; the empty tree hashes as SHA-256 of nothing. */
    public static byte[] root(long size, Nodes nodes) {
        if (size == 0) {
            return Sha256.digest().digest();
        }
        return resolve(List.of(new Range(0, size)), nodes).get(0);
    }

    /** RFC 9162 section 2.1.3.1: the audit path of leaf {@code index} (0-based) in the tree of {@code size} leaves, leaf first. */
    public static List<byte[]> inclusion(long index, long size, Nodes nodes) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<Range> path = new ArrayList<>();
        path(index, 0, size, path);
        return resolve(path, nodes);
    }

    /** RFC 9162 section 2.1.4.1: the proof that the tree of {@code first} leaves is a prefix of the tree of {@code second}. */
    public static List<byte[]> consistency(long first, long second, Nodes nodes) {
        if (first <= 0 || first > second) {
            throw new IllegalArgumentException("no consistency proof from " + first + " to " + second);
        }
        List<Range> proof = new ArrayList<>();
        if (first < second) {
            subproof(first, 0, second, true, proof);
        }
        return resolve(proof, nodes);
    }

    /**
     * The stored nodes that appending {@code newLeaves} (leaf hashes) to a tree of {@code oldSize} leaves
     * completes, leaves included; {@code frontier} are the old tree's right-edge nodes ({@link #frontier}).
     */
    public static Map<Node, byte[]> append(long oldSize, List<byte[]> newLeaves, Map<Node, byte[]> frontier) {
        Map<Node, byte[]> known = new HashMap<>(frontier);
        Map<Node, byte[]> added = new HashMap<>();
        long newSize = oldSize + newLeaves.size();
        for (int i = 0; i < newLeaves.size(); i++) {
            Node leaf = new Node(0, oldSize + i);
            known.put(leaf, newLeaves.get(i));
            added.put(leaf, newLeaves.get(i));
        }
        for (int level = 1; level < 63 && (newSize >> level) > 0; level++) {
            for (long index = oldSize >> level; index < newSize >> level; index++) {
                byte[] left = known.get(new Node(level - 1, 2 * index));
                byte[] right = known.get(new Node(level - 1, 2 * index + 1));
                if (left == null || right == null) {
                    throw new IllegalStateException("the stored tree lacks a child of node " + level + "/" + index);
                }
                byte[] hash = nodeHash(left, right);
                known.put(new Node(level, index), hash);
                added.put(new Node(level, index), hash);
            }
        }
        return added;
    }

    /** The complete subtrees along the right edge of a tree of {@code size} leaves: what {@link #append} needs of it. */
    public static Set<Node> frontier(long size) {
        Set<Node> nodes = new LinkedHashSet<>();
        for (int level = 0; level < 63; level++) {
            if ((size >> level & 1) == 1) {
                nodes.add(new Node(level, (size >> level) - 1));
            }
        }
        return nodes;
    }

    /** A run of leaves [start, end) whose hash a proof needs; start is aligned to a power of two at least its length. */
    private record Range(long start, long end) {
    }

    private static void path(long m, long start, long n, List<Range> out) {
        if (n == 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, start, k, out);
            out.add(new Range(start + k, start + n));
        } else {
            path(m - k, start + k, n - k, out);
            out.add(new Range(start, start + k));
        }
    }

    private static void subproof(long m, long start, long n, boolean wholeSubtreeKnown, List<Range> out) {
        if (m == n) {
            if (!wholeSubtreeKnown) {
                out.add(new Range(start, start + n));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, start, k, wholeSubtreeKnown, out);
            out.add(new Range(start + k, start + n));
        } else {
            subproof(m - k, start + k, n - k, false, out);
            out.add(new Range(start, start + k));
        }
    }

    /** A range's stored pieces: the aligned complete subtrees of its length's binary decomposition, left to right. */
    private static List<Node> pieces(Range range) {
        List<Node> pieces = new ArrayList<>();
        long at = range.start();
        long remaining = range.end() - range.start();
        while (remaining > 0) {
            int level = 63 - Long.numberOfLeadingZeros(remaining);
            pieces.add(new Node(level, at >> level));
            at += 1L << level;
            remaining -= 1L << level;
        }
        return pieces;
    }

    /** The hashes of the ranges, read with one request to the store. */
    private static List<byte[]> resolve(List<Range> ranges, Nodes nodes) {
        Set<Node> wanted = new LinkedHashSet<>();
        for (Range range : ranges) {
            wanted.addAll(pieces(range));
        }
        Map<Node, byte[]> stored = wanted.isEmpty() ? Map.of() : nodes.read(wanted);
        List<byte[]> hashes = new ArrayList<>(ranges.size());
        for (Range range : ranges) {
            List<Node> pieces = pieces(range);
            byte[] hash = require(stored, pieces.get(pieces.size() - 1));
            for (int i = pieces.size() - 2; i >= 0; i--) {
                hash = nodeHash(require(stored, pieces.get(i)), hash);
            }
            hashes.add(hash);
        }
        return hashes;
    }

    private static byte[] require(Map<Node, byte[]> stored, Node node) {
        byte[] hash = stored.get(node);
        if (hash == null) {
            throw new IllegalStateException("the stored tree lacks node " + node.level() + "/" + node.index());
        }
        return hash;
    }
}
