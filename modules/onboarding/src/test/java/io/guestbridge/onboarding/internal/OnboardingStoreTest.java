package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credential lifecycle's SQL against a real MariaDB, migrated from db/. */
class OnboardingStoreTest {

    private static final Instant NOW = Instant.parse("2026-07-01T08:00:00Z");
    private static final ValidityWindow STAY = new ValidityWindow(Instant.parse("2026-07-09T23:00:00Z"), Instant.parse("2026-07-12T11:00:00Z"));

    private final TestDatabase db = TestDatabase.get();
    private final OnboardingStore store = new OnboardingStore();

    private static StoredCredential credential(GuestId guest, String venue, ValidityWindow window) {
        String id = UUID.randomUUID().toString();
        return new StoredCredential(id, guest, venue, CredentialKind.RADIUS, "wifi-" + id.substring(0, 10), new byte[]{1, 2, 3, 4}, window,
                StoredCredential.State.ACTIVE, null, null, NOW, null);
    }

    private static String venue() {
        return UUID.randomUUID().toString();
    }

    @Test
    void issueMoveRevokeAndIssueAgain() throws Exception {
        GuestId guest = GuestId.random();
        String venue = venue();
        try (Connection c = db.connect()) {
            StoredCredential issued = credential(guest, venue, STAY);
            store.insert(c, issued);
            c.commit();
            StoredCredential active = store.activeForUpdate(c, guest, venue).orElseThrow();
            assertEquals(STAY, active.window());
            assertArrayEquals(new byte[]{1, 2, 3, 4}, active.sealedPassphrase());
            assertEquals(Optional.of(issued.id()), store.byUsername(c, issued.username()).map(StoredCredential::id));

            assertTrue(store.markQueued(c, issued.id(), NOW.plusSeconds(30)));
            assertFalse(store.markQueued(c, issued.id(), NOW.plusSeconds(31)), "queued once");
            assertTrue(store.markDelivered(c, issued.id(), STAY, NOW.plusSeconds(60)));
            ValidityWindow moved = new ValidityWindow(STAY.from().plus(Duration.ofDays(1)), STAY.until().plus(Duration.ofDays(2)));
            assertTrue(store.moveWindow(c, issued.id(), moved, NOW.plusSeconds(120)));
            c.commit();
            StoredCredential afterMove = store.byId(c, issued.id()).orElseThrow();
            assertEquals(moved, afterMove.window());
            assertEquals(null, afterMove.deliveredAt(), "the guest is told the new dates");
            assertTrue(store.markQueued(c, issued.id(), NOW.plusSeconds(130)), "a moved window is queued for delivery again");
            assertFalse(store.markDelivered(c, issued.id(), STAY, NOW.plusSeconds(140)), "a mail with the old dates does not count");
            assertTrue(store.markDelivered(c, issued.id(), moved, NOW.plusSeconds(150)));
            assertFalse(store.texted(c, issued.id()));
            assertFalse(store.markTexted(c, issued.id(), STAY, NOW.plusSeconds(155)), "a text with the old dates does not count");
            assertTrue(store.markTexted(c, issued.id(), moved, NOW.plusSeconds(155)));
            assertTrue(store.texted(c, issued.id()));
            c.commit();
            assertEquals(issued.username(), afterMove.username(), "the same credential");

            assertTrue(store.revoke(c, issued.id(), AccessPlan.CANCELLED, NOW.plusSeconds(180)));
            assertFalse(store.revoke(c, issued.id(), AccessPlan.CANCELLED, NOW.plusSeconds(240)), "revoked once");
            assertFalse(store.moveWindow(c, issued.id(), STAY, NOW.plusSeconds(240)), "a revoked credential does not come back");
            c.commit();
            StoredCredential revoked = store.byId(c, issued.id()).orElseThrow();
            assertEquals(StoredCredential.State.REVOKED, revoked.state());
            assertEquals(AccessPlan.CANCELLED, revoked.revokedReason());
            assertEquals(NOW.plusSeconds(180), revoked.revokedAt());
            assertEquals(Optional.empty(), store.activeForUpdate(c, guest, venue));

            store.insert(c, credential(guest, venue, STAY));
            c.commit();
            assertEquals(2, store.ofGuest(c, guest).size(), "a new booking after a cancellation gets a new credential; the old one is history");
        }
    }

