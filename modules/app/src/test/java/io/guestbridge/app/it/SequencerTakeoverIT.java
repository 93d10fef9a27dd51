package io.guestbridge.app.it;

import jakarta.json.JsonObject;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static io.guestbridge.app.it.ItEnvironment.freePort;
import static io.guestbridge.app.it.ItEnvironment.deleteRecursively;

/**
 * Two instances of the server on one database, as a deployment with a standby runs, under 16 concurrent writers for
 * a minute: the audit sequencer's lease lets one of them number the audit log; when that one is killed outright
 * (SIGKILL) while committed records wait for the batch that numbers them, the other takes over within 10 s, and the killed one, restarted,
 * stands by. Afterwards every record of a request that was answered 2xx is numbered exactly once, the numbers have
 * no gap, no record of a transaction that rolled back is anywhere (the writers' mix includes transactions that roll
 * back after their record reached the database), and every checkpoint signed before, during and after the kill and
 * the restart extends the ones before it (proofs from the API, checked independently; tree sizes never go back).
 * The instances run the tests' shared WAR (the product plus the probes) with the deployment's own settings (the
 * lease at its default) against the integration tests' database; no other server runs while this class does (the
 * one Arquillian's classes share is stopped first).
 */
@Order(SuiteOrder.SEQUENCER_TAKEOVER)
class SequencerTakeoverIT {

    private static final Logger LOG = Logger.getLogger(SequencerTakeoverIT.class.getName());
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern STARTED = Pattern.compile("audit sequencer started \\(instance ([0-9a-f-]{36})\\)");
    private static final String LEADS = " now numbers the audit log";
    private static final String STANDS_BY = " stands by: another instance holds the lease";
    private static final Duration TAKEOVER = Duration.ofSeconds(10);
    /** How long the writers run before the kill; shorter for a local run with -Dguestbridge.it.sequencer.soak-seconds=N. */
    private static final int SOAK_SECONDS = Integer.getInteger("guestbridge.it.sequencer.soak-seconds", 60);
    private static final int WRITERS = 16;
    /** Every fourth writer sends transactions that roll back after their audit record was written (the other twelve commit). */
    private static final int ROLLING_BACK_EVERY = 4;
    /** A cursor past any change: the feed's answer is empty, the read is still audited (GUEST_CHANGES_READ, the cursor in its details). */
    private static final long PAST_THE_END = 900_000_000_000L;
    /** The ids of the rolled-back probe transactions: all of thirteen digits, so none is a part of another. */
    private static final long PROBE_IDS = 7_000_000_000_000L;

    private final List<Process> started = new ArrayList<>();

