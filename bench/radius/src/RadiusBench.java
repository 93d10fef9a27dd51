import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RADIUS benchmark's own tools, JDK only (run as a source file):
 *   seed  BASE BOOKING_PATH SIGNING_SECRET N PARALLEL   N confirmed stays (open now) by signed booking webhooks
 *   bind  BASE TOKEN IDS_FILE MACS_FILE PARALLEL        binds line i's MAC to line i's credential
 *   load  HOST PORT SECRET MACS_FILE REQUESTS CONCURRENCY SECONDS WARMUP
 *         MAC-authentication Access-Requests as Meraki sends them, CONCURRENCY in flight (one per socket, closed loop),
 *         bounded by REQUESTS and SECONDS; prints one line: requests/s, p50, p99, max (ms), accepts, rejects, timeouts.
 * Every loop is bounded in count and time; loopback only.
 */
public final class RadiusBench {

    private static final Logger LOG = Logger.getLogger(RadiusBench.class.getName());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "seed" -> seed(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "bind" -> bind(args[1], args[2], Path.of(args[3]), Path.of(args[4]), Integer.parseInt(args[5]));
            case "load" -> load(args[1], Integer.parseInt(args[2]), args[3], Path.of(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]), Integer.parseInt(args[8]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    // ---------------------------------------------------------------- seeding through the API

    private static void seed(String base, String bookingPath, String secret, int n, int parallel) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        Instant arrival = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant departure = Instant.now().plus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Semaphore slots = new Semaphore(parallel);
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = "{\"type\":\"reservation.confirmed\",\"occurredAt\":\"" + Instant.now() + "\",\"reservation\":{\"id\":\"RB-" + i
                    + "\",\"arrival\":\"" + arrival + "\",\"departure\":\"" + departure + "\",\"timeZone\":\"Europe/London\"},"
                    + "\"guest\":{\"id\":\"GB-" + i + "\",\"email\":\"radius-bench-" + i + "@example.com\"}}";
            String id = "evt_" + UUID.randomUUID();
            long timestamp = Instant.now().getEpochSecond();
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String signature = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + bookingPath)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            all.add(send(slots, request, failed));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + n + " booking events were not accepted");
        }
    }

    private static void bind(String base, String token, Path ids, Path macs, int parallel) throws Exception {
        List<String> credentialIds = Files.readAllLines(ids);
        List<String> macList = Files.readAllLines(macs);
        Semaphore slots = new Semaphore(parallel);
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < credentialIds.size(); i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/onboarding/credentials/" + credentialIds.get(i) + "/devices"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"mac\":\"" + macList.get(i) + "\"}")).build();
            all.add(send(slots, request, failed));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + credentialIds.size() + " devices were not bound");
        }
    }

    private static CompletableFuture<?> send(Semaphore slots, HttpRequest request, AtomicInteger failed) throws InterruptedException {
        slots.acquire();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            slots.release();
            if (error != null || response.statusCode() != 200) {
                if (failed.incrementAndGet() <= 3) {
                    LOG.warning(() -> "refused: " + (error != null ? error.toString() : response.statusCode() + " " + response.body()));
                }
            }
        });
    }

    // ---------------------------------------------------------------- the RADIUS load

    private static void load(String host, int port, String secret, Path macsFile, int requests, int concurrency, int seconds, int warmup)
            throws Exception {
        List<String> macs = Files.readAllLines(macsFile);
        InetAddress address = InetAddress.getByName(host);
        byte[] shared = secret.getBytes(StandardCharsets.UTF_8);
        run(address, port, shared, macs, warmup, concurrency, seconds); // JIT, pools and caches warm
        Result result = run(address, port, shared, macs, requests, concurrency, seconds);
        long[] latencies = result.latencies();
        Arrays.sort(latencies);
        double elapsed = result.nanos() / 1e9;
        // machine-readable for run.sh: done rps p50 p99 max accepts rejects timeouts
        System.out.printf(java.util.Locale.ROOT, "%d %.0f %.2f %.2f %.2f %d %d %d%n", latencies.length, latencies.length / elapsed,
                pct(latencies, 50), pct(latencies, 99), latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6,
                result.accepts(), result.rejects(), result.timeouts());
    }

    private record Result(long[] latencies, long nanos, int accepts, int rejects, int timeouts) {
    }

    private static Result run(InetAddress address, int port, byte[] secret, List<String> macs, int requests, int concurrency, int seconds)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepts = new AtomicInteger();
        AtomicInteger rejects = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long[][] perWorker = new long[concurrency][];
        int[] counts = new int[concurrency];
        Thread[] workers = new Thread[concurrency];
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            perWorker[w] = new long[requests]; // a fast worker may take far more than its share
            workers[w] = new Thread(() -> {
                SecureRandom random = new SecureRandom();
                try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    socket.setSoTimeout(2000);
                    byte[] answer = new byte[4096];
                    int id = 0;
                    for (int i; (i = next.getAndIncrement()) < requests && System.nanoTime() < deadline; ) {
                        String mac = macs.get(i % macs.size());
                        byte[] authenticator = new byte[16];
                        random.nextBytes(authenticator);
                        id = (id + 1) & 0xff;
                        byte[] packet = accessRequest(id, authenticator, secret, mac);
                        long sent = System.nanoTime();
                        socket.send(new DatagramPacket(packet, packet.length, address, port));
                        DatagramPacket received = new DatagramPacket(answer, answer.length);
                        try {
                            do {
                                socket.receive(received);
                            } while ((answer[1] & 0xff) != id); // a late answer to an earlier, timed-out request
                        } catch (SocketTimeoutException e) {
                            timeouts.incrementAndGet();
                            continue;
                        }
                        long took = System.nanoTime() - sent;
                        if (!authentic(answer, received.getLength(), authenticator, secret)) {
                            throw new IllegalStateException("an answer whose Response Authenticator does not match the shared secret");
                        }
                        if (answer[0] == 2) {
                            accepts.incrementAndGet();
                        } else {
                            rejects.incrementAndGet();
                        }
                        if (counts[worker] < perWorker[worker].length) {
                            perWorker[worker][counts[worker]++] = took;
                        }
                    }
                } catch (IOException | java.security.GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[w].start();
        }
        for (Thread worker : workers) {
            worker.join(seconds * 1000L + 10_000);
        }
        long nanos = System.nanoTime() - start;
        long[] all = new long[Arrays.stream(counts).sum()];
        for (int w = 0, at = 0; w < concurrency; at += counts[w], w++) {
            System.arraycopy(perWorker[w], 0, all, at, counts[w]);
        }
        return new Result(all, nanos, accepts.get(), rejects.get(), timeouts.get());
    }

    /** User-Name and User-Password = the MAC's 12 hex digits, Calling-Station-Id = AA-BB-CC-DD-EE-FF (RFC 2865 hiding). */
    private static byte[] accessRequest(int id, byte[] authenticator, byte[] secret, String mac) throws java.security.GeneralSecurityException {
        String hex = mac.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        byte[] user = hex.getBytes(StandardCharsets.US_ASCII);
        byte[] station = mac.replace(':', '-').toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        byte[] padded = Arrays.copyOf(user, 16);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(secret);
        md5.update(authenticator);
        byte[] b = md5.digest();
        byte[] hidden = new byte[16];
        for (int k = 0; k < 16; k++) {
            hidden[k] = (byte) (padded[k] ^ b[k]);
        }
        int length = 20 + 2 + user.length + 2 + hidden.length + 2 + station.length;
        byte[] p = new byte[length];
        p[0] = 1;
        p[1] = (byte) id;
        p[2] = (byte) (length >> 8);
        p[3] = (byte) length;
        System.arraycopy(authenticator, 0, p, 4, 16);
        int at = attribute(p, 20, 1, user);
        at = attribute(p, at, 2, hidden);
        attribute(p, at, 31, station);
        return p;
    }

    private static int attribute(byte[] p, int at, int type, byte[] value) {
        p[at] = (byte) type;
        p[at + 1] = (byte) (value.length + 2);
        System.arraycopy(value, 0, p, at + 2, value.length);
        return at + 2 + value.length;
    }

    private static boolean authentic(byte[] answer, int length, byte[] requestAuthenticator, byte[] secret) throws java.security.GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(answer, 0, 4);
        md5.update(requestAuthenticator);
        md5.update(answer, 20, length - 20);
        md5.update(secret);
        return MessageDigest.isEqual(md5.digest(), Arrays.copyOfRange(answer, 4, 20));
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int k = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length));
        return sorted[k - 1] / 1e6;
    }
}
