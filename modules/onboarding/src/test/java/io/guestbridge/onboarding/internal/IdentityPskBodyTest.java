package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.onboarding.api.CredentialKind;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdentityPskBodyTest {

    private static final GuestId GUEST = new GuestId(UUID.randomUUID().toString());
    private static final MerakiTarget TARGET = new MerakiTarget("N_24329156", 3, "101", null);

    private static StoredCredential credential(String until) {
        return new StoredCredential(UUID.randomUUID().toString(), GUEST, "venue-1", CredentialKind.PPSK, "wifi-k3m9q2x7pa", new byte[] {1, 2},
                new ValidityWindow(Instant.parse("2027-03-10T00:00:00Z"), Instant.parse(until)), StoredCredential.State.ACTIVE, null, null,
                Instant.parse("2027-03-01T09:00:00Z"), null);
    }

    @Test
    void theIdentityPskIsNamedByTheUserNameAndExpiresWithTheWindow() {
        JsonObject body = IdentityPskBody.of(credential("2027-03-14T12:00:00.123456Z"), "abcdefgh2345mn", TARGET);

        assertEquals(Set.of("name", "passphrase", "groupPolicyId", "expiresAt"), body.keySet(), "nothing of the guest goes out");
        assertEquals("wifi-k3m9q2x7pa", body.getString("name"));
        assertEquals("abcdefgh2345mn", body.getString("passphrase"));
        assertEquals("101", body.getString("groupPolicyId"));
        assertEquals("2027-03-14T12:00:00Z", body.getString("expiresAt"), "the window's end in UTC, to the second");
    }

    @Test
    void anExpiryOnTheFullSecondKeepsItsSeconds() {
        assertEquals("2027-10-31T01:00:00Z", IdentityPskBody.expiresAt(Instant.parse("2027-10-31T01:00:00Z")));
    }

    @Test
    void aTargetNeedsANetworkAnSsidOfZeroToFourteenAndAGroupPolicy() {
        assertEquals("onboarding.meraki.api-key", TARGET.apiKeyProperty());
        assertEquals("onboarding.meraki.api-key.grand-hotel", new MerakiTarget("L_6432", 0, "102", "grand-hotel").apiKeyProperty());
        assertFalse(TARGET.budgetChannel().equals(new MerakiTarget("L_6432", 0, "102", "grand-hotel").budgetChannel()),
                "each key's organisation has a rate of its own");
        assertThrows(IllegalArgumentException.class, () -> new MerakiTarget("N_1", 15, "101", null));
        assertThrows(IllegalArgumentException.class, () -> new MerakiTarget("N_1", -1, "101", null));
        assertThrows(IllegalArgumentException.class, () -> new MerakiTarget("N 1/..", 1, "101", null));
        assertThrows(IllegalArgumentException.class, () -> new MerakiTarget("N_1", 1, null, null));
        assertThrows(IllegalArgumentException.class, () -> new MerakiTarget("N_1", 1, "101", "Key With Spaces"));
    }

    @Test
    void onlyAPpskNetworkIsPushedToMeraki() {
        ValidityPolicy policy = new ValidityPolicy(true, java.time.Duration.ZERO, java.time.Duration.ofHours(1));
        assertThrows(IllegalArgumentException.class, () -> new Network("v", "s", CredentialKind.RADIUS, "Guests", policy, TARGET));
        assertEquals(TARGET, new Network("v", "s", CredentialKind.PPSK, "Guests", policy, TARGET).meraki());
    }

    @Test
    void anErasuresDeletionCoalescesApartAndIsNotTheGuests() {
        String credential = UUID.randomUUID().toString();
        IdentityPskDue follow = new IdentityPskDue(credential, "venue-1", GUEST.value(), null);
        IdentityPskDue erased = IdentityPskDue.deleteAfterErasure(credential, "venue-1", "1284392014820");

        assertEquals(null, erased.guestId(), "the erasure removes the guest's waiting work, not this deletion");
        assertEquals(GUEST.value(), follow.guestId());
        assertFalse(erased.coalesceKey().equals(follow.coalesceKey()), "a waiting push of the guest is not replaced by, nor replaces, the deletion");
        assertThrows(IllegalArgumentException.class, () -> new IdentityPskDue(credential, "venue-1", GUEST.value(), "1284392014820"));
        assertThrows(IllegalArgumentException.class, () -> new IdentityPskDue(credential, "venue-1", null, null));
    }
}