    private record Instance(String name, Process process, int port, Path log, String sequencer) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }
    }

    /** What the writers sent and got: each request carries an id of its own (the cursor, or the probe's id). */
    private static final class Writes {
        /** Cursors of audited reads answered 200: their transaction committed. */
        final Set<Long> committed = ConcurrentHashMap.newKeySet();
        /** Cursors of audited reads that got no answer (the server died under them): committed or not, but once at most. */
        final Set<Long> unanswered = ConcurrentHashMap.newKeySet();
        /** Ids of the probe transactions, every one rolled back. */
        final Set<Long> rolledBack = ConcurrentHashMap.newKeySet();
        /** Probe transactions that answered that their record was in the database before the rollback. */
        final AtomicInteger rolledBackAfterWriting = new AtomicInteger();
        /** Answers that should not be: an audited read refused, a probe that did not roll back as it should. */
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> committedOn = new ConcurrentHashMap<>();
        /** While the killed instance starts again: its start on 2 cores takes about twice as long under the writers' load. */
        final AtomicBoolean paused = new AtomicBoolean();

        int committedOn(Instance instance) {
            return committedOn.computeIfAbsent(instance.name(), n -> new AtomicInteger()).get();
        }
    }

    @BeforeAll
    static void noOtherServer() throws Exception {
        SharedPayaraMicro.release();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : started) {
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void underSixteenWritersTheLeaderKilledMidBatchIsReplacedWithinTenSecondsAndAfterItsRestartEveryCommittedRecordIsNumberedOnceAndNoRolledBackOne()
            throws Exception {
        long begin = System.nanoTime();
        Path war = sharedWarFile();
        List<Instance> instances = startTogether(war, "a", "b");
        long readyMillis = (System.nanoTime() - begin) / 1_000_000;
        String officer = Deployed.token("compliance-officer");
        String integration = Deployed.token("integration");
        String verifierKey = Files.readString(ItEnvironment.home().resolve("dev-keys").resolve("audit-verifier.key")).trim();

        // exactly one leads: the lease row names it, its log says so, and the other's does not (or says it stands by)
        Instance leader = awaitLeader(instances, Duration.ofSeconds(20));
        Instance standby = instances.get(0) == leader ? instances.get(1) : instances.get(0);
        assertEquals(LEADS, lastLeadershipLine(leader), "the lease holder's log says it numbers the log");
        assertFalse(LEADS.equals(lastLeadershipLine(standby)), "the other instance does not number the log while the lease is held");
        long firstSeq = head().lastSeq();
        long firstId = lastRecordId();
        long firstWaitingId = lastWaitingId();

        LeaseWatch watch = new LeaseWatch();
        watch.start();
        AtomicReference<List<Instance>> live = new AtomicReference<>(List.of(leader, standby));
        CheckpointWatch checkpoints = new CheckpointWatch(live, officer);
        AtomicBoolean writing = new AtomicBoolean(true);
        Writes writes = new Writes();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        try {
            long writingFrom = System.nanoTime();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(writer, live, writing, writes, integration)));
            }
            // a checkpoint signed early in the minute, the first of those whose consistency is checked at the end
            Checkpoint first = awaitCheckpoint(standby, officer, firstSeq + 1, Duration.ofSeconds(15));
            checkpoints.start();

            // the writers' minute: both instances take audited work, the leader numbers the work of both
            while (System.nanoTime() - writingFrom < TimeUnit.SECONDS.toNanos(SOAK_SECONDS)) {
                for (Future<?> writer : writers) {
                    if (writer.isDone()) {
                        writer.get(); // a writer that failed fails the test now
                    }
                }
                Thread.sleep(250);
            }
            int writtenBeforeKill = writes.committed.size();
            assertTrue(writtenBeforeKill >= SOAK_SECONDS * 10, "the writers were busy: " + writtenBeforeKill + " audited requests in " + SOAK_SECONDS + " s");
            long beforeKill = head().lastSeq();
            Checkpoint before = awaitCheckpoint(standby, officer, beforeKill, Duration.ofSeconds(10));
            Map<Long, Long> numberedBeforeKill = numbered(firstSeq);

            // SIGKILL while committed records wait for their batch, with the writers still at work: a batch in flight rolls back with its connection
            // the instance holding the lease now is the one killed (one that stalled past its lease under the load has handed over already)
            String holder = head().leader();
            if (!leader.sequencer().equals(holder)) {
                Instance previous = leader;
                leader = standby;
                standby = previous;
            }
            assertEquals(leader.sequencer(), holder, "one of the two instances holds the lease");
            KillMoment kill = killWhileRecordsWait(leader, firstWaitingId);
            live.set(List.of(standby));
            long marker = PAST_THE_END - 1;
            assertEquals(200, auditedRead(standby, integration, marker), "the survivor takes audited work while nobody numbers the log");
            long markerId = waitingId(marker, firstWaitingId);

            // the survivor takes the lease and numbers everything committed, the marker written while the leader was dead included
            long takenOverAt = 0;
            while (System.nanoTime() - kill.at() < TAKEOVER.toNanos() + TimeUnit.SECONDS.toNanos(5)) {
                if (standby.sequencer().equals(head().leader()) && unnumberedUpTo(markerId) == 0) {
                    takenOverAt = System.nanoTime();
                    break;
                }
                Thread.sleep(50);
            }
            if (takenOverAt == 0) {
                fail("the survivor numbered the records written after the kill within " + (TAKEOVER.toSeconds() + 5) + " s; the lease row: "
                        + head() + "; its sequencer's threads now:\n" + sequencerThreads(standby));
            }
            long takeoverMillis = (takenOverAt - kill.at()) / 1_000_000;
            assertTrue(takeoverMillis <= TAKEOVER.toMillis(), "taken over and numbered within " + TAKEOVER.toSeconds() + " s of the kill: " + takeoverMillis + " ms");
            assertEquals(LEADS, lastLeadershipLine(standby), "the survivor's log says it took over");

            // the killed instance comes back and stands by: the survivor keeps the lease; the writers resume on both
            long restartFrom = System.nanoTime();
            writes.paused.set(true);
            Instance restarted = startTogether(war, leader.name() + "-restarted").get(0);
            long restartMillis = (System.nanoTime() - restartFrom) / 1_000_000;
            live.set(List.of(standby, restarted));
            writes.paused.set(false);
            assertEquals(standby.sequencer(), head().leader(), "the survivor keeps the lease when the killed instance is back");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (writes.committedOn(restarted) < 50 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(writes.committedOn(restarted) >= 50, "the restarted instance takes audited work: " + writes.committedOn(restarted));
            assertNotEquals(LEADS, lastLeadershipLine(restarted), "the restarted instance does not number the log while the lease is held");

            writing.set(false);
            for (Future<?> writer : writers) {
                writer.get(30, TimeUnit.SECONDS);
            }
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (unnumberedUpTo(Long.MAX_VALUE) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, unnumberedUpTo(Long.MAX_VALUE), "every committed record is numbered");
            Head end = head();
            Checkpoint after = awaitCheckpoint(restarted, officer, end.lastSeq(), Duration.ofSeconds(10));
            checkpoints.stop();
            watch.stop();

            // one number per record, none skipped, none given twice, across the kill and the restart; what the dead leader numbered stays
            try (Connection c = Deployed.database(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM aud_record WHERE seq > " + firstSeq)) {
                rs.next();
                long count = rs.getLong(1);
                assertTrue(count > numberedBeforeKill.size(), "records were numbered after the takeover: " + count);
                assertEquals(count, rs.getLong(2), "no sequence number given twice");
                assertEquals(firstSeq + 1, rs.getLong(3), "none skipped at the start");
                assertEquals(firstSeq + count, rs.getLong(4), "none skipped: " + count + " records after " + firstSeq);
                assertTrue(rs.getLong(4) >= end.lastSeq(), "the head was numbered");
                assertEquals(end.lastSeq(), end.treeSize(), "every numbered record is a leaf of the tree");
            }
            Map<Long, Long> numberedAfter = numbered(firstSeq);
            numberedBeforeKill.forEach((id, seq) -> assertEquals(seq, numberedAfter.get(id), "record " + id + " keeps its number"));
            try (Connection c = Deployed.database(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM aud_record a JOIN aud_record b ON b.seq = a.seq + 1 "
                         + "WHERE a.seq >= " + Math.max(1, firstSeq) + " AND NOT b.prev_hash <=> a.hash")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "the hash chain links every record to the one before, across the takeover");
            }

            // each request answered 2xx has its record, numbered, once; an unanswered one at most once; a rolled-back one nowhere
            assertEquals(List.of(), writes.unexpected, "every audited read was answered 200 (or not at all), every probe transaction 409 (or not at all)");
            Map<Long, Integer> recordsOf = readRecordsByCursor(firstId);
            List<Long> missing = writes.committed.stream().filter(cursor -> !recordsOf.containsKey(cursor)).sorted().toList();
            assertEquals(List.of(), missing, "every audited request answered 200 has its record");
            assertEquals(Map.of(), filter(recordsOf, (cursor, n) -> n != 1), "no request has two records");
            assertEquals(Map.of(), filter(recordsOf, (cursor, n) -> !writes.committed.contains(cursor) && !writes.unanswered.contains(cursor) && cursor != marker),
                    "no record of a request that was not sent");
            long unansweredKept = writes.unanswered.stream().filter(recordsOf::containsKey).count();
            assertTrue(writes.rolledBackAfterWriting.get() >= SOAK_SECONDS, "probe transactions rolled back after their record was in the database: "
                    + writes.rolledBackAfterWriting.get());
            assertEquals(0, count("SELECT COUNT(*) FROM aud_record_written WHERE action = '" + AuditProbeResource.ACTION + "'"),
                    "no record of a rolled-back transaction is in the log, numbered or not (" + writes.rolledBack.size() + " rolled back)");

            // one leader at a time: the lease went from the killed instance to the survivor once, after the kill, and stayed there
            List<LeaseWatch.Change> changes = watch.changes();
            List<String> holders = changes.stream().map(LeaseWatch.Change::leader).toList();
            String lease = changes.stream().map(c -> c.leader() + " at " + (c.at() - kill.at()) / 1_000_000 + " ms").toList() + " (the kill at 0 ms)";
            assertTrue(holders.size() >= 2 && holders.get(holders.size() - 2).equals(leader.sequencer())
                    && holders.get(holders.size() - 1).equals(standby.sequencer()), "the lease passed from the killed leader to the survivor: " + lease);
            assertTrue(changes.get(changes.size() - 1).at() > kill.at() && changes.get(changes.size() - 2).at() < kill.at(),
                    "the survivor took the lease after the kill, and kept it: " + lease);
            assertFalse(holders.contains(restarted.sequencer()), "the restarted instance never held the lease: " + lease);
            long handoversBeforeKill = changes.size() - 2;

            // every checkpoint signed from early in the minute to the end extends the one before it: proofs from the API, checked independently
            TreeMap<Long, byte[]> roots = signedRoots(restarted, officer, verifierKey, first.size(), after.size());
            assertTrue(roots.containsKey(first.size()) && roots.containsKey(before.size()) && roots.containsKey(after.size()),
                    "the checkpoints of the minute, before the kill and after the restart are in the history: " + roots.keySet());
            Long previous = null;
            for (Map.Entry<Long, byte[]> checkpoint : roots.entrySet()) {
                if (previous != null) {
                    JsonObject proof = Deployed.json(get(restarted, "/api/v1/audit/consistency?from=" + previous + "&to=" + checkpoint.getKey(), officer));
                    assertTrue(Rfc9162.verifyConsistency(previous, checkpoint.getKey(), roots.get(previous), checkpoint.getValue(),
                            base64s(proof)), "the checkpoint of " + checkpoint.getKey() + " extends the one of " + previous);
                }
                previous = checkpoint.getKey();
            }
            JsonObject across = Deployed.json(get(standby, "/api/v1/audit/consistency?from=" + before.size() + "&to=" + after.size(), officer));
            assertTrue(Rfc9162.verifyConsistency(before.size(), after.size(), rootOf(before.note(), verifierKey),
                    rootOf(after.note(), verifierKey), base64s(across)), "the checkpoint after the restart extends the one before the kill");
            // as the instances published them while it all happened: signed, never a smaller tree than one published before, and the history's own
            List<Checkpoint> seen = checkpoints.seen();
            assertTrue(seen.size() >= SOAK_SECONDS / 2, "the latest checkpoint changed as the log grew: " + seen.size() + " seen");
            for (int i = 0; i < seen.size(); i++) {
                Checkpoint published = seen.get(i);
                long earlier = i == 0 ? 0 : seen.get(i - 1).size();
                assertTrue(published.size() >= earlier, "tree sizes never go back: " + earlier + " then " + published.size());
                if (published.size() >= first.size() && published.size() <= after.size()) {
                    assertTrue(java.util.Arrays.equals(roots.get(published.size()), rootOf(published.note(), verifierKey)),
                            "the checkpoint of " + published.size() + " as published is the one in the history");
                }
            }
            assertEquals(0, count("SELECT COUNT(*) FROM aud_checkpoint a JOIN aud_checkpoint b ON b.created_at > a.created_at AND b.tree_size < a.tree_size "
                    + "WHERE a.tree_size >= " + first.size() + " AND b.tree_size >= " + first.size()), "no checkpoint was signed for a smaller tree than an earlier one");

            LOG.info("two instances ready after " + readyMillis + " ms; " + WRITERS + " writers for " + SOAK_SECONDS + " s: " + writtenBeforeKill
                    + " audited requests before the kill, " + writes.committed.size() + " in all (" + writes.unanswered.size() + " unanswered, "
                    + unansweredKept + " of them committed), " + writes.rolledBack.size() + " transactions rolled back ("
                    + writes.rolledBackAfterWriting.get() + " after their record was in the database); " + handoversBeforeKill + " handovers without a kill; killed with "
                    + kill.unnumbered() + " committed records unnumbered; the survivor numbered the log " + takeoverMillis + " ms after the kill; "
                    + "the killed instance was back after " + restartMillis + " ms; " + (end.lastSeq() - firstSeq) + " records, " + roots.size()
                    + " checkpoints from tree size " + first.size() + " to " + after.size() + " (" + seen.size() + " seen published); the whole test "
                    + (System.nanoTime() - begin) / 1_000_000 + " ms");
        } finally {
            writing.set(false);
            checkpoints.stop();
            watch.stop();
            pool.shutdownNow();
        }
    }

    /**
     * One writer: audited reads that commit, or (every fourth writer) probe transactions that roll back after their
     * record was written, each with an id of its own, to the live instances in turn, until told to stop (bounded).
     */
    private static Void write(int writer, AtomicReference<List<Instance>> live, AtomicBoolean writing, Writes writes, String token)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOAK_SECONDS + 600L);
        for (int n = 0; writing.get() && System.nanoTime() < deadline; n++) {
            if (writes.paused.get()) {
                Thread.sleep(20);
                continue;
            }
            List<Instance> targets = live.get();
            Instance target = targets.get((writer + n) % targets.size());
            if (writer % ROLLING_BACK_EVERY == ROLLING_BACK_EVERY - 1) {
                long probe = PROBE_IDS + writer * 10_000_000L + n;
                writes.rolledBack.add(probe);
                int status = rolledBackWrite(target, probe, 20 + (n * 37L) % 200);
                if (status == 409) {
                    writes.rolledBackAfterWriting.incrementAndGet();
                } else if (status != -1) {
                    writes.unexpected.add("probe " + probe + " on " + target.name() + ": " + status);
                }
            } else {
                long cursor = PAST_THE_END + writer * 10_000_000L + n;
                int status = auditedRead(target, token, cursor);
                if (status == 200) {
                    writes.committed.add(cursor);
                    writes.committedOn.computeIfAbsent(target.name(), name -> new AtomicInteger()).incrementAndGet();
                } else if (status == -1) {
                    writes.unanswered.add(cursor);
                } else {
                    writes.unexpected.add("read " + cursor + " on " + target.name() + ": " + status);
                }
            }
            Thread.sleep(10);
        }
        return null;
    }

    /** When the leader was killed, and how many committed records were waiting for a number then. */
    private record KillMoment(long at, long unnumbered) {
    }

    /**
     * SIGKILLs the leader at a moment when committed records wait for their numbers: the sequencer takes them in
     * batches every 100 ms, so the kill falls into or right before the batch that numbers them, and a batch in flight
     * rolls back with its connection. Waits for a backlog of 20 for up to 10 s, then takes any backlog.
     */
    private static KillMoment killWhileRecordsWait(Instance leader, long afterId) throws Exception {
        long start = System.nanoTime();
        try (Connection look = Deployed.database();
             PreparedStatement waiting = look.prepareStatement("SELECT COUNT(*) FROM aud_pending WHERE id > ?")) {
            waiting.setLong(1, afterId);
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                long unnumbered;
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    unnumbered = rs.getLong(1);
                }
                if (unnumbered >= (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10) ? 20 : 1)) {
                    leader.process().destroyForcibly();
                    long at = System.nanoTime();
                    assertTrue(leader.process().waitFor(10, TimeUnit.SECONDS), "the leader is gone");
                    return new KillMoment(at, unnumbered);
                }
                Thread.sleep(2);
            }
        }
        throw new AssertionError("no committed record waited for a number within 30 s of writing");
    }

    /**
     * The instance's threads that are in the audit sequencer's code, from a thread dump: where a sequencer that stopped
     * numbering waits (none: its scheduled task has ended).
     */
    private static String sequencerThreads(Instance instance) {
        try {
            Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(instance.process().pid()), "Thread.print").redirectErrorStream(true).start();
            String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dump.waitFor(30, TimeUnit.SECONDS);
            List<String> sequencer = java.util.Arrays.stream(threads.split("\n\n"))
                    .filter(t -> t.contains("AuditSequencer") || t.contains("SequencerBatch")).toList();
            return sequencer.isEmpty() ? "(none)" : String.join("\n\n", sequencer);
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** The tests' shared WAR (the product and the probes) as a file for the instances' --deploy. */
    private static Path sharedWarFile() {
        Path war = Path.of("target", "takeover-it.war").toAbsolutePath();
        Deployed.sharedWar().as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }

    /** Starts the instances at once (each with its own port, temporary directory and log) and waits until all are ready. */
    private List<Instance> startTogether(Path war, String... names) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (String name : names) {
            int port = freePort();
            Path log = Path.of("target", "takeover-it-" + name + ".log").toAbsolutePath();
            Path tmp = Path.of("target", "takeover-it-tmp-" + name).toAbsolutePath();
            deleteRecursively(tmp);
            Files.createDirectories(tmp);
            // DB_URL, the keys, the JWT settings and the rest come from failsafe's environment, as for the Arquillian container
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseSerialGC", "-Dhazelcast.phone.home.enabled=false", "-Duser.timezone=UTC",
                    "-Dguestbridge.hazelcast.config=" + System.getProperty("guestbridge.payara.hazelcast"), "-Djava.io.tmpdir=" + tmp,
                    "-jar", System.getProperty("payara.microJar"),
                    "--deploy", war.toString(), "--contextroot", "/",
                    "--port", Integer.toString(port), "--nocluster", "--disablephonehome",
                    // production's server settings, the scheduled executor's threads among them: with Payara's default of one,
                    // the sequencer would share its thread with every queue worker
                    "--prebootcommandfile", System.getProperty("guestbridge.payara.listeners"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Process process = builder.start();
            started.add(process);
            processes.add(process);
            ports.add(port);
            logs.add(log);
        }
        List<Instance> instances = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        for (int i = 0; i < names.length; i++) {
            awaitReady(processes.get(i), ports.get(i), logs.get(i), deadline);
            Matcher id = STARTED.matcher(Files.readString(logs.get(i)));
            assertTrue(id.find(), "the instance's log names its sequencer: " + logs.get(i));
            instances.add(new Instance(names[i], processes.get(i), ports.get(i), logs.get(i), id.group(1)));
        }
        return instances;
    }

    private static void awaitReady(Process server, int port, Path log, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the server exited; see " + log);
            }
            try {
                if (CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        fail("the server was not ready within 240 s; see " + log);
    }

    /** The instance whose sequencer holds a live lease, once one does. */
    private static Instance awaitLeader(List<Instance> instances, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Head head = head();
            Optional<Instance> leader = instances.stream().filter(i -> i.sequencer().equals(head.leader())).findFirst();
            if (leader.isPresent() && head.leaseLive() && LEADS.equals(lastLeadershipLine(leader.get()))) {
                return leader.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("neither instance took the sequencer's lease within " + timeout.toSeconds() + " s: " + head());
    }

    /** The last line in which the instance's sequencer said it leads or stands by ("" if none yet). */
    private static String lastLeadershipLine(Instance instance) throws IOException {
        String log = Files.readString(instance.log());
        int leads = log.lastIndexOf(instance.sequencer() + LEADS);
        int standsBy = log.lastIndexOf(instance.sequencer() + STANDS_BY);
        return leads < 0 && standsBy < 0 ? "" : leads > standsBy ? LEADS : STANDS_BY;
    }

    private record Head(String leader, boolean leaseLive, long lastSeq, long treeSize) {
    }

    private static Head head() throws Exception {
        try (Connection c = Deployed.database(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT leader, lease_until > UTC_TIMESTAMP(6), last_seq, tree_size FROM aud_chain_head WHERE id = 1")) {
            assertTrue(rs.next(), "the chain head exists");
            return new Head(rs.getString(1), rs.getBoolean(2), rs.getLong(3), rs.getLong(4));
        }
    }

    /** The audited read of the change feed (GUEST_CHANGES_READ, with the cursor in its details); its status, or -1 if no answer. */
    private static int auditedRead(Instance instance, String token, long cursor) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(instance.uri("/api/v1/guests/changes?limit=1&cursor=" + cursor))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // the instance was killed under this request: its transaction rolled back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The transaction of a probe that writes its audit record and then rolls back; its status (409 as it should), or -1 if no answer. */
    private static int rolledBackWrite(Instance instance, long probe, long holdMs) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(instance.uri("/api/v1/it-probe/audit/rolled-back/" + probe + "?holdMs=" + holdMs))
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // the instance was killed under this request: the transaction rolled back all the same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The id of the newest record in the log: every record numbered from now on has a larger one. */
    private static long lastRecordId() throws Exception {
        return count("SELECT COALESCE(MAX(id), 0) FROM aud_record");
    }

    /** The id of the newest record waiting for its number (or, none waiting, one below the next): every record written from now on has a larger one. */
    private static long lastWaitingId() throws Exception {
        return count("SELECT COALESCE(MAX(id), 0) FROM aud_pending");
    }

    /** How many records each cursor of an audited read has among the records after {@code afterId}. */
    private static Map<Long, Integer> readRecordsByCursor(long afterId) throws Exception {
        Map<Long, Integer> records = new HashMap<>();
        try (Connection c = Deployed.database();
             PreparedStatement s = c.prepareStatement("SELECT details FROM aud_record WHERE id > ? AND action = 'GUEST_CHANGES_READ'")) {
            s.setLong(1, afterId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long cursor = Long.parseLong(Deployed.parse(rs.getString(1)).asJsonObject().getString("after"));
                    if (cursor >= PAST_THE_END - 1) {
                        records.merge(cursor, 1, Integer::sum);
                    }
                }
            }
        }
        return records;
    }

    private static Map<Long, Integer> filter(Map<Long, Integer> map, java.util.function.BiPredicate<Long, Integer> keep) {
        Map<Long, Integer> out = new TreeMap<>();
        map.forEach((k, v) -> {
            if (keep.test(k, v)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static long count(String sql) throws Exception {
        try (Connection c = Deployed.database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The id, among the records waiting for their numbers, of the audited read with this cursor, written after
     * {@code afterId} (a database kept from an earlier run has its own).
     */
    private static long waitingId(long cursor, long afterId) throws Exception {
        try (Connection c = Deployed.database();
             PreparedStatement s = c.prepareStatement("SELECT id FROM aud_pending WHERE id > ? AND action = 'GUEST_CHANGES_READ' AND details LIKE ?")) {
            s.setLong(1, afterId);
            s.setString(2, "%" + cursor + "%");
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "the marker record was committed");
                long id = rs.getLong(1);
                assertFalse(rs.next(), "one marker record");
                return id;
            }
        }
    }

    /** How many records wait for their numbers that were written no later than the waiting record {@code id}. */
    private static long unnumberedUpTo(long id) throws Exception {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM aud_pending WHERE id <= ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Record id to sequence number, of the records numbered after {@code seq}. */
    private static Map<Long, Long> numbered(long seq) throws Exception {
        Map<Long, Long> numbers = new HashMap<>();
        try (Connection c = Deployed.database(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, seq FROM aud_record WHERE seq > " + seq)) {
            while (rs.next()) {
                numbers.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return numbers;
    }

    private record Checkpoint(long size, String note) {
    }

    /** The latest signed checkpoint from the instance, once it covers {@code size} records. */
    private static Checkpoint awaitCheckpoint(Instance instance, String officer, long size, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String note = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get(instance, "/api/v1/audit/checkpoint", officer);
            if (response.statusCode() == 200) {
                note = response.body();
                long covered = Long.parseLong(note.split("\n")[1]);
                if (covered >= size) {
                    return new Checkpoint(covered, note);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint covers " + size + " records within " + timeout.toSeconds() + " s: " + note);
    }

    /** The root hashes of the signed checkpoints from tree size {@code from} to {@code to}, each signature checked. */
    private static TreeMap<Long, byte[]> signedRoots(Instance instance, String officer, String verifierKey, long from, long to) {
        TreeMap<Long, byte[]> roots = new TreeMap<>();
        long after = from - 1;
        for (int page = 0; page < 100 && after < to; page++) {
            JsonObject checkpoints = Deployed.json(get(instance, "/api/v1/audit/checkpoints?limit=100&after=" + after, officer));
            assertEquals(verifierKey, checkpoints.getString("verifierKey"));
            List<JsonObject> list = checkpoints.getJsonArray("checkpoints").getValuesAs(JsonObject.class);
            if (list.isEmpty()) {
                break;
            }
            for (JsonObject checkpoint : list) {
                long size = checkpoint.getJsonNumber("treeSize").longValue();
                if (size <= to) {
                    roots.put(size, rootOf(checkpoint.getString("note"), verifierKey));
                }
                after = size;
            }
        }
        return roots;
    }

    /** The root hash a checkpoint signed by the verifier key names (its third line). */
    private static byte[] rootOf(String note, String verifierKey) {
        return Base64.getDecoder().decode(Rfc9162.openNote(note, verifierKey).split("\n")[2]);
    }

    private static List<byte[]> base64s(JsonObject proof) {
        return proof.getJsonArray("proof").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(s -> Base64.getDecoder().decode(s.getString())).toList();
    }

    private static HttpResponse<String> get(Instance instance, String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(instance.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            PublishedContract.check(request, response);
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the latest checkpoint every 200 ms from a live instance (in turn) and keeps each one that differs from the
     * last: the checkpoints as a client saw them published, through the kill and the restart.
     */
    private static final class CheckpointWatch {

        private final AtomicReference<List<Instance>> live;
        private final String officer;
        private final List<Checkpoint> seen = new CopyOnWriteArrayList<>();
        private final AtomicBoolean watching = new AtomicBoolean(true);
        private Thread thread;

        CheckpointWatch(AtomicReference<List<Instance>> live, String officer) {
            this.live = live;
            this.officer = officer;
        }

        void start() {
            thread = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOAK_SECONDS + 600L);
                for (int n = 0; watching.get() && System.nanoTime() < deadline; n++) {
                    List<Instance> instances = live.get();
                    try {
                        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(instances.get(n % instances.size()).uri("/api/v1/audit/checkpoint"))
                                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + officer).build(),
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        if (response.statusCode() == 200 && (seen.isEmpty() || !seen.get(seen.size() - 1).note().equals(response.body()))) {
                            seen.add(new Checkpoint(Long.parseLong(response.body().split("\n")[1]), response.body()));
                        }
                        Thread.sleep(200);
                    } catch (IOException killed) {
                        // the instance asked was just killed: the next turn asks a live one
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "checkpoint-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            watching.set(false);
            if (thread != null) {
                thread.join(10_000);
            }
        }

        List<Checkpoint> seen() {
            return List.copyOf(seen);
        }
    }

    /**
     * Reads the lease row every 50 ms and keeps each change of its holder: who leads, as the database sees it,
     * through the whole test.
     */
    private static final class LeaseWatch {

        record Change(String leader, long at) {
        }

        private final List<Change> changes = new CopyOnWriteArrayList<>();
        private final AtomicBoolean watching = new AtomicBoolean(true);
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOAK_SECONDS + 600L);
                try (Connection c = Deployed.database();
                     PreparedStatement s = c.prepareStatement("SELECT leader FROM aud_chain_head WHERE id = 1")) {
                    while (watching.get() && System.nanoTime() < deadline) {
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            String leader = rs.getString(1);
                            if (changes.isEmpty() || !java.util.Objects.equals(changes.get(changes.size() - 1).leader(), leader)) {
                                changes.add(new Change(leader, System.nanoTime()));
                            }
                        }
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }, "lease-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            watching.set(false);
            if (thread != null) {
                thread.join(5000);
            }
        }

        List<Change> changes() {
            assertTrue(failures.isEmpty(), "the lease row could be read throughout: " + failures);
            return List.copyOf(changes);
        }
    }
}
