package io.guestbridge.crmemulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
            if (faults > 0) {
                Random random = new Random(11);
                // half of the injected faults are 429s (rate limit), half 503s (server errors)
                emulator.hubspot().failNext(Integer.MAX_VALUE / 2, 429, r -> r.path().endsWith("/batch/upsert") && random.nextDouble() < faults / 2);
                emulator.hubspot().failNext(Integer.MAX_VALUE / 2, 503, r -> r.path().endsWith("/batch/upsert") && random.nextDouble() < faults / 2);
            }
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
                    nextPrint = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                }
                Thread.sleep(20);
            }
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
