package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.platform.testing.TestDatabase;
import io.guestbridge.tlog.MerkleTree;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The audit log's own figures on the embedded MariaDB, with the server's code and no HTTP:
 * <ol>
 * <li>sequencer throughput: committed unnumbered records numbered, chained and added to the stored tree by
 * {@link SequencerBatch} steps of the server's default batch (records per second);</li>
 * <li>proof time at a large tree: the tree is then grown directly in {@code aud_tree_node} (leaf hashes of
 * synthetic entries, appended in chunks the way the sequencer appends them) up to a bounded number of leaves
 * within a bounded time, and random inclusion and consistency proofs with their roots are computed from the
 * stored nodes as the proof endpoints compute them (p50, p99, max in microseconds).</li>
 * </ol>
 * Arguments: sequenced records (default 50,000), tree leaves (default 1,000,000), build time limit in
 * seconds (default 120), proofs of each kind (default 2,000). Prints lines starting with {@code auditlog}.
 */
public final class AuditLogBenchmark {

    private static final int SEQUENCER_BATCH = 1000;
    private static final int BUILD_CHUNK = 10_000;

    public static void main(String[] args) throws Exception {
        int sequenced = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        long targetLeaves = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        long buildSeconds = args.length > 2 ? Long.parseLong(args[2]) : 120;
        int proofs = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        TestDatabase db = TestDatabase.get();
        try (Connection c = db.connect()) {
            sequence(c, sequenced);
            long size = grow(c, targetLeaves, buildSeconds);
            prove(c, size, proofs);
        }
        System.exit(0);
    }

    /** Writes {@code count} unnumbered records as business transactions do, then numbers them all with sequencer steps. */
    private static void sequence(Connection c, int count) throws Exception {
        for (int from = 0; from < count; from += 500) {
            List<JdbcAuditTrail.Pending> pending = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 500); i++) {
                pending.add(new JdbcAuditTrail.Pending(Instant.now(), AuditEvent.of("bench", "BENCH_RECORD").by("system:bench")
                        .about("guest:" + i).with("n", String.valueOf(i)).build()));
            }
            JdbcAuditTrail.insert(c, pending);
            c.commit();
        }
        SequencerBatch.Settings settings = new SequencerBatch.Settings("bench", Duration.ofSeconds(30), SEQUENCER_BATCH, Optional.empty(),
                Duration.ofSeconds(1));
        long start = System.nanoTime();
        int numbered = 0;
        int steps = 0;
        while (true) {
            SequencerBatch.Outcome outcome = SequencerBatch.step(c, settings);
            c.commit();
            steps++;
            numbered += outcome.numbered();
            if (outcome.numbered() == 0) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (numbered != count) {
            throw new IllegalStateException("the sequencer numbered " + numbered + " of " + count + " records");
        }
        System.out.printf("auditlog sequencer records=%d batch=%d steps=%d seconds=%.1f records_per_s=%.0f%n", numbered, SEQUENCER_BATCH,
                steps, seconds, numbered / seconds);
    }

    /** Appends synthetic leaves to the stored tree, chunk by chunk, until {@code target} leaves or the time limit; the size reached. */
    private static long grow(Connection c, long target, long limitSeconds) throws Exception {
        long size = AuditProofs.treeSize(c);
        long start = System.nanoTime();
        long until = start + TimeUnit.SECONDS.toNanos(limitSeconds);
        long first = size;
        while (size < target && System.nanoTime() < until) {
            int n = (int) Math.min(BUILD_CHUNK, target - size);
            List<byte[]> leaves = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                leaves.add(MerkleTree.leafHash(("bench leaf " + (size + i)).getBytes(StandardCharsets.UTF_8)));
            }
            TreeStore.insert(c, MerkleTree.append(size, leaves, TreeStore.read(c, MerkleTree.frontier(size))));
            size += n;
            c.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("auditlog tree leaves=%d target=%d built_leaves=%d build_seconds=%.1f stored_nodes=%d%n", size, target,
                size - first, seconds, count(c, "SELECT COUNT(*) FROM aud_tree_node"));
        return size;
    }

    /** Random inclusion proofs (with the root) and consistency proofs (with both roots), as the proof endpoints compute them. */
    private static void prove(Connection c, long size, int proofs) throws Exception {
        MerkleTree.Nodes nodes = TreeStore.on(c);
        Random random = new Random(14);
        for (int i = 0; i < 200; i++) { // warm-up: JIT and buffer pool
            MerkleTree.inclusion(random.nextLong(size), size, nodes);
        }
        long[] inclusion = new long[proofs];
        long[] consistency = new long[proofs];
        int hashes = 0;
        for (int i = 0; i < proofs; i++) {
            long treeSize = i % 2 == 0 ? size : 1 + random.nextLong(size);
            long index = random.nextLong(treeSize);
            long t0 = System.nanoTime();
            hashes += MerkleTree.inclusion(index, treeSize, nodes).size();
            MerkleTree.root(treeSize, nodes);
            inclusion[i] = (System.nanoTime() - t0) / 1_000;
            long from = 1 + random.nextLong(treeSize);
            long t1 = System.nanoTime();
            MerkleTree.consistency(from, treeSize, nodes);
            MerkleTree.root(from, nodes);
            MerkleTree.root(treeSize, nodes);
            consistency[i] = (System.nanoTime() - t1) / 1_000;
        }
        c.commit();
        report("inclusion", size, inclusion, "avg_path=" + (hashes / proofs));
        report("consistency", size, consistency, "");
    }

    private static void report(String what, long size, long[] micros, String extra) {
        Arrays.sort(micros);
        System.out.printf("auditlog proof %-11s leaves=%d proofs=%d p50_us=%d p99_us=%d max_us=%d %s%n", what, size, micros.length,
                micros[micros.length / 2], micros[(int) (micros.length * 0.99)], micros[micros.length - 1], extra);
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
