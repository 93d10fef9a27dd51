package io.guestbridge.audit.internal;

import io.guestbridge.tlog.MerkleTree;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tree built batch by batch from stored nodes agrees with RFC 9162 computed from scratch, and its
 * proofs pass the RFC's own verification algorithms, written here again from the RFC's text rather
 * than shared with the code under test.
 */
class MerkleTreeTest {

    private final Map<MerkleTree.Node, byte[]> store = new HashMap<>();
    private final MerkleTree.Nodes nodes = wanted -> {
        Map<MerkleTree.Node, byte[]> out = new HashMap<>();
        for (MerkleTree.Node node : wanted) {
            out.put(node, store.get(node));
        }
        return out;
    };

    @Test
    void theRootOfKnownLeavesIsTheRfcsHash() {
        // the empty tree is SHA-256 of nothing; one leaf is SHA-256(0x00 || entry)
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", HexFormat.of().formatHex(MerkleTree.root(0, nodes)));
        List<byte[]> entries = entries(1, 7);
        appendInBatches(entries, new Random(1));
        assertArrayEquals(sha256(concat(new byte[]{0}, entries.get(0))), MerkleTree.root(1, nodes));
    }

    @Test
    void rootsProofsAndConsistencyHoldForEverySizeUpToTwoHundredAndForRandomLargerOnes() {
        Random random = new Random(20261201);
        List<byte[]> entries = entries(1100, 11);
        appendInBatches(entries, random);
        List<byte[]> leaves = entries.stream().map(e -> sha256(concat(new byte[]{0}, e))).toList();
        List<Integer> sizes = new ArrayList<>();
        for (int n = 1; n <= 200; n++) {
            sizes.add(n);
        }
        for (int i = 0; i < 40; i++) {
            sizes.add(201 + random.nextInt(leaves.size() - 200));
        }
        sizes.add(1024);
        sizes.add(1100);
        for (int n : sizes) {
            byte[] root = mth(leaves.subList(0, n));
            assertArrayEquals(root, MerkleTree.root(n, nodes), "root of " + n);
            for (int probe = 0; probe < 6; probe++) {
                int m = random.nextInt(n);
                assertTrue(verifyInclusion(m, n, leaves.get(m), MerkleTree.inclusion(m, n, nodes), root), "leaf " + m + " of " + n);
                int first = 1 + random.nextInt(n);
                assertTrue(verifyConsistency(first, n, mth(leaves.subList(0, first)), root, MerkleTree.consistency(first, n, nodes)),
                        "consistency " + first + " -> " + n);
            }
        }
    }

    @Test
    void aProofFailsForAnotherLeafOrAnotherRoot() {
        List<byte[]> entries = entries(300, 5);
        appendInBatches(entries, new Random(3));
        List<byte[]> leaves = entries.stream().map(e -> sha256(concat(new byte[]{0}, e))).toList();
        byte[] root = mth(leaves.subList(0, 213));
        List<byte[]> path = MerkleTree.inclusion(100, 213, nodes);
        assertTrue(verifyInclusion(100, 213, leaves.get(100), path, root));
        assertFalse(verifyInclusion(100, 213, leaves.get(101), path, root), "another leaf");
        assertFalse(verifyInclusion(101, 213, leaves.get(100), path, root), "another position");
        assertFalse(verifyInclusion(100, 213, leaves.get(100), path, mth(leaves.subList(0, 212))), "another root");
        List<byte[]> consistency = MerkleTree.consistency(77, 213, nodes);
        assertTrue(verifyConsistency(77, 213, mth(leaves.subList(0, 77)), root, consistency));
        assertFalse(verifyConsistency(77, 213, mth(leaves.subList(0, 76)), root, consistency), "another old root");
    }

    @Test
    void theFrontierIsTheRightEdgeOfCompleteSubtrees() {
        assertEquals(Set.of(new MerkleTree.Node(0, 12), new MerkleTree.Node(2, 2), new MerkleTree.Node(3, 0)), MerkleTree.frontier(13));
        assertEquals(Set.of(new MerkleTree.Node(4, 0)), MerkleTree.frontier(16));
        assertTrue(MerkleTree.frontier(0).isEmpty());
    }

    private void appendInBatches(List<byte[]> entries, Random random) {
        int size = 0;
        while (size < entries.size()) {
            int batch = Math.min(entries.size() - size, 1 + random.nextInt(37));
            List<byte[]> newLeaves = entries.subList(size, size + batch).stream().map(MerkleTree::leafHash).toList();
            Map<MerkleTree.Node, byte[]> frontier = nodes.read(MerkleTree.frontier(size));
            store.putAll(MerkleTree.append(size, newLeaves, frontier));
            size += batch;
        }
    }

    private static List<byte[]> entries(int n, long seed) {
        Random random = new Random(seed);
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] entry = new byte[random.nextInt(80)];
            random.nextBytes(entry);
            entries.add(i == 0 ? "first".getBytes(StandardCharsets.UTF_8) : entry);
        }
        return entries;
    }

    // ---- RFC 9162, written from its text -------------------------------------------------------

    /** Section 2.1.1: MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two smaller than n. */
    static byte[] mth(List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 1) {
            return leafHashes.get(0);
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return sha256(concat(new byte[]{1}, mth(leafHashes.subList(0, k)), mth(leafHashes.subList(k, n))));
    }

    /** Section 2.1.3.2. */
    static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (leafIndex >= treeSize) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = sha256(concat(new byte[]{1}, p, r));
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = sha256(concat(new byte[]{1}, r, p));
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** Section 2.1.4.2. */
    static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> proof) {
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstHash, secondHash);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstHash);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = sha256(concat(new byte[]{1}, c, fr));
                sr = sha256(concat(new byte[]{1}, c, sr));
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = sha256(concat(new byte[]{1}, sr, c));
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstHash) && Arrays.equals(sr, secondHash);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
