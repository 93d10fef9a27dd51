package io.guestbridge.crmemulator;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The emulator as a process, for benchmarks: a HubSpot on a given loopback port with a request budget
 * and, optionally, a share of requests answered 429 or 503. Prints its counters once a second
 * ({@code hubspot contacts=… created=… requests=… violations=…}) and stops by itself after the given
 * lifetime, so a benchmark can never leave it running.
 *
 * <pre>java … BenchmarkMain &lt;port&gt; &lt;requests per window&gt; &lt;window ms&gt; &lt;fault share 0..1&gt; &lt;lifetime s&gt;</pre>
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
        // without it the JDK server holds each response body on a kept-alive connection ~40 ms for the client's delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try (CrmEmulator emulator = CrmEmulator.start(port)) {
            emulator.hubspot().rateLimit(requests, window);
            emulator.hubspot().requestLogCapacity(1_000);
            if (faults > 0) {
                Random random = new Random(11);
                // half of the injected faults are 429s (rate limit), half 503s (server errors)
                emulator.hubspot().failNext(Integer.MAX_VALUE / 2, 429, r -> r.path().endsWith("/batch/upsert") && random.nextDouble() < faults / 2);
                emulator.hubspot().failNext(Integer.MAX_VALUE / 2, 503, r -> r.path().endsWith("/batch/upsert") && random.nextDouble() < faults / 2);
            }
            System.out.println("emulator ready on " + emulator.baseUrl());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetime);
            while (System.nanoTime() < end) {
                System.out.printf("hubspot contacts=%d created=%d requests=%d violations=%d%n", emulator.hubspot().contactCount(),
                        emulator.hubspot().createdTotal(), emulator.hubspot().requestCount(), emulator.hubspot().contractViolations().size());
                Thread.sleep(1_000);
            }
        }
    }
}
