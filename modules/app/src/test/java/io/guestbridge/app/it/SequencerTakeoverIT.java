package io.guestbridge.app.it;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static io.guestbridge.app.it.ItEnvironment.freePort;
import static io.guestbridge.app.it.ItEnvironment.deleteRecursively;

/**
 * Two instances of the server on one database, as a deployment with a standby runs: the audit sequencer's
 * lease lets one of them number the audit log; when that one is killed outright (SIGKILL, mid-batch or not),
 * the other takes over within 10 s, numbers what was written meanwhile, and the log stays gap-free, numbered
 * once, and consistent with the checkpoints signed before the kill. Both instances are started here, with
 * the deployment's own settings (the lease at its default), against the integration tests' database; no
 * other server runs while this class does (the one Arquillian's classes share is stopped first).
 */
class SequencerTakeoverIT {

    private static final Logger LOG = Logger.getLogger(SequencerTakeoverIT.class.getName());
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern STARTED = Pattern.compile("audit sequencer started \\(instance ([0-9a-f-]{36})\\)");
    private static final String LEADS = " now numbers the audit log";
    private static final String STANDS_BY = " stands by: another instance holds the lease";
    private static final Duration TAKEOVER = Duration.ofSeconds(10);
    /** A cursor past any change: the feed's answer is empty, the read is still audited (GUEST_CHANGES_READ). */
    private static final long PAST_THE_END = 900_000_000_000L;

    private final List<Process> started = new ArrayList<>();

