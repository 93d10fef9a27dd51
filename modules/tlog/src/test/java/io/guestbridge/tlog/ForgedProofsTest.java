package io.guestbridge.tlog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A verifiable log is only as good as its clients' refusal of forged proofs (a verifiable database once shipped a
 * client that accepted one). Every genuine inclusion and consistency proof of trees up to 70 leaves is accepted;
 * each forgery in the tables — a wrong sibling, a truncated path, an extra node, a proof for another size held
 * against that size's checkpoint, another index, a swapped
 * pair, a hash of the wrong length, another log's root — is refused, for every proof it applies to.
 */
class ForgedProofsTest {

    private static final int MAX = 70;
    private static final List<byte[]> LEAVES = leaves(MAX, "guestbridge");
    private static final List<byte[]> OTHER_LOG = leaves(MAX, "another log");

    /** Ways to forge a path, each named for the report. */
    private static final Map<String, UnaryOperator<List<byte[]>>> FORGED_PATHS = forgedPaths();

    @Test
    void genuineProofsAreAccepted() {
        for (int n = 1; n <= MAX; n++) {
            MerkleTree.Nodes nodes = nodes(LEAVES.subList(0, n));
            byte[] root = MerkleTree.root(n, nodes);
            for (int m = 0; m < n; m++) {
                assertTrue(MerkleProofs.verifyInclusion(m, n, LEAVES.get(m), MerkleTree.inclusion(m, n, nodes), root), "leaf " + m + " of " + n);
            }
            for (int first = 1; first <= n; first++) {
                byte[] firstRoot = MerkleTree.root(first, nodes(LEAVES.subList(0, first)));
                assertTrue(MerkleProofs.verifyConsistency(first, n, firstRoot, root, MerkleTree.consistency(first, n, nodes)), first + " to " + n);
            }
        }
    }

    @Test
    void forgedInclusionProofsAreRefused() {
        int refused = 0;
        for (int n = 2; n <= MAX; n += 3) {
            MerkleTree.Nodes nodes = nodes(LEAVES.subList(0, n));
            byte[] root = MerkleTree.root(n, nodes);
            byte[] otherRoot = MerkleTree.root(n, nodes(OTHER_LOG.subList(0, n)));
            for (int m = 0; m < n; m++) {
                List<byte[]> path = MerkleTree.inclusion(m, n, nodes);
                for (Map.Entry<String, UnaryOperator<List<byte[]>>> forgery : FORGED_PATHS.entrySet()) {
                    List<byte[]> forged = forgery.getValue().apply(path);
                    if (forged != null && !same(forged, path)) {
                        assertFalse(MerkleProofs.verifyInclusion(m, n, LEAVES.get(m), forged, root), forgery.getKey() + ": leaf " + m + " of " + n);
                        refused++;
                    }
                }
                // a proof for one size held against the signed checkpoint of another (a size and its root are signed together)
                assertFalse(MerkleProofs.verifyInclusion(m, n + 1, LEAVES.get(m), path, MerkleTree.root(n + 1, nodes(LEAVES.subList(0, n + 1)))),
                        "a proof for another size: leaf " + m + " of " + n);
                if (m < n - 1) {
                    assertFalse(MerkleProofs.verifyInclusion(m, n - 1, LEAVES.get(m), path, MerkleTree.root(n - 1, nodes(LEAVES.subList(0, n - 1)))),
                            "a proof for a larger size: leaf " + m + " of " + n);
                }
                assertFalse(MerkleProofs.verifyInclusion((m + 1) % n, n, LEAVES.get(m), path, root), "another index: leaf " + m + " of " + n);
                assertFalse(MerkleProofs.verifyInclusion(m, n, OTHER_LOG.get(m), path, root), "another leaf: " + m + " of " + n);
                assertFalse(MerkleProofs.verifyInclusion(m, n, LEAVES.get(m), path, otherRoot), "another log's checkpoint: " + m + " of " + n);
                assertFalse(MerkleProofs.verifyInclusion(m, n, LEAVES.get(m), path, java.util.Arrays.copyOf(root, 31)), "a truncated root");
                refused += 6;
            }
        }
        assertTrue(refused > 1000, "the table really ran: " + refused + " forgeries");
    }

