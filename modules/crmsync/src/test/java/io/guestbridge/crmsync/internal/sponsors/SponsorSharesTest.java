package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which guests a sponsor received, against a real MariaDB: exports start, keep, stop and resume shares. */
class SponsorSharesTest {

    private static final Instant T0 = Instant.parse("2026-12-02T09:00:00Z");

    private final TestDatabase db = TestDatabase.get();
    private final SponsorShares shares = new SponsorShares();

    @Test
    void aGuestLeftOutOfAnExportStopsAndOneIncludedAgainResumes() throws Exception {
        String sponsor = "s" + Long.toHexString(System.nanoTime());
        String ada = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String cy = UUID.randomUUID().toString();
        try (Connection c = db.connect()) {
            SponsorShares.Reconciled first = shares.share(c, sponsor, List.of(ada, bob), T0);
            c.commit();
            assertEquals(Set.of(ada, bob), Set.copyOf(first.started()));
            assertEquals(List.of(), first.stopped());

            SponsorShares.Reconciled second = shares.share(c, sponsor, List.of(ada, cy), T0.plusSeconds(60));
            c.commit();
            assertEquals(List.of(cy), second.started());
            assertEquals(1, second.continued());
            assertEquals(List.of(bob), second.stopped(), "bob's consent is no longer in force: left out and recorded");
            SponsorShares.Share bobs = shares.ofGuest(c, bob).get(0);
            assertEquals(T0.plusSeconds(60), bobs.stoppedAt());
            assertEquals("CONSENT_NOT_IN_FORCE", bobs.stopReason());
            assertEquals(Set.of(ada, cy), shares.current(c, sponsor));

            SponsorShares.Reconciled third = shares.share(c, sponsor, List.of(ada, bob, cy), T0.plusSeconds(120));
            c.commit();
            assertEquals(List.of(bob), third.started(), "a new grant shares the guest again");
            SponsorShares.Share resumed = shares.ofGuest(c, bob).get(0);
            assertNull(resumed.stoppedAt());
            assertEquals(T0, resumed.firstSharedAt());
            assertEquals(T0.plusSeconds(120), resumed.lastSharedAt());
        }
    }

    @Test
    void theAgreementsEndStopsEveryShareAndErasureForgetsTheGuest() throws Exception {
        String sponsor = "s" + Long.toHexString(System.nanoTime());
        String other = sponsor + "-other";
        String ada = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        try (Connection c = db.connect()) {
            shares.share(c, sponsor, List.of(ada, bob), T0);
            shares.share(c, other, List.of(ada), T0);
            c.commit();
            List<String> stopped = shares.stopAll(c, sponsor, SponsorShares.StopReason.AGREEMENT_NOT_IN_FORCE, T0.plusSeconds(5));
            c.commit();
            assertEquals(List.of(ada, bob).stream().sorted().toList(), stopped);
            assertTrue(shares.current(c, sponsor).isEmpty());
            assertEquals(Set.of(ada), shares.current(c, other), "another sponsor's agreement is its own");
            assertEquals(List.of(), shares.stopAll(c, sponsor, SponsorShares.StopReason.AGREEMENT_NOT_IN_FORCE, T0.plusSeconds(6)),
                    "a share stops once");
            assertEquals("AGREEMENT_NOT_IN_FORCE", shares.ofGuest(c, bob).get(0).stopReason());

            assertEquals(2, shares.erase(c, ada));
            c.commit();
            assertEquals(List.of(), shares.ofGuest(c, ada));
            assertEquals(1, shares.ofGuest(c, bob).size());
        }
    }

