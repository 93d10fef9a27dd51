package io.guestbridge.audit.internal;

import io.guestbridge.tlog.ChainVerifier;
import io.guestbridge.tlog.Checkpoint;
import io.guestbridge.tlog.LogVerifier;
import io.guestbridge.tlog.MerkleTree;
import io.guestbridge.tlog.NoteKey;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequencer on a real MariaDB, migrated as in production: writers commit and roll back records
 * concurrently while two sequencer instances step, and steps "crash" (their transaction never commits).
 * Every committed record is numbered exactly once, without gaps, never a rolled-back one, and every
 * checkpoint signed along the way is consistent with the final tree.
 */
class SequencerStoreTest {

    private static final NoteKey KEY = NoteKey.signer(NoteKey.generate("guestbridge.test/audit"));

    @BeforeAll
    static void emptyLog() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            // this test owns the audit tables of the test database; other test classes of the module do not touch them
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_record"), "the audit tables start empty");
        }
    }

    @Test
    void concurrentWritersRollbacksCrashedStepsAndATakeOverLeaveAGapFreeConsistentLog() throws Exception {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"); // whoever held it before
        }
        long before;
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            before = count(s, "SELECT COUNT(*) FROM aud_record"); // another test of this class may have run first
        }
        int writers = 8;
        int transactionsPerWriter = 40;
        AtomicInteger committed = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicBoolean firstAlive = new AtomicBoolean(true);
        List<String> signed = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        List<Future<?>> writes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            writes.add(pool.submit(() -> {
                Random random = new Random(writer);
                for (int t = 0; t < transactionsPerWriter; t++) {
                    int records = 1 + random.nextInt(3);
                    boolean rollBack = random.nextInt(5) == 0;
                    try (Connection c = TestDatabase.get().connect()) {
                        c.setAutoCommit(false);
                        List<JdbcAuditTrail.Pending> pending = new ArrayList<>();
                        for (int r = 0; r < records; r++) {
                            pending.add(new JdbcAuditTrail.Pending(Instant.now().truncatedTo(ChronoUnit.MICROS),
                                    AuditEvent.of("consent", rollBack ? "ROLLED_BACK" : "CONSENT_GRANTED").by("system:writer-" + writer)
                                            .about("guest:g-" + writer + "-" + t).with("n", r).build()));
                        }
                        JdbcAuditTrail.insert(c, pending);
                        Thread.sleep(random.nextInt(3)); // hold the transaction open a little, as a business transaction does
                        if (rollBack) {
                            c.rollback();
                        } else {
                            c.commit();
                            committed.addAndGet(records);
                        }
                    }
                }
                return null;
            }));
        }
        Future<?> first = pool.submit(() -> sequence("first", () -> firstAlive.get(), signed, new Random(1)));
        Future<?> second = pool.submit(() -> sequence("second", () -> writing.get(), signed, new Random(2)));
        for (Future<?> w : writes) {
            w.get(120, TimeUnit.SECONDS);
            if (w == writes.get(writers / 2)) {
                firstAlive.set(false); // the leader dies half-way: the other takes over once its lease runs out
            }
        }
        firstAlive.set(false);
        first.get(60, TimeUnit.SECONDS);
        // until the survivor has taken the lease (300 ms after the leader's last step) and numbered everything: on a fast
        // machine the writers may all be done, and numbered by the first, before it dies
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((unnumbered() > 0 || !leaders().equals(List.of("second"))) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100); // one more step signs the last batch
        writing.set(false);
        second.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_record WHERE action = 'ROLLED_BACK'"), "no record of a rolled-back transaction");
            assertEquals(before + committed.get(), count(s, "SELECT COUNT(*) FROM aud_record"));
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_pending"), "every committed record numbered");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_record WHERE seq IS NULL OR hash IS NULL"), "the log holds numbered records only");
            assertEquals(before + committed.get(), count(s, "SELECT MAX(seq) FROM aud_record"), "numbers 1..n, no gap");
            assertEquals(before + committed.get(), count(s, "SELECT COUNT(DISTINCT seq) FROM aud_record"), "each number once");
            assertEquals(before + committed.get(), count(s, "SELECT tree_size FROM aud_chain_head"));
            assertEquals(List.of("second"), leaders(s), "the surviving instance holds the lease");

            List<AuditRecord> records = records(c);
            ChainVerifier chain = new ChainVerifier();
            records.forEach(r -> chain.accept(r.entry(), r.hash()));
            assertNull(chain.result(records.size(), records.get(records.size() - 1).hash()), "the hash chain holds");

            TreeMap<Long, byte[]> roots = new TreeMap<>();
            LogVerifier log = new LogVerifier();
            for (String note : checkpointNotes(s)) {
                Checkpoint checkpoint = Checkpoint.parse(KEY.open(note).orElseThrow());
                roots.put(checkpoint.size(), checkpoint.rootHash());
                log.expect(checkpoint.size(), checkpoint.rootHash());
            }
            assertTrue(roots.size() >= 5, "checkpoints along the way: " + roots.size());
            assertEquals(signed.size(), roots.size(), "the checkpoints of committed steps are stored, those of crashed steps are not");
            records.forEach(r -> log.accept(r.seq(), r.leafEntry()));
            assertNull(log.firstBreak(), "every checkpoint holds for the final records");
            assertEquals(roots.size(), log.checkpointsChecked());

            List<byte[]> leaves = records.stream().map(r -> MerkleTreeTest.sha256(MerkleTreeTest.concat(new byte[]{0}, r.leafEntry()))).toList();
            assertTrue(java.util.Arrays.equals(MerkleTreeTest.mth(leaves), roots.get((long) leaves.size())), "RFC 9162 root of all records is the last checkpoint's");
            MerkleTree.Nodes nodes = TreeStore.on(c);
            Long previous = null;
            for (Map.Entry<Long, byte[]> root : roots.entrySet()) {
                if (previous != null) {
                    assertTrue(MerkleTreeTest.verifyConsistency(previous, root.getKey(), roots.get(previous), root.getValue(),
                            MerkleTree.consistency(previous, root.getKey(), nodes)), previous + " -> " + root.getKey());
                }
                previous = root.getKey();
            }
        }
    }

    /** Steps until told to stop; one step in ten "crashes": its transaction is rolled back instead of committed. */
    private Void sequence(String instance, java.util.function.BooleanSupplier alive, List<String> signed, Random random) throws Exception {
        SequencerBatch.Settings settings = new SequencerBatch.Settings(instance, Duration.ofMillis(300), 50, Optional.of(KEY), Duration.ZERO);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection c = TestDatabase.get().connect()) {
            c.setAutoCommit(false);
            while (alive.getAsBoolean() && System.nanoTime() < deadline) {
                SequencerBatch.Outcome outcome = SequencerBatch.step(c, settings);
                if (random.nextInt(10) == 0) {
                    c.rollback();
                } else {
                    c.commit();
                    outcome.checkpoint().ifPresent(signed::add);
                }
                Thread.sleep(5);
            }
        }
        return null;
    }

    private static List<AuditRecord> records(Connection c) throws SQLException {
        List<AuditRecord> records = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT seq, prev_hash, occurred_at, actor, action, module, subject_ref, details, hash "
                + "FROM aud_record ORDER BY seq"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                AuditRecord record = AuditRecord.numbered(rs.getLong(1), rs.getString(2), rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                assertEquals(rs.getString(9), record.hash(), "stored hash of record " + record.seq());
                records.add(record);
            }
        }
        return records;
    }

    private static List<String> checkpointNotes(Statement s) throws SQLException {
        List<String> notes = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT note FROM aud_checkpoint ORDER BY tree_size")) {
            while (rs.next()) {
                notes.add(rs.getString(1));
            }
        }
        return notes;
    }

    private static List<String> leaders() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            return leaders(s);
        }
    }

    private static List<String> leaders(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT leader FROM aud_chain_head")) {
            List<String> leaders = new ArrayList<>();
            while (rs.next()) {
                leaders.add(rs.getString(1));
            }
            return leaders;
        }
    }

    private static long unnumbered() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            return count(s, "SELECT COUNT(*) FROM aud_pending");
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A business transaction that wrote an audit record and is still open (a long erasure step, a slow import chunk)
     * must not hold up the numbering of records other transactions committed meanwhile: the sequencer reads only
     * committed records, and its move must not wait on the open one's row.
     */
    @Test
    void aTransactionLeftOpenDoesNotHoldUpTheNumberingOfCommittedRecords() throws Exception {
        SequencerBatch.Settings settings = new SequencerBatch.Settings("open-tx-" + System.nanoTime(), Duration.ofSeconds(30), 50, Optional.empty(), Duration.ZERO);
        try (Connection open = TestDatabase.get().connect(); Connection writer = TestDatabase.get().connect();
             Connection sequencer = TestDatabase.get().connect(); Statement s = sequencer.createStatement()) {
            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"); // whoever held it before
            open.setAutoCommit(false);
            JdbcAuditTrail.insert(open, List.of(new JdbcAuditTrail.Pending(Instant.now().truncatedTo(ChronoUnit.MICROS),
                    AuditEvent.of("privacy", "ROLLED_BACK").by("system:slow").about("guest:g-open").build())));
            // committed records that make up most of the waiting table, as between a busy log's batches: MariaDB 11.4 read
            // the whole table to delete an IN list of most of its keys, and waited on the open transaction's row
            insertCommitted(writer, 40, "guest:g-committed");
            s.execute("ANALYZE TABLE aud_pending"); // statistics as fresh as a busy table's, recalculated as it changes
            s.execute("SET SESSION innodb_lock_wait_timeout = 5");
            sequencer.setAutoCommit(false);
            long started = System.nanoTime();
            SequencerBatch.step(sequencer, settings);
            sequencer.commit();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < 2_000, "the step waited " + millis + " ms on the open transaction");
            assertEquals(40, count(s, "SELECT COUNT(*) FROM aud_record WHERE subject_ref = 'guest:g-committed'"), "the committed records are numbered");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_pending WHERE subject_ref = 'guest:g-committed'"), "and no longer waits");
            open.rollback();
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_record_written WHERE subject_ref = 'guest:g-open'"));
        }
    }

    /**
     * A step reads the records it numbers, not the numbered history before them. Looking for unnumbered records in the
     * primary key's order walked the log from its first record: at 1.8 million records (a three-CRM sync of 400,000
     * guests) a step took 0.6 s of the database, numbering fell behind and the backlog grew. The statistics are taken
     * while the records wait for their numbers, as a busy log's are, which is what made the optimizer choose that walk.
     */
    @Test
    void aStepReadsTheRecordsItNumbersNotTheNumberedHistoryBeforeThem() throws SQLException {
        SequencerBatch.Settings settings = new SequencerBatch.Settings("history-" + System.nanoTime(), Duration.ofSeconds(30), 1000, Optional.empty(),
                Duration.ZERO);
        int history = 5_000;
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"); // whoever held it before
            insertCommitted(c, history, "guest:g-history");
            s.execute("ANALYZE TABLE aud_record, aud_pending");
            c.setAutoCommit(false);
            for (int i = 0; i < 100 && unnumbered() > 0; i++) {
                SequencerBatch.step(c, settings);
                c.commit();
            }
            assertEquals(0, unnumbered(), "the history is numbered");
            insertCommitted(c, 3, "guest:g-new");
            long before = rowsRead(s);
            SequencerBatch.Outcome outcome = SequencerBatch.step(c, settings);
            c.commit();
            long read = rowsRead(s) - before;
            assertEquals(3, outcome.numbered(), "the new records are numbered");
            assertTrue(read < 200, "the step read " + read + " index entries and rows for 3 new records after " + history + " numbered ones");
        }
    }

    /**
     * A record waits for its number in a table of its own, and leaves it only as the sequencer moves it into the log: a
     * stray UPDATE or DELETE from a SQL console would change or lose a record the Merkle tree never saw, and the log's
     * records, once moved, are never updated.
     */
    @Test
    void aWaitingRecordLeavesOnlyAsTheSequencerMovesItIntoTheLog() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            insertCommitted(c, 1, "guest:g-stray");
            long id = count(s, "SELECT MAX(id) FROM aud_pending WHERE subject_ref = 'guest:g-stray'");
            SQLException delete = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM aud_pending WHERE id = " + id));
            assertTrue(delete.getMessage().contains("only the audit sequencer removes them"), delete.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE aud_pending SET details = '{}' WHERE id = " + id));
            assertEquals(1, count(s, "SELECT COUNT(*) FROM aud_record_written WHERE subject_ref = 'guest:g-stray' AND seq IS NULL"),
                    "the record still waits, unchanged");

            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"); // whoever held it before
            c.setAutoCommit(false);
            SequencerBatch.Settings settings = instance("mover-");
            for (int i = 0; i < 100 && unnumbered() > 0; i++) {
                SequencerBatch.step(c, settings);
                c.commit();
            }
            c.setAutoCommit(true);
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_pending WHERE id = " + id), "moved out of the waiting table");
            assertEquals(1, count(s, "SELECT COUNT(*) FROM aud_record WHERE subject_ref = 'guest:g-stray' AND seq IS NOT NULL AND hash IS NOT NULL"),
                    "into the log, numbered");
            assertEquals(1, count(s, "SELECT COUNT(*) FROM aud_record_written WHERE subject_ref = 'guest:g-stray'"), "once");
            assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE aud_record SET details = '{}' WHERE subject_ref = 'guest:g-stray'"));
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM aud_record WHERE subject_ref = 'guest:g-stray'"));
            assertEquals(0, count(s, "SELECT COUNT(*) FROM aud_record WHERE subject_ref = 'guest:g-stray' AND details = '{}'"));
        }
    }

    /** {@code n} records about {@code subject}, committed (the connection is left in autocommit mode or returned to it). */
    private static void insertCommitted(Connection c, int n, String subject) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        List<JdbcAuditTrail.Pending> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add(new JdbcAuditTrail.Pending(Instant.now().truncatedTo(ChronoUnit.MICROS),
                    AuditEvent.of("crmsync", "CRM_CONTACT_SYNCED").by("system:crmsync").about(subject).with("n", i).build()));
        }
        JdbcAuditTrail.insert(c, pending);
        c.commit();
        c.setAutoCommit(auto);
    }

    /** The rows and index entries this session has read so far, as the server counts them. */
    private static long rowsRead(Statement s) throws SQLException {
        long read = 0;
        try (ResultSet rs = s.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('Handler_read_next', 'Handler_read_prev', "
                + "'Handler_read_rnd_next', 'Handler_read_key', 'Handler_read_first', 'Handler_read_last', 'Handler_read_rnd')")) {
            while (rs.next()) {
                read += rs.getLong(2);
            }
        }
        return read;
    }

    @Test
    void aStandByInstanceDoesNothingWhileTheLeaseIsHeld() throws SQLException {
        SequencerBatch.Settings holder = instance("holder-");
        SequencerBatch.Settings other = instance("other-");
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // take the lease whoever had it (an earlier test's instance), as an expired lease is taken
            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND");
            assertTrue(SequencerBatch.step(c, holder).leader());
            c.commit();
            assertFalse(SequencerBatch.step(c, other).leader(), "another instance stands by");
            c.commit();
            assertTrue(SequencerBatch.step(c, holder).leader(), "the holder renews");
            c.commit();
            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND");
            c.commit();
            assertTrue(SequencerBatch.step(c, other).leader(), "an expired lease is taken over");
            c.commit();
            assertFalse(SequencerBatch.step(c, holder).leader(), "and the old holder stands by");
            c.commit();
        }
    }

    /**
     * The leader writes its lease again only once less than half of it is left: steps ten times a second over an idle
     * log write nothing. Another instance still cannot take a lease that has not run out.
     */
    @Test
    void theLeaderRenewsItsLeaseOnlyOnceLessThanHalfOfItIsLeft() throws SQLException {
        SequencerBatch.Settings holder = instance("holder-");
        SequencerBatch.Settings other = instance("other-");
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND");
            assertTrue(SequencerBatch.step(c, holder).leader());
            c.commit();
            String taken = leaseUntil(s);
            c.commit();
            assertTrue(SequencerBatch.step(c, holder).leader(), "the holder leads on");
            c.commit();
            assertEquals(taken, leaseUntil(s), "a lease with more than half of it left is not written again");
            c.commit();
            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) + INTERVAL 10 SECOND");
            c.commit();
            String shortened = leaseUntil(s);
            c.commit();
            assertFalse(SequencerBatch.step(c, other).leader(), "10 s of lease left: another instance stands by");
            c.commit();
            assertTrue(SequencerBatch.step(c, holder).leader());
            c.commit();
            assertTrue(leaseUntil(s).compareTo(shortened) > 0, "less than half left: renewed for the whole lease again");
            c.commit();
        }
    }

    private static String leaseUntil(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT DATE_FORMAT(lease_until, '%Y-%m-%d %H:%i:%s.%f') FROM aud_chain_head")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    /**
     * The leader's look before a step: idle only once every committed record is numbered and, when checkpoints are
     * signed, the last checkpoint covers the tree; a record still in an open transaction is not looked for (a step
     * would not see it either).
     */
    @Test
    void aStepWouldFindNothingToDoOnlyOnceEveryCommittedRecordIsNumberedAndSigned() throws Exception {
        SequencerBatch.Settings signing = new SequencerBatch.Settings("idle-" + System.nanoTime(), Duration.ofSeconds(30), 1000, Optional.of(KEY), Duration.ZERO);
        SequencerBatch.Settings unsigned = new SequencerBatch.Settings(signing.instance(), signing.lease(), 1000, Optional.empty(), Duration.ZERO);
        try (Connection c = TestDatabase.get().connect(); Connection writer = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("UPDATE aud_chain_head SET lease_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND"); // whoever held it before
            c.commit();
            for (int i = 0; i < 20 && !SequencerBatch.idle(c, true); i++) {
                c.commit();
                assertTrue(SequencerBatch.step(c, signing).leader());
                c.commit();
            }
            c.commit();
            assertTrue(SequencerBatch.idle(c, true), "everything numbered and signed");
            c.commit();

            writer.setAutoCommit(false);
            JdbcAuditTrail.insert(writer, List.of(new JdbcAuditTrail.Pending(Instant.now().truncatedTo(ChronoUnit.MICROS),
                    AuditEvent.of("consent", "CONSENT_GRANTED").by("system:idle-test").about("guest:g-idle").build())));
            assertTrue(SequencerBatch.idle(c, true), "a record in an open transaction is not looked for");
            c.commit();
            writer.commit();
            assertFalse(SequencerBatch.idle(c, false), "a committed record waits for its number");
            c.commit();
            assertEquals(1, SequencerBatch.step(c, unsigned).numbered());
            c.commit();
            assertTrue(SequencerBatch.idle(c, false), "numbered: nothing to do without a signing key");
            c.commit();
            assertFalse(SequencerBatch.idle(c, true), "with one, the tree has grown past the last checkpoint");
            c.commit();
            assertTrue(SequencerBatch.step(c, signing).checkpoint().isPresent());
            c.commit();
            assertTrue(SequencerBatch.idle(c, true), "signed");
            c.commit();
        }
    }

    /** An instance of its own name, with a 30 s lease, numbering in batches of 10 without signing. */
    private static SequencerBatch.Settings instance(String name) {
        return new SequencerBatch.Settings(name + System.nanoTime(), Duration.ofSeconds(30), 10, Optional.empty(), Duration.ZERO);
    }
}
