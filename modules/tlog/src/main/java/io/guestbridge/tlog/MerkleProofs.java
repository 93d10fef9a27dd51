package io.guestbridge.tlog;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the proofs {@link MerkleTree} gives, as RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency)
 * define their verification, for whoever holds a signed checkpoint's root and wants to know that a record is in the
 * log, or that an older checkpoint's tree is a prefix of a newer one. A proof is accepted only if it folds to the
 * expected root using every one of its hashes, each exactly 32 bytes: a changed, missing, added or reordered hash,
 * another size or index, or another log's root is refused. Never throws on hostile input; answers false.
 */
public final class MerkleProofs {

    private static final int HASH_BYTES = 32;

    private MerkleProofs() {
    }

    /** Whether {@code path} proves the leaf of hash {@code leafHash} at {@code index} (0-based) in the tree of {@code size} leaves and root {@code root}. */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (index < 0 || size <= 0 || index >= size || !wellFormed(leafHash) || !wellFormed(root) || path == null || path.size() > 64
                || !path.stream().allMatch(MerkleProofs::wellFormed)) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleTree.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = MerkleTree.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Whether {@code proof} proves that the tree of {@code first} leaves and root {@code firstRoot} is a prefix of the
     * tree of {@code second} leaves and root {@code secondRoot}.
     */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (first <= 0 || second < first || !wellFormed(firstRoot) || !wellFormed(secondRoot) || proof == null || proof.size() > 128
                || !proof.stream().allMatch(MerkleProofs::wellFormed)) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
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
                fr = MerkleTree.nodeHash(c, fr);
                sr = MerkleTree.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = MerkleTree.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    private static boolean wellFormed(byte[] hash) {
        return hash != null && hash.length == HASH_BYTES;
    }
}
