package io.guestbridge.onboarding.api;

import io.guestbridge.identity.api.GuestId;

import java.time.Instant;
import java.util.List;

/**
 * The guests' WiFi credentials as other modules may see them: never the passphrase, which only the guest (by
 * delivery) and the network (by RADIUS) receive.
 */
public interface WifiAccess {

    /** The guest's credentials, the latest first; empty when the guest has none or was erased. */
    List<Credential> credentials(GuestId guest);

    /**
     * A credential without its secret.
     *
     * @param username the RADIUS user name (for a pre-shared key, the name the controller files it under)
     * @param state    ACTIVE or REVOKED
     * @param revokedReason why it ended (CANCELLED, CHECKED_OUT, NO_STAY, OPERATOR), null while active
     */
    record Credential(String id, String venueId, CredentialKind kind, String username, Instant validFrom, Instant validUntil,
                      String state, String revokedReason, Instant deliveredAt) {
    }
}
