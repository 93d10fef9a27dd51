package io.guestbridge.crmemulator;

import java.util.concurrent.TimeUnit;

/**
 * The emulator as a process, for the erasure benchmark (bench/privacy): HubSpot, Salesforce, Mailchimp and
 * Purple on one loopback port, without rate limits, with the Mailchimp audience {@value #LIST} and the Purple
 * company {@value #COMPANY}, and Purple visitors {@code privacy-bench-<i>@example.com} for i in [0, subjects)
 * plus {@code privacy-floor-<j>@example.com} for j in [0, floor) (the benchmark's direct-call baseline). The
 * CRMs get their contacts from guestbridge's sync (or, for the floor subjects, from the benchmark's own calls).
 *
 * <p>Sets {@code sun.net.httpserver.nodelay}, so that kept-alive connections are not slowed by delayed ACKs.
 *
 * <p>Prints once a second how many benchmark subjects each system still holds, counted in the stored text of
 * each store ({@code privacy-bench hubspot=… salesforce=… mailchimp=… purple=… requests=… violations=…}), and
 * stops by itself after the given lifetime, so a benchmark can never leave it running.
 *
 * <pre>java … PrivacyBenchmarkMain &lt;port&gt; &lt;subjects&gt; &lt;floor subjects&gt; &lt;lifetime s&gt;</pre>
 */
public final class PrivacyBenchmarkMain {

    static final String COMPANY = "bench-company";
    static final String LIST = "guests";
    static final String SUBJECT_PREFIX = "privacy-bench-";

    private PrivacyBenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        // TCP_NODELAY on accepted connections, read once when the JDK's HttpServer loads: without it a response
        // with a body (Purple's lookup and delete, Salesforce's query and delete) waits for the client's delayed
        // ACK on a kept-alive connection, some 40 ms per call, which is the emulator's cost and not the product's
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        int subjects = Integer.parseInt(args[1]);
        int floor = Integer.parseInt(args[2]);
        long lifetime = Long.parseLong(args[3]);
        try (CrmEmulator emulator = CrmEmulator.start(port)) {
            for (ServiceEmulator service : new ServiceEmulator[] {emulator.hubspot(), emulator.salesforce(), emulator.mailchimp(),
                    emulator.purple()}) {
                service.requestLogCapacity(1_000);
            }
            emulator.mailchimp().list(LIST);
            emulator.purple().company(COMPANY);
            for (int i = 0; i < subjects; i++) {
                emulator.purple().addVisitor(COMPANY, SUBJECT_PREFIX + i + "@example.com", "Jane", "Smith", null, mac(i));
            }
            for (int j = 0; j < floor; j++) {
                emulator.purple().addVisitor(COMPANY, "privacy-floor-" + j + "@example.com", "Jane", "Smith", null, mac(1_000_000 + j));
            }
            System.out.println("emulator ready on " + emulator.baseUrl() + " with " + subjects + " + " + floor + " Purple visitors");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetime);
            while (System.nanoTime() < end) {
                System.out.printf("privacy-bench hubspot=%d salesforce=%d mailchimp=%d purple=%d requests=%d violations=%d%n",
                        holding(emulator.hubspot().storedText()), holding(emulator.salesforce().storedText()),
                        holding(emulator.mailchimp().storedText()), holding(emulator.purple().storedText()),
                        emulator.hubspot().requestCount() + emulator.salesforce().requestCount() + emulator.mailchimp().requestCount()
                                + emulator.purple().requestCount(),
                        emulator.hubspot().contractViolations().size());
                Thread.sleep(1_000);
            }
        }
    }

    /** Stored records that hold a benchmark subject's email: every store writes one record a line. */
    private static long holding(String storedText) {
        return storedText.lines().filter(line -> line.contains(SUBJECT_PREFIX)).count();
    }

    private static String mac(int i) {
        return String.format("02:00:%02x:%02x:%02x:%02x", (i >>> 24) & 0xff, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff);
    }
}
