package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.onboarding.api.CredentialKind;

import java.time.Instant;

/** A credential row: the passphrase sealed under the guest's data key, never in the clear here. */
record StoredCredential(String id, GuestId guest, String venueId, CredentialKind kind, String username, byte[] sealedPassphrase,
                        ValidityWindow window, State state, Instant revokedAt, String revokedReason, Instant createdAt,
                        Instant deliveredAt) {

    enum State { ACTIVE, REVOKED }

    /** The label the passphrase is sealed under: bound to this credential, so a sealed value cannot be moved to another. */
    static String sealLabel(String credentialId) {
        return "onboarding:credential:" + credentialId;
    }

    @Override
    public String toString() {
        return "StoredCredential[" + id + " " + kind + " " + state + " " + window + ", passphrase sealed]";
    }
}
