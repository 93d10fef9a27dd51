package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