    @Test
    void oneActiveCredentialPerGuestAndVenue() throws Exception {
        GuestId guest = GuestId.random();
        String venue = venue();
        try (Connection c = db.connect()) {
            store.insert(c, credential(guest, venue, STAY));
            c.commit();
            assertThrows(SQLException.class, () -> store.insert(c, credential(guest, venue, STAY)));
            c.rollback();
            store.insert(c, credential(guest, venue(), STAY));
            c.commit();
            assertEquals(2, store.ofGuest(c, guest).size(), "another venue is another credential");
        }
    }

    @Test
    void deliveryTakesWhatStartsWithinTheHorizonEarliestFirstAndSkipsWhatAnotherRunHolds() throws Exception {
        Instant base = Instant.parse("2031-01-01T00:00:00Z"); // clear of the other tests' rows
        GuestId early = GuestId.random();
        GuestId late = GuestId.random();
        GuestId beyond = GuestId.random();
        String venue = venue();
        try (Connection c = db.connect()) {
            StoredCredential lateOne = credential(late, venue, new ValidityWindow(base.plus(Duration.ofHours(20)), base.plus(Duration.ofDays(3))));
            StoredCredential earlyOne = credential(early, venue, new ValidityWindow(base.plus(Duration.ofHours(2)), base.plus(Duration.ofDays(2))));
            store.insert(c, lateOne);
            store.insert(c, earlyOne);
            store.insert(c, credential(beyond, venue, new ValidityWindow(base.plus(Duration.ofHours(30)), base.plus(Duration.ofDays(4)))));
            c.commit();
            List<String> due = store.dueForDelivery(c, base.plus(Duration.ofHours(24)), 500).stream()
                    .filter(cr -> cr.venueId().equals(venue)).map(StoredCredential::id).toList();
            assertEquals(List.of(earlyOne.id(), lateOne.id()), due);
            try (Connection other = db.connect()) {
                assertTrue(store.dueForDelivery(other, base.plus(Duration.ofHours(24)), 500).stream().noneMatch(cr -> cr.venueId().equals(venue)),
                        "rows held by one delivery run are skipped by another");
            }
            assertTrue(store.markDelivered(c, earlyOne.id(), earlyOne.window(), base));
            c.commit();
            assertEquals(List.of(lateOne.id()), store.dueForDelivery(c, base.plus(Duration.ofHours(24)), 500).stream()
                    .filter(cr -> cr.venueId().equals(venue)).map(StoredCredential::id).toList());
            assertTrue(store.markQueued(c, lateOne.id(), base));
            c.commit();
            assertEquals(List.of(), store.dueForDelivery(c, base.plus(Duration.ofHours(24)), 500).stream()
                    .filter(cr -> cr.venueId().equals(venue)).map(StoredCredential::id).toList(), "a queued delivery is not taken twice");
            c.commit();
        }
    }

    @Test
    void erasureDeletesEveryCredentialOfTheGuestOnly() throws Exception {
        GuestId guest = GuestId.random();
        GuestId other = GuestId.random();
        String venue = venue();
        try (Connection c = db.connect()) {
            StoredCredential first = credential(guest, venue, STAY);
            store.insert(c, first);
            store.revoke(c, first.id(), AccessPlan.NO_STAY, NOW);
            store.insert(c, credential(guest, venue, STAY));
            store.insert(c, credential(other, venue, STAY));
            c.commit();
            assertEquals(2, store.eraseGuest(c, guest));
            c.commit();
            assertEquals(List.of(), store.ofGuest(c, guest));
            assertEquals(1, store.ofGuest(c, other).size());
            assertEquals(Optional.empty(), store.byUsername(c, first.username()));
        }
    }

