package io.guestbridge.onboarding.internal;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What Meraki is told about a credential: the identity PSK's {@code name} is the credential's user name (it says
 * nothing of the guest), with its passphrase, the network's group policy and {@code expiresAt} = the end of the
 * credential's window. The same body creates and updates it, so a moved window or a new passphrase is one update.
 */
final class IdentityPskBody {

    private IdentityPskBody() {
    }

    static JsonObject of(StoredCredential credential, String passphrase, MerakiTarget target) {
        return Json.createObjectBuilder()
                .add("name", credential.username())
                .add("passphrase", passphrase)
                .add("groupPolicyId", target.groupPolicyId())
                .add("expiresAt", expiresAt(credential.window().until()))
                .build();
    }

    /** RFC 3339 in UTC to the second, as Meraki's {@code date-time} fields are written. */
    static String expiresAt(Instant until) {
        return until.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
