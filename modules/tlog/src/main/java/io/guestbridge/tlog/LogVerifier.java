package io.guestbridge.tlog;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * Recomputes the Merkle tree from the records themselves, in sequence order, and compares its root with
 * every signed checkpoint on the way. Someone with database rights can rewrite records, hashes and the
 * stored tree, but not a signature: the first checkpoint whose root no longer comes out names where
 * the change is — exactly when checkpoints were signed one record apart, otherwise as the first record
 * after the last checkpoint that still holds.
 *
 * <p>Needs memory for one hash per level of the tree, whatever its size.
 */
public final class LogVerifier {

    /** A complete subtree on the right edge of the tree built so far. */
    private record Subtree(int level, byte[] hash) {
    }

    private final Deque<Subtree> rightEdge = new ArrayDeque<>();
    private final TreeMap<Long, byte[]> pendingCheckpoints = new TreeMap<>();
    private long size;
    private long lastHeldCheckpoint;
    private long checkpointsChecked;
    private LogBreak broken;
    /** The last record the break may be at: the break is among records broken.sequence() to this. */
    private long brokenUpTo;

    /**
     * A checkpoint to hold the records to: its tree size and the root hash it signed (the caller checked
     * the signature). Checkpoints must be added before the records they cover.
     */
    public void expect(long treeSize, byte[] rootHash) {
        if (treeSize <= size) {
            throw new IllegalStateException("checkpoints are added before the records they cover");
        }
        byte[] known = pendingCheckpoints.putIfAbsent(treeSize, rootHash);
        if (known != null && !Arrays.equals(known, rootHash) && broken == null) {
            brokenUpTo = treeSize;
            broken = new LogBreak(treeSize, "two checkpoints signed for tree size " + treeSize + " disagree on its root: "
                    + "the log was forked");
        }
    }

    /** Marks a checkpoint whose signature does not hold as the first break, at its tree size. */
    public void forged(long treeSize) {
        if (broken == null) {
            brokenUpTo = treeSize;
            broken = new LogBreak(treeSize, "the checkpoint stored for tree size " + treeSize
                    + " is not signed by this log's key: it was forged or altered");
        }
    }

    /** Takes the next record; false once the log is found broken (later records are not checked). */
    public boolean accept(long sequence, byte[] leafEntry) {
        if (broken != null) {
            return false;
        }
        if (sequence != size + 1) {
            brokenUpTo = size + 1;
            broken = new LogBreak(size + 1, "record " + (size + 1) + " is missing (the next record found is " + sequence + ")");
            return false;
        }
        append(MerkleTree.leafHash(leafEntry));
        byte[] signed = pendingCheckpoints.remove(size);
        if (signed != null) {
            checkpointsChecked++;
            if (!Arrays.equals(signed, root())) {
                long first = lastHeldCheckpoint + 1;
                brokenUpTo = size;
                broken = new LogBreak(first, first == size
                        ? "record " + size + " is not the record the checkpoint of tree size " + size + " signed: it was changed, removed or moved"
                        : "records " + first + " to " + size + " no longer hash to the root the checkpoint of tree size " + size
                        + " signed: at least one of them was changed, removed or moved, the first possibly " + first);
                return false;
            }
            lastHeldCheckpoint = size;
        }
        return true;
    }

    /** The outcome once all records were offered: checkpoints beyond the last record mean records are missing at the end. */
    public LogBreak firstBreak() {
        if (broken == null && !pendingCheckpoints.isEmpty()) {
            long signedSize = pendingCheckpoints.lastKey();
            brokenUpTo = signedSize;
            broken = new LogBreak(size + 1, "records " + (size + 1) + " to " + signedSize
                    + " are missing: a checkpoint signed a tree of " + signedSize + " records");
        }
        return broken;
    }

    /** The last record the first break may be at (it is exactly at its sequence when both are equal). */
    public long brokenUpTo() {
        return brokenUpTo;
    }

    public long checkpointsChecked() {
        return checkpointsChecked;
    }

    private void append(byte[] leafHash) {
        Subtree added = new Subtree(0, leafHash);
        while (!rightEdge.isEmpty() && rightEdge.peekLast().level() == added.level()) {
            Subtree left = rightEdge.removeLast();
            added = new Subtree(added.level() + 1, MerkleTree.nodeHash(left.hash(), added.hash()));
        }
        rightEdge.addLast(added);
        size++;
    }

    private byte[] root() {
        Iterator<Subtree> fromRight = rightEdge.descendingIterator();
        byte[] root = fromRight.next().hash();
        while (fromRight.hasNext()) {
            root = MerkleTree.nodeHash(fromRight.next().hash(), root);
        }
        return root;
    }
}
