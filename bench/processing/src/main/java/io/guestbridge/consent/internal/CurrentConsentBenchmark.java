package io.guestbridge.consent.internal;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.testing.TestDatabase;

import java.sql.Connection;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Current-consent query latency for a guest with 10,000 ledger rows (decisions arriving in random
 * capture order across five purposes), against a guest with 10 rows as the baseline, on the embedded
 * MariaDB. Prints one line per guest: rows, queries, p50, p99, max in microseconds.
 */
public final class CurrentConsentBenchmark {

    private static final String[] PURPOSES = {"marketing_email", "marketing_sms", "analytics", "profiling", "terms"};

    public static void main(String[] args) throws Exception {
        int heavyRows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        TestDatabase db = TestDatabase.get();
        ConsentLedgerStore store = new ConsentLedgerStore();
        GuestId heavy = GuestId.random();
        GuestId light = GuestId.random();
        Random random = new Random(7);
        try (Connection c = db.connect()) {
            fill(c, store, heavy, heavyRows, random);
            fill(c, store, light, 10, random);
        }
        report("baseline", 10, measure(db, store, light, queries));
        report("heavy", heavyRows, measure(db, store, heavy, queries));
        System.exit(0);
    }

    private static void fill(Connection c, ConsentLedgerStore store, GuestId guest, int rows, Random random) throws Exception {
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        ConsentDecision[] decisions = {ConsentDecision.GRANTED, ConsentDecision.WITHDRAWN, ConsentDecision.DENIED};
        for (int i = 0; i < rows; i++) {
            ConsentDecision decision = decisions[random.nextInt(decisions.length)];
            store.append(c, new ConsentRecord(guest, PURPOSES[random.nextInt(PURPOSES.length)], decision, "bench-wording", "1",
                    base.plusSeconds(random.nextInt(300 * 86_400)), "captive-portal:bench", Map.of("checkbox", "shown-unticked"),
                    false, false), Instant.now());
            if (i % 1_000 == 999) {
                c.commit();
            }
        }
        c.commit();
    }

    private static long[] measure(TestDatabase db, ConsentLedgerStore store, GuestId guest, int queries) throws Exception {
        try (Connection c = db.connect()) {
            for (int i = 0; i < 500; i++) { // warm-up: JIT, statement caches, buffer pool
                store.current(c, guest, PURPOSES[i % PURPOSES.length]);
            }
            long[] micros = new long[queries];
            for (int i = 0; i < queries; i++) {
                long start = System.nanoTime();
                store.current(c, guest, PURPOSES[i % PURPOSES.length]);
                micros[i] = (System.nanoTime() - start) / 1_000;
            }
            c.commit();
            Arrays.sort(micros);
            return micros;
        }
    }

    private static void report(String label, int rows, long[] sorted) {
        System.out.printf("consent %-8s rows=%d queries=%d p50_us=%d p99_us=%d max_us=%d%n", label, rows, sorted.length,
                sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)], sorted[sorted.length - 1]);
    }
}
