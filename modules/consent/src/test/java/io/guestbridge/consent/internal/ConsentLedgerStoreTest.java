package io.guestbridge.consent.internal;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consent ledger against a real MariaDB. */
class ConsentLedgerStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private final TestDatabase db = TestDatabase.get();
    private final ConsentLedgerStore store = new ConsentLedgerStore();

    private static ConsentRecord decision(GuestId guest, String purpose, ConsentDecision decision, long hours) {
        return new ConsentRecord(guest, purpose, decision, "portal-marketing", "4", T0.plusSeconds(3600 * hours),
                "captive-portal:venue-888/lobby", Map.of("checkbox", "shown-unticked"), false, false);
    }

    @Test
    void aChunkAppendedSetWiseChainsEachGuestAsAppendingOneByOneWould() throws Exception {
        GuestId first = GuestId.random();
        GuestId second = GuestId.random();
        List<ConsentRecord> chunk = List.of(decision(first, "marketing_email", ConsentDecision.GRANTED, 0),
                decision(second, "terms", ConsentDecision.GRANTED, 0), decision(first, "marketing_email", ConsentDecision.WITHDRAWN, 2),
                decision(second, "marketing_email", ConsentDecision.DENIED, 1), decision(first, "analytics", ConsentDecision.GRANTED, 3));
        try (Connection c = db.connect()) {
            store.append(c, decision(second, "analytics", ConsentDecision.DENIED, 0), Instant.now()); // a chain that already has a head
            List<Long> seqs = store.appendAll(c, chunk, Instant.now());
            c.commit();
            assertEquals(chunk.size(), seqs.size());
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i) > seqs.get(i - 1), "numbered in the chunk's order");
            }
            assertEquals(Optional.empty(), store.firstBrokenLink(c, first));
            assertEquals(Optional.empty(), store.firstBrokenLink(c, second));
            assertEquals(3, store.history(c, first).size());
            assertEquals(3, store.history(c, second).size());
            assertEquals(Optional.of(ConsentDecision.WITHDRAWN), store.current(c, first, "marketing_email"));
            assertEquals(seqs.get(2), store.history(c, first).stream().filter(e -> e.decision() == ConsentDecision.WITHDRAWN)
                    .findFirst().orElseThrow().sequence(), "each record gets its own row's number");
            store.append(c, decision(first, "analytics", ConsentDecision.WITHDRAWN, 4), Instant.now());
            c.commit();
            assertEquals(Optional.empty(), store.firstBrokenLink(c, first), "a later single append continues the chain from the chunk's head");
        }
    }

    @Test
    void anyArrivalOrderGivesTheSameCurrentState() throws Exception {
        List<ConsentRecord> template = new ArrayList<>();
        GuestId prototype = GuestId.random();
        template.add(decision(prototype, "marketing_email", ConsentDecision.GRANTED, 0));
        template.add(decision(prototype, "marketing_email", ConsentDecision.WITHDRAWN, 5));
        template.add(decision(prototype, "marketing_email", ConsentDecision.GRANTED, 5)); // same instant: the protective one wins
        template.add(decision(prototype, "marketing_email", ConsentDecision.GRANTED, 2));
        template.add(decision(prototype, "analytics", ConsentDecision.DENIED, 1));
        template.add(decision(prototype, "analytics", ConsentDecision.GRANTED, 3));
        template.add(decision(prototype, "sponsor:acme", ConsentDecision.GRANTED, 1));
        Random random = new Random(42);
        for (int run = 0; run < 12; run++) {
            GuestId guest = GuestId.random();
            List<ConsentRecord> shuffled = new ArrayList<>();
            for (ConsentRecord r : template) {
                shuffled.add(new ConsentRecord(guest, r.purpose(), r.decision(), r.wordingId(), r.wordingVersion(), r.capturedAt(),
                        r.channel(), r.evidence(), r.preTicked(), r.bundled()));
            }
            Collections.shuffle(shuffled, random);
            try (Connection c = db.connect()) {
                for (ConsentRecord r : shuffled) {
                    store.append(c, r, Instant.now());
                }
                c.commit();
                assertEquals(Optional.of(ConsentDecision.WITHDRAWN), store.current(c, guest, "marketing_email"), "run " + run);
                assertEquals(Optional.of(ConsentDecision.GRANTED), store.current(c, guest, "analytics"), "run " + run);
                assertEquals(Optional.of(ConsentDecision.GRANTED), store.current(c, guest, "sponsor:acme"));
                assertEquals(Optional.empty(), store.current(c, guest, "sponsor:other"), "each sponsor needs its own decision");
                assertTrue(store.permits(c, guest, "marketing_email", T0.plusSeconds(3600 * 3)), "granted at that time");
                assertFalse(store.permits(c, guest, "marketing_email", T0.plusSeconds(3600 * 6)));
                assertFalse(store.permits(c, guest, "marketing_email", T0.minusSeconds(1)), "nothing before the first decision");
                assertEquals(Optional.empty(), store.firstBrokenLink(c, guest));
            }
        }
    }

    @Test
    void manyGuestsReadInOneQueryGetTheSameRowsInForceAsOneByOne() throws Exception {
        List<GuestId> guests = new ArrayList<>();
        try (Connection c = db.connect()) {
            for (int i = 0; i < 6; i++) {
                GuestId guest = GuestId.random();
                guests.add(guest);
                store.append(c, decision(guest, "marketing_email", ConsentDecision.GRANTED, 0), Instant.now());
                if (i % 2 == 1) {
                    store.append(c, decision(guest, "marketing_email", ConsentDecision.WITHDRAWN, i), Instant.now());
                }
                if (i % 3 == 2) {
                    // captured at the same instant as a grant: the protective one is in force
                    store.append(c, decision(guest, "marketing_email", ConsentDecision.DENIED, 0), Instant.now());
                }
                store.append(c, decision(guest, "analytics", ConsentDecision.GRANTED, 9), Instant.now());
            }
            GuestId none = GuestId.random();
            guests.add(none);
            c.commit();
            List<GuestId> asked = new ArrayList<>(guests);
            asked.add(guests.get(0)); // a guest twice in the list is one guest
            Map<GuestId, ConsentLedger.Entry> all = store.inForceAll(c, asked, "marketing_email");
            assertEquals(6, all.size(), "the guest without a decision is absent");
            for (GuestId guest : guests) {
                assertEquals(store.inForce(c, guest, "marketing_email"), Optional.ofNullable(all.get(guest)));
            }
            assertEquals(ConsentDecision.DENIED, all.get(guests.get(2)).decision());
            assertEquals(ConsentDecision.WITHDRAWN, all.get(guests.get(3)).decision());
            assertEquals(Map.of(), store.inForceAll(c, List.of(), "marketing_email"));
        }
    }

    /**
     * Statistics that say one guest holds every ledger row (as sampling can say of a table that grows fast) would make
     * MariaDB read the whole ledger, or all of a purpose's rows, for a batch: the batch names the guest index, and reads
     * its own guests' rows, a sixth of the ledger here.
     */
    @Test
    void manyGuestsAreReadByTheGuestIndexWhateverTheStatisticsSay() throws Exception {
        List<GuestId> batch = new ArrayList<>();
        try (Connection c = db.connect()) {
            for (int i = 0; i < 600; i++) {
                GuestId guest = GuestId.random();
                if (i < 100) {
                    batch.add(guest);
                }
                store.append(c, decision(guest, "marketing_email", ConsentDecision.GRANTED, 0), Instant.now());
                store.append(c, decision(guest, "analytics", ConsentDecision.DENIED, 0), Instant.now());
            }
            c.commit();
        }
        long rows = db.rowCount("cns_ledger");
        long read = db.rowsReadUnderWorstStatistics("cns_ledger", () -> {
            try (Connection c = db.connect()) {
                assertEquals(100, store.inForceAll(c, batch, "marketing_email").size());
            }
        });
        assertTrue(read < rows / 2, "ledger rows read for a sixth of its guests: " + read + " of " + rows);
    }

    @Test
    void permittedFindsTheGuestsWhoseSponsorGrantIsInForceAndPagesThroughThemAll() throws Exception {
        String purpose = "sponsor:p" + Long.toHexString(System.nanoTime());
        List<GuestId> granted = new ArrayList<>();
        GuestId withdrew = GuestId.random();
        GuestId otherSponsor = GuestId.random();
        GuestId invalid = GuestId.random();
        try (Connection c = db.connect()) {
            for (int i = 0; i < 5; i++) {
                GuestId guest = GuestId.random();
                granted.add(guest);
                store.append(c, decision(guest, purpose, ConsentDecision.GRANTED, 0), Instant.now());
            }
            store.append(c, decision(withdrew, purpose, ConsentDecision.GRANTED, 0), Instant.now());
            store.append(c, decision(withdrew, purpose, ConsentDecision.WITHDRAWN, 1), Instant.now());
            store.append(c, decision(otherSponsor, purpose + "x", ConsentDecision.GRANTED, 0), Instant.now());
            store.append(c, new ConsentRecord(invalid, purpose, ConsentDecision.GRANTED, "portal", "1", T0, "captive-portal:venue-1",
                    Map.of(), true, false), Instant.now());
            c.commit();
            List<String> found = new ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                ConsentLedger.Permitted page = store.permitted(c, purpose, after, 2);
                page.guests().forEach(g -> found.add(g.value()));
                after = page.next();
                pages++;
            } while (after != null && pages < 10);
            assertEquals(granted.stream().map(GuestId::value).sorted().toList(), found,
                    "every guest whose grant is in force, in id order; not the one who withdrew, the pre-ticked one or another sponsor's");
            assertTrue(pages >= 3, "a page holds at most the limit's candidates");
        }
    }

    @Test
    void aPreTickedOrBundledGrantIsRecordedAsInvalidAndNeverPermits() throws Exception {
        GuestId guest = GuestId.random();
        try (Connection c = db.connect()) {
            store.append(c, new ConsentRecord(guest, "marketing_email", ConsentDecision.GRANTED, "portal", "1", T0, "captive-portal:venue-1",
                    Map.of("checkbox", "shown-ticked"), true, false), Instant.now());
            store.append(c, new ConsentRecord(guest, "marketing_sms", ConsentDecision.GRANTED, "terms", "1", T0, "captive-portal:venue-1",
                    Map.of(), false, true), Instant.now());
            c.commit();
            assertEquals(Optional.of(ConsentDecision.INVALID), store.current(c, guest, "marketing_email"));
            assertFalse(store.permits(c, guest, "marketing_email", T0.plusSeconds(60)));
            assertFalse(store.permits(c, guest, "marketing_sms", T0.plusSeconds(60)));
            assertEquals(2, store.history(c, guest).size(), "kept as evidence of what was collected");
        }
    }

    @Test
    void theLedgerIsAppendOnlyExceptForAnErasure() throws Exception {
        GuestId guest = GuestId.random();
        try (Connection c = db.connect()) {
            store.append(c, decision(guest, "analytics", ConsentDecision.GRANTED, 0), Instant.now());
            c.commit();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE cns_ledger SET decision = 'DENIED' WHERE guest_id = '" + guest.value() + "'"));
            assertTrue(update.getMessage().contains("append-only"));
            SQLException delete = assertThrows(SQLException.class,
                    () -> s.executeUpdate("DELETE FROM cns_ledger WHERE guest_id = '" + guest.value() + "'"));
            assertTrue(delete.getMessage().contains("erasure"));
            c.rollback();
            s.execute("SET @guestbridge_erasure = 1");
            assertEquals(1, s.executeUpdate("DELETE FROM cns_ledger WHERE guest_id = '" + guest.value() + "'"));
            s.execute("SET @guestbridge_erasure = NULL");
            c.commit();
        }
    }

    @Test
    void theChainNamesAnEditedRow() throws Exception {
        GuestId guest = GuestId.random();
        try (Connection c = db.connect()) {
            for (int i = 0; i < 4; i++) {
                store.append(c, decision(guest, "analytics", i % 2 == 0 ? ConsentDecision.GRANTED : ConsentDecision.WITHDRAWN, i), Instant.now());
            }
            c.commit();
            long target = store.history(c, guest).get(2).sequence();
            try (Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER cns_ledger_no_update");
                assertEquals(1, s.executeUpdate("UPDATE cns_ledger SET decision = 'DENIED' WHERE seq = " + target));
                s.execute("CREATE TRIGGER cns_ledger_no_update BEFORE UPDATE ON cns_ledger FOR EACH ROW "
                        + "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'cns_ledger is append-only: record a new decision instead'");
            }
            c.commit();
            assertEquals(Optional.of(target), store.firstBrokenLink(c, guest));
        }
    }

    @Test
    void theRowInForceCarriesTheProofOfTheDecisionThatCounts() throws Exception {
        GuestId guest = GuestId.random();
        try (Connection c = db.connect()) {
            store.append(c, decision(guest, "marketing_email", ConsentDecision.GRANTED, 0), Instant.now());
            store.append(c, new ConsentRecord(guest, "marketing_email", ConsentDecision.WITHDRAWN, null, null, T0.plusSeconds(7200),
                    "crm:mailchimp-main/unsubscribe", Map.of("reason", "manual"), false, false), Instant.now());
            store.append(c, decision(guest, "marketing_email", ConsentDecision.GRANTED, 1), Instant.now()); // arrives late, older

            ConsentLedger.Entry inForce = store.inForce(c, guest, "marketing_email").orElseThrow();
            assertEquals(ConsentDecision.WITHDRAWN, inForce.decision());
            assertEquals(T0.plusSeconds(7200), inForce.capturedAt());
            assertEquals("crm:mailchimp-main/unsubscribe", inForce.channel());
            assertEquals(Map.of("reason", "manual"), inForce.evidence());
            assertEquals(Optional.empty(), store.inForce(c, guest, "analytics"));

            GuestId granted = GuestId.random();
            store.append(c, decision(granted, "marketing_email", ConsentDecision.GRANTED, 3), Instant.now());
            ConsentLedger.Entry grant = store.inForce(c, granted, "marketing_email").orElseThrow();
            assertEquals("portal-marketing", grant.wordingId());
            assertEquals("4", grant.wordingVersion());
            assertEquals("captive-portal:venue-888/lobby", grant.channel());
        }
    }
}
