package io.guestbridge.crmemulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The emulator as a process, for benchmarks: a HubSpot on a given loopback port with a request budget
 * and, optionally, a share of requests answered 429 or 503. Prints its counters five times a second
 * ({@code hubspot contacts=… created=… requests=… violations=… first=… last=… mark=… marked=… checks=… check_ms=…}; first,
 * last and mark in epoch ms, marked the count at mark) and stops by itself after the given lifetime, so a benchmark can never
 * leave it running. {@code mark} is when the contact count first reached the optional mark count (0 until then): a benchmark
 * that warms the server up on other contacts first times the steady-state drain from there. {@code checks} and {@code check_ms}:
 * how many requests were checked against HubSpot's OpenAPI document and the time that took; the optional last argument checks
 * only every nth request ({@link HubSpotEmulator#checkEvery}; default 1, every one).
 *
 * <pre>java … BenchmarkMain &lt;port&gt; &lt;requests per window&gt; &lt;window ms&gt; &lt;fault share 0..1&gt; &lt;lifetime s&gt; [&lt;mark count&gt; [&lt;check every&gt;]]</pre>
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("multi")) {
            multi(args);
            return;
        }
        int port = Integer.parseInt(args[0]);
        int requests = Integer.parseInt(args[1]);
        Duration window = Duration.ofMillis(Long.parseLong(args[2]));
        double faults = Double.parseDouble(args[3]);
        long lifetime = Long.parseLong(args[4]);
        int markCount = args.length > 5 ? Integer.parseInt(args[5]) : Integer.MAX_VALUE;
        int checkEvery = args.length > 6 ? Integer.parseInt(args[6]) : 1;
        // without it the JDK server holds each response body on a kept-alive connection ~40 ms for the client's delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        warmUp();
        try (CrmEmulator emulator = CrmEmulator.start(port)) {
            emulator.hubspot().rateLimit(requests, window);
            emulator.hubspot().requestLogCapacity(1_000);
            emulator.hubspot().checkEvery(checkEvery);
            // the injected faults by arrival, for the timeline
            java.util.Map<java.time.Instant, Integer> injected = new java.util.concurrent.ConcurrentHashMap<>();
            if (faults > 0) {
                Random random = new Random(11);
                // half of the injected faults are 429s (rate limit), half 503s (server errors)
                emulator.hubspot().failNext(Integer.MAX_VALUE / 2, 429, r -> r.path().endsWith("/batch/upsert") && random.nextDouble() < faults / 2
                        && injected.put(r.receivedAt(), 429) == null);
                emulator.hubspot().failNext(Integer.MAX_VALUE / 2, 503, r -> r.path().endsWith("/batch/upsert") && random.nextDouble() < faults / 2
                        && injected.put(r.receivedAt(), 503) == null);
            }
            Timeline timeline = Timeline.open(System.getProperty("emulator.timeline"), injected);
            System.out.println("emulator ready on " + emulator.baseUrl());
            // when the first request came and when the contact count last grew, to 20 ms (wall clock, epoch ms):
            // the benchmark times a drain by these instead of by its own once-a-second polling
            long firstRequestAt = 0;
            long lastStoredAt = 0;
            long markAt = 0;
            int marked = 0;
            int lastCount = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetime);
            long nextPrint = 0;
            while (System.nanoTime() < end) {
                int count = emulator.hubspot().contactCount();
                if (firstRequestAt == 0 && emulator.hubspot().requestCount() > 0) {
                    firstRequestAt = System.currentTimeMillis();
                }
                if (count != lastCount) {
                    lastCount = count;
                    lastStoredAt = System.currentTimeMillis();
                    if (markAt == 0 && count >= markCount) {
                        markAt = lastStoredAt;
                        marked = count;
                    }
                }
                if (System.nanoTime() >= nextPrint) {
                    System.out.printf("hubspot contacts=%d created=%d requests=%d violations=%d first=%d last=%d mark=%d marked=%d checks=%d check_ms=%d%n", count,
                            emulator.hubspot().createdTotal(), emulator.hubspot().requestCount(), emulator.hubspot().contractViolations().size(),
                            firstRequestAt, lastStoredAt, markAt, marked,
                            emulator.hubspot().contractChecks(), emulator.hubspot().contractCheckNanos() / 1_000_000);
                    timeline.write(emulator.hubspot());
                    nextPrint = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * HubSpot, Salesforce and Mailchimp at once on one port, each with its own request budget per window, for the benchmark
     * of several connectors draining side by side. Prints five times a second, per service, {@code <service>_received=}
     * (records stored, each delivery counted), {@code _distinct=} (records held), {@code _first=} (its first request),
     * {@code _mark=} (when distinct first reached the mark count), {@code _marked=} (distinct then), {@code _last=} (when
     * distinct last grew), {@code _requests=} and {@code _violations=} (HubSpot's contract); times in epoch ms, 20 ms
     * resolution. Mailchimp's list is {@code guests}.
     *
     * <pre>java … BenchmarkMain multi &lt;port&gt; &lt;lifetime s&gt; &lt;window ms&gt; &lt;HubSpot requests&gt; &lt;Salesforce requests&gt;
     *     &lt;Mailchimp requests&gt; &lt;mark count&gt; &lt;check every&gt;</pre>
     */
    private static void multi(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        long lifetime = Long.parseLong(args[2]);
        Duration window = Duration.ofMillis(Long.parseLong(args[3]));
        int hubspotRequests = Integer.parseInt(args[4]);
        int salesforceRequests = Integer.parseInt(args[5]);
        int mailchimpRequests = Integer.parseInt(args[6]);
        int markCount = Integer.parseInt(args[7]);
        int checkEvery = Integer.parseInt(args[8]);
        System.setProperty("sun.net.httpserver.nodelay", "true");
        warmUp();
        try (CrmEmulator emulator = CrmEmulator.start(port)) {
            emulator.hubspot().rateLimit(hubspotRequests, window);
            emulator.hubspot().checkEvery(checkEvery);
            emulator.salesforce().rateLimit(salesforceRequests, window);
            emulator.mailchimp().rateLimit(mailchimpRequests, window);
            emulator.mailchimp().list("guests");
            List<ServiceEmulator> services = List.of(emulator.hubspot(), emulator.salesforce(), emulator.mailchimp());
            services.forEach(s -> s.requestLogCapacity(100));
            Timeline timeline = Timeline.open(System.getProperty("emulator.timeline"), java.util.Map.of());
            List<java.util.function.IntSupplier> distinct = List.of(emulator.hubspot()::contactCount, emulator.salesforce()::contactCount,
                    () -> emulator.mailchimp().memberCount("guests"));
            String[] names = {"hubspot", "salesforce", "mailchimp"};
            long[] first = new long[3];
            long[] last = new long[3];
            long[] mark = new long[3];
            int[] marked = new int[3];
            int[] lastCount = new int[3];
            System.out.println("emulator ready on " + emulator.baseUrl());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetime);
            long nextPrint = 0;
            while (System.nanoTime() < end) {
                long now = System.currentTimeMillis();
                StringBuilder line = new StringBuilder("multi");
                for (int i = 0; i < 3; i++) {
                    ServiceEmulator service = services.get(i);
                    int count = distinct.get(i).getAsInt();
                    if (first[i] == 0 && service.requestCount() > 0) {
                        first[i] = now;
                    }
                    if (count != lastCount[i]) {
                        lastCount[i] = count;
                        last[i] = now;
                        if (mark[i] == 0 && count >= markCount) {
                            mark[i] = now;
                            marked[i] = count;
                        }
                    }
                    line.append(' ').append(names[i]).append("_received=").append(service.recordsStored())
                            .append(' ').append(names[i]).append("_distinct=").append(count)
                            .append(' ').append(names[i]).append("_requests=").append(service.requestCount())
                            .append(' ').append(names[i]).append("_first=").append(first[i])
                            .append(' ').append(names[i]).append("_mark=").append(mark[i])
                            .append(' ').append(names[i]).append("_marked=").append(marked[i])
                            .append(' ').append(names[i]).append("_last=").append(last[i]);
                }
                line.append(" hubspot_violations=").append(emulator.hubspot().contractViolations().size());
                if (System.nanoTime() >= nextPrint) {
                    System.out.println(line);
                    timeline.write(emulator.hubspot());
                    nextPrint = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * Every request in the order it arrived, one line each ({@code <epoch ms> <path> <429|503 when injected, else ->}), written
     * to a file as they come when {@code -Demulator.timeline=<file>} names one: where a drain lost time shows as a gap
     * between requests, and what came before it. Reads the request log every 200 ms: a log of 100 requests holds what
     * arrives in that time at any of the emulated limits, and a longer one would only hold more request bodies in memory.
     */
    private static final class Timeline {

        private final java.io.PrintWriter out;
        private final java.util.Map<java.time.Instant, Integer> injected;
        private java.time.Instant written = java.time.Instant.EPOCH;

        private Timeline(java.io.PrintWriter out, java.util.Map<java.time.Instant, Integer> injected) {
            this.out = out;
            this.injected = injected;
        }

        static Timeline open(String file, java.util.Map<java.time.Instant, Integer> injected) throws java.io.IOException {
            return new Timeline(file == null ? null : new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(java.nio.file.Path.of(file))), injected);
        }

        void write(ServiceEmulator service) {
            if (out == null) {
                return;
            }
            // a request is logged when it arrives: one that arrived in the last 50 ms may still be deciding its fault
            java.time.Instant settled = java.time.Instant.now().minusMillis(50);
            for (RecordedRequest r : service.requests()) {
                if (r.receivedAt().isAfter(written) && !r.receivedAt().isAfter(settled)) {
                    Integer fault = injected.get(r.receivedAt());
                    out.println(r.receivedAt().toEpochMilli() + " " + r.path() + " " + (fault == null ? "-" : fault));
                    written = r.receivedAt();
                }
            }
            out.flush();
        }
    }

    /**
     * The real HubSpot is never cold; a freshly started emulator is: its first requests (JSON parsing and the
     * check of every body against HubSpot's OpenAPI document, interpreted rather than compiled) took several
     * times longer than warm ones, and a drain timed against a cold emulator measured the emulator's warm-up.
     * So a throw-away instance in this JVM gets batch upserts first (bounded: 300 requests or 30 s), and the
     * benchmark's instance starts with compiled code and empty counters.
     */
    private static void warmUp() throws Exception {
        StringBuilder body = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"idProperty\":\"email\",\"id\":\"warm-").append(i)
                    .append("@example.com\",\"properties\":{\"email\":\"warm-").append(i).append("@example.com\",\"firstname\":\"Warm\"}}");
        }
        body.append("]}");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (CrmEmulator warm = CrmEmulator.start()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(warm.baseUrl() + "/crm/v3/objects/contacts/batch/upsert"))
                    .header("Authorization", "Bearer hubspot-test-token").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < 300 && System.nanoTime() < until; i++) {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 && response.statusCode() != 201) {
                    throw new IllegalStateException("warm-up request answered " + response.statusCode() + ": " + response.body());
                }
            }
        }
    }
}