    @Test
    void networksAreFoundByTheirBookingSourceOrByTheGuestsActiveCredentials() throws Exception {
        String venueA = venue();
        String venueB = venue();
        String sourceA = UUID.randomUUID().toString();
        String sourceB = UUID.randomUUID().toString();
        GuestId guest = GuestId.random();
        try (Connection c = db.connect()) {
            store.saveNetwork(c, new Network(venueA, sourceA, CredentialKind.RADIUS, "Hotel A", ValidityPolicy.DEFAULT), NOW);
            store.saveNetwork(c, new Network(venueB, sourceB, CredentialKind.PPSK, "Hotel B",
                    new ValidityPolicy(false, Duration.ofHours(2), Duration.ofMinutes(30))), NOW);
            c.commit();
            assertTrue(store.anyNetwork(c));
            assertEquals(List.of(venueA), store.networksTouching(c, List.of(sourceA), guest).stream().map(Network::venueId).toList());
            assertEquals(List.of(), store.networksTouching(c, List.of(), guest), "no stays, no credentials: nothing to do");
            store.insert(c, credential(guest, venueB, STAY));
            c.commit();
            assertEquals(List.of(venueB), store.networksTouching(c, List.of(), guest).stream().map(Network::venueId).toList(),
                    "a guest whose stays went away still reaches the network of their active credential, to revoke it");
            Network b = store.network(c, venueB).orElseThrow();
            assertEquals(new ValidityPolicy(false, Duration.ofHours(2), Duration.ofMinutes(30)), b.policy());
            assertEquals(CredentialKind.PPSK, b.kind());

            store.saveNetwork(c, new Network(venueB, sourceB, CredentialKind.RADIUS, "Hotel B guests", ValidityPolicy.DEFAULT), NOW);
            c.commit();
            assertEquals(new Network(venueB, sourceB, CredentialKind.RADIUS, "Hotel B guests", ValidityPolicy.DEFAULT), store.network(c, venueB).orElseThrow());
            assertThrows(SQLException.class, () -> store.saveNetwork(c, new Network(venue(), sourceA, CredentialKind.RADIUS, "X", ValidityPolicy.DEFAULT), NOW),
                    "a booking source feeds one venue");
            c.rollback();
        }
    }

    @Test
    void aMerakiNetworkKeepsItsTargetAndACredentialItsIdentityPskUntilRevokedOrErased() throws Exception {
        String venue = venue();
        MerakiTarget target = new MerakiTarget("N_24329156", 3, "101", "grand-hotel");
        GuestId guest = GuestId.random();
        try (Connection c = db.connect()) {
            store.saveNetwork(c, new Network(venue, UUID.randomUUID().toString(), CredentialKind.PPSK, "Hotel M", ValidityPolicy.DEFAULT, target), NOW);
            StoredCredential issued = credential(guest, venue, STAY);
            store.insert(c, issued);
            c.commit();
            assertEquals(target, store.network(c, venue).orElseThrow().meraki());
            assertEquals(java.util.Optional.empty(), store.merakiPskId(c, issued.id()));

            assertTrue(store.recordMerakiPsk(c, issued.id(), "1284392014820", NOW));
            assertFalse(store.recordMerakiPsk(c, issued.id(), "1284392014821", NOW), "one identity PSK per credential");
            assertEquals(java.util.Optional.of("1284392014820"), store.merakiPskId(c, issued.id()));
            assertEquals(1, store.merakiPsksOfGuest(c, guest).size());
            assertEquals(List.of(issued.id(), venue, "1284392014820"), List.of(store.merakiPsksOfGuest(c, guest).get(0)));
            assertFalse(store.forgetMerakiPsk(c, issued.id(), "1284392014821", NOW), "only the one it names");
            assertTrue(store.forgetMerakiPsk(c, issued.id(), "1284392014820", NOW));
            assertTrue(store.revoke(c, issued.id(), "CANCELLED", NOW));
            assertFalse(store.recordMerakiPsk(c, issued.id(), "1284392014822", NOW), "a create answered after the revocation is not kept");

            store.saveNetwork(c, new Network(venue, store.network(c, venue).orElseThrow().bookingSourceId(), CredentialKind.PPSK, "Hotel M",
                    ValidityPolicy.DEFAULT), NOW);
            assertEquals(null, store.network(c, venue).orElseThrow().meraki(), "the dashboard can be taken away again");
            c.rollback();
        }
    }