    @Test
    void forgedConsistencyProofsAreRefused() {
        int refused = 0;
        for (int n = 3; n <= MAX; n += 4) {
            MerkleTree.Nodes nodes = nodes(LEAVES.subList(0, n));
            byte[] root = MerkleTree.root(n, nodes);
            for (int first = 1; first < n; first++) {
                byte[] firstRoot = MerkleTree.root(first, nodes(LEAVES.subList(0, first)));
                byte[] otherFirstRoot = MerkleTree.root(first, nodes(OTHER_LOG.subList(0, first)));
                List<byte[]> proof = MerkleTree.consistency(first, n, nodes);
                for (Map.Entry<String, UnaryOperator<List<byte[]>>> forgery : FORGED_PATHS.entrySet()) {
                    List<byte[]> forged = forgery.getValue().apply(proof);
                    if (forged != null && !same(forged, proof)) {
                        assertFalse(MerkleProofs.verifyConsistency(first, n, firstRoot, root, forged), forgery.getKey() + ": " + first + " to " + n);
                        refused++;
                    }
                }
                assertFalse(MerkleProofs.verifyConsistency(first, n + 1, firstRoot, MerkleTree.root(n + 1, nodes(LEAVES.subList(0, n + 1))), proof),
                        "a proof for another new size: " + first + " to " + n);
                assertFalse(MerkleProofs.verifyConsistency(first + 1, n, MerkleTree.root(first + 1, nodes(LEAVES.subList(0, first + 1))), root, proof),
                        "a proof from another old size: " + first + " to " + n);
                assertFalse(MerkleProofs.verifyConsistency(first, n, otherFirstRoot, root, proof), "another log's old checkpoint: " + first + " to " + n);
                assertFalse(MerkleProofs.verifyConsistency(n, first, root, firstRoot, proof), "the sizes swapped: " + first + " to " + n);
                refused += 4;
            }
        }
        assertFalse(MerkleProofs.verifyConsistency(0, 5, LEAVES.get(0), LEAVES.get(1), List.of()), "from the empty tree nothing is proved");
        assertTrue(refused > 500, "the table really ran: " + refused + " forgeries");
    }

    @Test
    void hostileInputIsRefusedWithoutAnException() {
        byte[] hash = LEAVES.get(0);
        assertFalse(MerkleProofs.verifyInclusion(-1, 4, hash, List.of(), hash));
        assertFalse(MerkleProofs.verifyInclusion(0, 0, hash, List.of(), hash));
        assertFalse(MerkleProofs.verifyInclusion(0, 1, null, List.of(), hash));
        assertFalse(MerkleProofs.verifyInclusion(0, 4, hash, null, hash));
        assertFalse(MerkleProofs.verifyInclusion(0, 4, hash, Collections.nCopies(100, hash), hash));
        assertFalse(MerkleProofs.verifyConsistency(2, 1, hash, hash, List.of()));
        assertFalse(MerkleProofs.verifyConsistency(1, Long.MAX_VALUE, hash, hash, Collections.nCopies(200, hash)));
        assertTrue(MerkleProofs.verifyInclusion(0, 1, hash, List.of(), hash), "a one-leaf tree's root is its leaf");
    }

    private static Map<String, UnaryOperator<List<byte[]>>> forgedPaths() {
        Map<String, UnaryOperator<List<byte[]>>> forged = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            int at = i;
            forged.put("a wrong sibling at " + at, path -> {
                if (at >= path.size()) {
                    return null;
                }
                List<byte[]> copy = new ArrayList<>(path);
                byte[] changed = copy.get(at).clone();
                changed[at % 32] ^= 0x01;
                copy.set(at, changed);
                return copy;
            });
        }
        forged.put("a path truncated at its end", path -> path.isEmpty() ? null : new ArrayList<>(path.subList(0, path.size() - 1)));
        forged.put("a path without its first node", path -> path.isEmpty() ? null : new ArrayList<>(path.subList(1, path.size())));
        forged.put("an extra node at the end", path -> {
            List<byte[]> copy = new ArrayList<>(path);
            copy.add(LEAVES.get(3));
            return copy;
        });
        forged.put("an extra node first", path -> {
            List<byte[]> copy = new ArrayList<>(path);
            copy.add(0, LEAVES.get(5));
            return copy;
        });
        forged.put("the first two nodes swapped", path -> {
            if (path.size() < 2) {
                return null;
            }
            List<byte[]> copy = new ArrayList<>(path);
            Collections.swap(copy, 0, 1);
            return copy;
        });
        forged.put("a node of 33 bytes", path -> {
            if (path.isEmpty()) {
                return null;
            }
            List<byte[]> copy = new ArrayList<>(path);
            copy.set(0, java.util.Arrays.copyOf(path.get(0), 33));
            return copy;
        });
        forged.put("a node of 31 bytes", path -> {
            if (path.isEmpty()) {
                return null;
            }
            List<byte[]> copy = new ArrayList<>(path);
            copy.set(0, java.util.Arrays.copyOf(path.get(0), 31));
            return copy;
        });
        return forged;
    }

    private static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<byte[]> leaves(int count, String log) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(MerkleTree.leafHash((log + " record " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return leaves;
    }

    /** Every complete, aligned subtree of the leaves, as the audit module stores them. */
    private static MerkleTree.Nodes nodes(List<byte[]> leafHashes) {
        Map<MerkleTree.Node, byte[]> stored = new HashMap<>();
        for (int i = 0; i < leafHashes.size(); i++) {
            stored.put(new MerkleTree.Node(0, i), leafHashes.get(i));
        }
        for (int level = 1; (1L << level) <= leafHashes.size(); level++) {
            for (long index = 0; (index + 1) << level <= leafHashes.size(); index++) {
                stored.put(new MerkleTree.Node(level, index), MerkleTree.nodeHash(stored.get(new MerkleTree.Node(level - 1, 2 * index)),
                        stored.get(new MerkleTree.Node(level - 1, 2 * index + 1))));
            }
        }
        return wanted -> {
            Map<MerkleTree.Node, byte[]> found = new HashMap<>();
            for (MerkleTree.Node node : wanted) {
                found.put(node, stored.get(node));
            }
            return found;
        };
    }
}