    @Test
    void anAgreementThatRanOutStopsItsSharesOnceAndARenewedOneKeepsThem() throws Exception {
        String expired = "s" + Long.toHexString(System.nanoTime());
        String renewed = expired + "-renewed";
        String open = expired + "-open";
        String ada = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        try (Connection c = db.connect()) {
            sponsor(c, expired, T0.minusSeconds(86_400), T0.minusSeconds(1));
            sponsor(c, renewed, T0.minusSeconds(86_400), T0.minusSeconds(1));
            sponsor(c, open, T0.minusSeconds(86_400), null);
            shares.share(c, expired, List.of(ada, bob), T0.minusSeconds(3_600));
            shares.share(c, renewed, List.of(ada), T0.minusSeconds(3_600));
            shares.share(c, open, List.of(ada), T0.minusSeconds(3_600));
            c.commit();

            List<String> due = shares.expiredWithShares(c, T0, 1_000);
            assertTrue(due.containsAll(List.of(expired, renewed)), due.toString());
            assertFalse(due.contains(open), "an open-ended agreement never runs out");
            assertEquals(List.of(), shares.expiredWithShares(c, T0.minusSeconds(2), 1_000).stream().filter(s -> s.startsWith(expired)).toList(),
                    "not before its end");

            // the DPO renews one agreement between the round's query and its stop: the renewal wins
            try (PreparedStatement s = c.prepareStatement("UPDATE crm_sponsor SET ends_at = ? WHERE id = ?")) {
                s.setObject(1, LocalDateTime.ofInstant(T0.plusSeconds(86_400), ZoneOffset.UTC));
                s.setString(2, renewed);
                s.executeUpdate();
            }
            c.commit();
            assertEquals(List.of(), shares.stopIfExpired(c, renewed, T0));
            assertEquals(List.of(ada, bob).stream().sorted().toList(), shares.stopIfExpired(c, expired, T0));
            c.commit();
            assertEquals(List.of(), shares.stopIfExpired(c, expired, T0.plusSeconds(1)), "a share stops once: a second instance finds nothing");
            assertEquals("AGREEMENT_NOT_IN_FORCE", shares.ofGuest(c, bob).get(0).stopReason());
            assertEquals(T0, shares.ofGuest(c, bob).get(0).stoppedAt());
            assertEquals(Set.of(ada), shares.current(c, renewed));
            assertEquals(Set.of(ada), shares.current(c, open));
            assertFalse(shares.expiredWithShares(c, T0, 1_000).contains(expired), "nothing left to stop");
            c.commit();
        }
    }

    @Test
    void anOptOutStopsEverySponsorsShareOfTheGuestAtOnce() throws Exception {
        String first = "s" + Long.toHexString(System.nanoTime());
        String second = first + "-b";
        String ada = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        try (Connection c = db.connect()) {
            shares.share(c, first, List.of(ada, bob), T0);
            shares.share(c, second, List.of(ada), T0);
            c.commit();
            assertEquals(List.of(first, second), shares.stopGuest(c, ada, SponsorShares.StopReason.CONSENT_NOT_IN_FORCE, T0.plusSeconds(5)));
            c.commit();
            assertEquals(Set.of(bob), shares.current(c, first), "only the guest who opted out");
            assertTrue(shares.current(c, second).isEmpty());
            assertEquals(List.of(), shares.stopGuest(c, ada, SponsorShares.StopReason.CONSENT_NOT_IN_FORCE, T0.plusSeconds(6)));
            c.commit();
        }
    }

    private static void sponsor(Connection c, String id, Instant start, Instant end) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO crm_sponsor (id, name, agreement_ref, purpose, shared_fields, starts_at, ends_at, "
                + "created_at, updated_at) VALUES (?, ?, ?, 'offers', 'EMAIL', ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, "Sponsor " + id);
            s.setString(3, "DSA-" + id);
            s.setObject(4, LocalDateTime.ofInstant(start, ZoneOffset.UTC));
            s.setObject(5, end == null ? null : LocalDateTime.ofInstant(end, ZoneOffset.UTC));
            s.setObject(6, LocalDateTime.ofInstant(start, ZoneOffset.UTC));
            s.setObject(7, LocalDateTime.ofInstant(start, ZoneOffset.UTC));
            s.executeUpdate();
        }
    }
}