    private record Instance(String name, Process process, int port, Path log, String sequencer) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
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
    void whenTheLeadingInstanceIsKilledTheOtherNumbersTheLogWithinTenSecondsWithoutGapOrDuplicate() throws Exception {
        long begin = System.nanoTime();
        List<Instance> instances = startTogether("a", "b");
        long readyMillis = (System.nanoTime() - begin) / 1_000_000;
        String officer = Deployed.token("compliance-officer");
        String integration = Deployed.token("integration");

        // exactly one leads: the lease row names it, its log says so, and the other's does not (or says it stands by)
        Instance leader = awaitLeader(instances, Duration.ofSeconds(20));
        Instance standby = instances.get(0) == leader ? instances.get(1) : instances.get(0);
        assertEquals(LEADS, lastLeadershipLine(leader), "the lease holder's log says it numbers the log");
        assertFalse(LEADS.equals(lastLeadershipLine(standby)), "the other instance does not number the log while the lease is held");
        long firstSeq = head().lastSeq();

        LeaseWatch watch = new LeaseWatch();
        watch.start();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicBoolean leaderAlive = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> writing4 = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writing4.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    for (int n = 0; writing.get() && System.nanoTime() < deadline; n++) {
                        // both instances take audited work while both live, the survivor alone afterwards
                        Instance target = leaderAlive.get() && (writer + n) % 2 == 0 ? leader : standby;
                        if (auditedRead(target, integration, PAST_THE_END + writer) == 200) {
                            written.incrementAndGet();
                        }
                        Thread.sleep(10);
                    }
                    return null;
                }));
            }

            // the leader numbers the work of both and signs a checkpoint of it
            awaitWritten(written, 100);
            long beforeKill = head().lastSeq();
            Checkpoint before = awaitCheckpoint(standby, officer, beforeKill, Duration.ofSeconds(10));
            Map<Long, Long> numberedBeforeKill = numbered(firstSeq);

            // SIGKILL, whatever it is doing: a batch in flight rolls back with its connection
            leader.process().destroyForcibly();
            long killedAt = System.nanoTime();
            leaderAlive.set(false);
            assertTrue(leader.process().waitFor(10, TimeUnit.SECONDS), "the leader is gone");
            long marker = PAST_THE_END + 999;
            assertEquals(200, auditedRead(standby, integration, marker), "the survivor takes audited work while nobody numbers the log");
            long markerId = recordId(marker);

            // the survivor takes the lease and numbers everything committed, the marker written while the leader was dead included
            long takenOverAt = 0;
            while (System.nanoTime() - killedAt < TAKEOVER.toNanos() + TimeUnit.SECONDS.toNanos(5)) {
                if (standby.sequencer().equals(head().leader()) && unnumberedUpTo(markerId) == 0) {
                    takenOverAt = System.nanoTime();
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(takenOverAt > 0, "the survivor numbered the records written after the kill within "
                    + (TAKEOVER.toSeconds() + 5) + " s; the lease row: " + head());
            long takeoverMillis = (takenOverAt - killedAt) / 1_000_000;
            assertTrue(takeoverMillis <= TAKEOVER.toMillis(), "taken over and numbered within " + TAKEOVER.toSeconds() + " s of the kill: " + takeoverMillis + " ms");
            assertEquals(LEADS, lastLeadershipLine(standby), "the survivor's log says it took over");

            // it goes on numbering: more work after the takeover, then every record is numbered and covered by a checkpoint
            awaitWritten(written, written.get() + 50);
            writing.set(false);
            for (Future<?> writer : writing4) {
                writer.get(30, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (unnumberedUpTo(Long.MAX_VALUE) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, unnumberedUpTo(Long.MAX_VALUE), "every committed record is numbered");
            Head end = head();
            Checkpoint after = awaitCheckpoint(standby, officer, end.lastSeq(), Duration.ofSeconds(10));
            watch.stop();

            // one number per record, none skipped, none given twice, across the takeover; what the dead leader numbered stays
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

            // one leader at a time: the lease went from the killed instance to the survivor once, after the kill
            List<LeaseWatch.Change> changes = watch.changes();
            assertEquals(List.of(leader.sequencer(), standby.sequencer()), changes.stream().map(LeaseWatch.Change::leader).toList(),
                    "the lease passed once, from the killed leader to the survivor: " + changes);
            assertTrue(changes.get(1).at() > killedAt, "and only after the kill");

            // the checkpoints signed before the kill, across it and after it are consistent: proofs from the API, checked independently
            String verifierKey = Files.readString(ItEnvironment.home().resolve("dev-keys").resolve("audit-verifier.key")).trim();
            TreeMap<Long, byte[]> roots = signedRoots(standby, officer, verifierKey, before.size(), after.size());
            assertTrue(roots.containsKey(before.size()) && roots.containsKey(after.size()), "both checkpoints are in the history: " + roots.keySet());
            Long previous = null;
            for (Map.Entry<Long, byte[]> checkpoint : roots.entrySet()) {
                if (previous != null) {
                    JsonObject proof = Deployed.json(get(standby, "/api/v1/audit/consistency?from=" + previous + "&to=" + checkpoint.getKey(), officer));
                    assertTrue(Rfc9162.verifyConsistency(previous, checkpoint.getKey(), roots.get(previous), checkpoint.getValue(),
                            base64s(proof)), "the checkpoint of " + checkpoint.getKey() + " extends the one of " + previous);
                }
                previous = checkpoint.getKey();
            }
            JsonObject across = Deployed.json(get(standby, "/api/v1/audit/consistency?from=" + before.size() + "&to=" + after.size(), officer));
            assertTrue(Rfc9162.verifyConsistency(before.size(), after.size(), rootOf(before.note(), verifierKey),
                    rootOf(after.note(), verifierKey), base64s(across)), "the checkpoint after the takeover extends the one before the kill");
            LOG.info("two instances ready after " + readyMillis + " ms; the survivor numbered the log " + takeoverMillis + " ms after the kill; "
                    + written.get() + " audited requests, " + (end.lastSeq() - firstSeq) + " records, " + roots.size()
                    + " checkpoints from tree size " + before.size() + " to " + after.size() + "; the whole test " + (System.nanoTime() - begin) / 1_000_000 + " ms");
        } finally {
            writing.set(false);
            watch.stop();
            pool.shutdownNow();
        }
    }

    /** Starts the instances at once (each with its own port, temporary directory and log) and waits until all are ready. */
    private List<Instance> startTogether(String... names) throws Exception {
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
                    "-Xmx512m", "-XX:+UseSerialGC", "-Dhazelcast.phone.home.enabled=false", "-Djava.io.tmpdir=" + tmp,
                    "-jar", System.getProperty("payara.microJar"),
                    "--deploy", System.getProperty("guestbridge.war"), "--contextroot", "/",
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

    private static long recordId(long cursor) throws Exception {
        try (Connection c = Deployed.database();
             PreparedStatement s = c.prepareStatement("SELECT id FROM aud_record WHERE action = 'GUEST_CHANGES_READ' AND details LIKE ?")) {
            s.setString(1, "%" + cursor + "%");
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "the marker record was committed");
                long id = rs.getLong(1);
                assertFalse(rs.next(), "one marker record");
                return id;
            }
        }
    }

    private static long unnumberedUpTo(long id) throws Exception {
        try (Connection c = Deployed.database(); PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM aud_record WHERE seq IS NULL AND id <= ?")) {
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

    private static void awaitWritten(AtomicInteger written, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (written.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(written.get() >= count, "audited requests answered: " + written.get() + " of " + count);
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
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
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
