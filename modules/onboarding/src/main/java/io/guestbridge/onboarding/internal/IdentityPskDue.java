package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Message;

import java.util.UUID;

/**
 * A credential whose identity PSK on the venue's Meraki dashboard is to be brought in line with it: created, updated
 * or deleted, as the credential is when {@link IdentityPskPush} takes the item. Coalesced per credential, so the
 * dashboard is told the latest state once.
 *
 * @param credential the credential's id
 * @param venue      its venue, whose network names the dashboard
 * @param guest      its guest's id; {@code null} for a deletion queued by the guest's erasure, which the erasure must
 *                   not remove with the guest's waiting work
 * @param pskId      the identity PSK to delete once the credential's row is gone (erasure); {@code null} otherwise
 */
public record IdentityPskDue(String credential, String venue, String guest, String pskId) implements Message {

    public IdentityPskDue {
        UUID.fromString(credential); // refuses anything that is not a credential's id
        if (venue == null || venue.isBlank()) {
            throw new IllegalArgumentException("venue is required");
        }
        if (guest != null) {
            new GuestId(guest);
        }
        if ((guest == null) == (pskId == null)) {
            throw new IllegalArgumentException("either a guest's credential to follow or, after erasure, an identity PSK to delete");
        }
    }

    static IdentityPskDue follow(StoredCredential credential) {
        return new IdentityPskDue(credential.id(), credential.venueId(), credential.guest().value(), null);
    }

    static IdentityPskDue deleteAfterErasure(String credential, String venue, String pskId) {
        return new IdentityPskDue(credential, venue, null, pskId);
    }

    @Override
    public String coalesceKey() {
        // an erasure's deletion coalesces apart: the guest's waiting work is removed by the erasure, this must stay
        return (guest == null ? "meraki-psk-erased:" : "meraki-psk:") + credential;
    }

    @Override
    public String guestId() {
        return guest;
    }
}