    @Test
    void aDeviceFindsItsActivePpskCredentialWithTheNetworksVendorUntilRevokedOrErased() throws Exception {
        String venue = venue();
        String other = venue();
        GuestId guest = GuestId.random();
        String device = "a".repeat(64);
        try (Connection c = db.connect()) {
            store.saveNetwork(c, new Network(venue, UUID.randomUUID().toString(), CredentialKind.PPSK, "Hotel P", ValidityPolicy.DEFAULT, null,
                    RadiusVendor.ARUBA), NOW);
            store.saveNetwork(c, new Network(other, UUID.randomUUID().toString(), CredentialKind.PPSK, "Hotel Q", ValidityPolicy.DEFAULT), NOW);
            String id = UUID.randomUUID().toString();
            StoredCredential issued = new StoredCredential(id, guest, venue, CredentialKind.PPSK, "wifi-" + id.substring(0, 10), new byte[]{9, 8},
                    STAY, StoredCredential.State.ACTIVE, null, null, NOW, null);
            store.insert(c, issued);
            c.commit();
            assertEquals(RadiusVendor.ARUBA, store.network(c, venue).orElseThrow().radiusVendor());
            assertEquals(null, store.network(c, other).orElseThrow().radiusVendor());
            assertEquals(List.of(), store.activeForDevice(c, device), "not bound yet");

            assertTrue(store.bindDevice(c, id, device, NOW));
            assertFalse(store.bindDevice(c, id, device, NOW), "bound once");
            assertEquals(1, store.devicesOf(c, id));
            assertEquals(Optional.of(id), store.activeHolderAtVenue(c, venue, device, UUID.randomUUID().toString()));
            assertEquals(Optional.empty(), store.activeHolderAtVenue(c, venue, device, id), "itself is no other holder");
            List<OnboardingStore.DeviceCredential> found = store.activeForDevice(c, device);
            assertEquals(1, found.size());
            assertEquals(id, found.get(0).credential().id());
            assertEquals(STAY, found.get(0).credential().window());
            assertArrayEquals(new byte[]{9, 8}, found.get(0).credential().sealedPassphrase());
            assertEquals("Hotel P", found.get(0).ssid());
            assertEquals(RadiusVendor.ARUBA, found.get(0).radiusVendor());
            assertEquals(List.of(), store.activeForDevice(c, "b".repeat(64)), "another device");
            assertFalse(store.unbindDevice(c, id, "b".repeat(64)), "a device never bound is not unbound");
            assertTrue(store.unbindDevice(c, id, device));
            assertEquals(List.of(), store.activeForDevice(c, device), "an unbound device is answered by no credential");
            assertFalse(store.unbindDevice(c, id, device), "unbound once");
            assertTrue(store.bindDevice(c, id, device, NOW), "and may be bound again");

            assertTrue(store.revoke(c, id, "CANCELLED", NOW));
            assertEquals(List.of(), store.activeForDevice(c, device), "a revoked credential answers no device");
            assertEquals(Optional.empty(), store.activeHolderAtVenue(c, venue, device, UUID.randomUUID().toString()));
            store.eraseGuest(c, guest);
            assertEquals(0, store.devicesOf(c, id), "the bindings go with the credential");
            c.rollback();
        }
    }

    @Test
    void dpskCandidatesAreTheRuckusNetworksActivePpskCredentialsInsideTheirWindowNewestFirst() throws Exception {
        String ruckus = venue();
        String aruba = venue();
        String ssid = "Hotel R " + UUID.randomUUID().toString().substring(0, 8);
        Instant inside = STAY.from().plusSeconds(3600);
        try (Connection c = db.connect()) {
            store.saveNetwork(c, new Network(ruckus, UUID.randomUUID().toString(), CredentialKind.PPSK, ssid, ValidityPolicy.DEFAULT, null,
                    RadiusVendor.RUCKUS), NOW);
            store.saveNetwork(c, new Network(aruba, UUID.randomUUID().toString(), CredentialKind.PPSK, ssid, ValidityPolicy.DEFAULT, null,
                    RadiusVendor.ARUBA), NOW);
            StoredCredential older = ppsk(ruckus, STAY);
            StoredCredential newer = ppsk(ruckus, new ValidityWindow(STAY.from().plusSeconds(60), STAY.until()));
            StoredCredential later = ppsk(ruckus, new ValidityWindow(inside.plusSeconds(60), STAY.until()));
            StoredCredential revoked = ppsk(ruckus, STAY);
            StoredCredential elsewhere = ppsk(aruba, STAY);
            for (StoredCredential credential : List.of(older, newer, later, revoked, elsewhere)) {
                store.insert(c, credential);
            }
            assertTrue(store.revoke(c, revoked.id(), "CANCELLED", NOW));
            c.commit();
            assertEquals(List.of(newer.id(), older.id()), store.dpskCandidates(c, ssid, inside, 10).stream().map(StoredCredential::id).toList(),
                    "active, inside the window, on the Ruckus network of that SSID, the newest window first");
            assertEquals(List.of(newer.id()), store.dpskCandidates(c, ssid, inside, 1).stream().map(StoredCredential::id).toList(), "bounded");
            assertEquals(List.of(), store.dpskCandidates(c, ssid, STAY.until(), 10), "the window's end is outside it");
            assertEquals(List.of(), store.dpskCandidates(c, "Another SSID", inside, 10));
            c.rollback();
        }
    }

    private static StoredCredential ppsk(String venue, ValidityWindow window) {
        String id = UUID.randomUUID().toString();
        return new StoredCredential(id, GuestId.random(), venue, CredentialKind.PPSK, "wifi-" + id.substring(0, 10), new byte[]{7}, window,
                StoredCredential.State.ACTIVE, null, null, NOW, null);
    }
}
