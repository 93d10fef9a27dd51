package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonObjectBuilder;

import java.util.Locale;
import java.util.Optional;

/**
 * Whose access points ask for a PPSK device's passphrase over RADIUS (MAC authentication), and so which vendor
 * attributes carry the passphrase in the Access-Accept. The attributes are FreeRADIUS's own vendor dictionaries' names
 * (dictionary.cisco, dictionary.aruba); rlm_rest turns the JSON members into them.
 */
enum RadiusVendor {

    /** Meraki MR and Cisco WLCs: two Cisco-AVPair values, the passphrase as typed (ascii) rather than a hex PMK. */
    CISCO_MERAKI {
        @Override
        void addPassphrase(JsonObjectBuilder reply, String passphrase) {
            reply.add("reply:Cisco-AVPair", Jsonp.JSON.createObjectBuilder().add("op", "+=").add("do_xlat", false)
                    .add("value", Jsonp.JSON.createArrayBuilder().add("psk-mode=ascii").add("psk=" + passphrase)));
        }
    },

    /** Aruba (ArubaOS / Instant) MPSK: the passphrase in Aruba-MPSK-Passphrase, which FreeRADIUS encrypts with the shared secret. */
    ARUBA {
        @Override
        void addPassphrase(JsonObjectBuilder reply, String passphrase) {
            reply.add("reply:Aruba-MPSK-Passphrase", Jsonp.JSON.createObjectBuilder().add("do_xlat", false)
                    .add("value", Jsonp.JSON.createArrayBuilder().add(passphrase)));
        }
    };

    abstract void addPassphrase(JsonObjectBuilder reply, String passphrase);

    static Optional<RadiusVendor> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
