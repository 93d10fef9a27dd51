package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonObjectBuilder;

import java.util.Locale;
import java.util.Optional;

/**
 * Whose access points ask about a PPSK device over RADIUS, and so what the Access-Accept carries: Cisco/Meraki and
 * Aruba ask by the device's MAC (MAC authentication) and get the passphrase back in their attributes, then check the
 * device's handshake themselves; Ruckus (external DPSK) sends the device's handshake and gets the pairwise master key of
 * the passphrase that made it. The attributes are FreeRADIUS's own vendor dictionaries' names (dictionary.cisco,
 * dictionary.aruba, dictionary.ruckus); rlm_rest turns the JSON members into them.
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
    },

    /**
     * Ruckus (SmartZone / Unleashed) external DPSK: the access point forwards the handshake (Ruckus-DPSK-Params), and an
     * accept carries the pairwise master key in Ruckus-Dpsk; a passphrase is never sent to it.
     */
    RUCKUS {
        @Override
        boolean answersWithPassphrase() {
            return false;
        }

        @Override
        void addPassphrase(JsonObjectBuilder reply, String passphrase) {
            throw new UnsupportedOperationException("a Ruckus access point gets the pairwise master key, never the passphrase");
        }
    };

    abstract void addPassphrase(JsonObjectBuilder reply, String passphrase);

    /** Whether the vendor's access points ask by MAC and take the passphrase back (all but Ruckus's DPSK). */
    boolean answersWithPassphrase() {
        return true;
    }

    /** Ruckus-Dpsk: the pairwise master key as octets, written as rlm_rest parses octets ("0x" and hex digits). */
    static void addRuckusPairwiseMasterKey(JsonObjectBuilder reply, byte[] pmk) {
        reply.add("reply:Ruckus-Dpsk", Jsonp.JSON.createObjectBuilder().add("do_xlat", false)
                .add("value", Jsonp.JSON.createArrayBuilder().add("0x" + java.util.HexFormat.of().formatHex(pmk))));
    }

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
