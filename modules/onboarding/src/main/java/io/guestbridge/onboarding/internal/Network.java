package io.guestbridge.onboarding.internal;

import io.guestbridge.onboarding.api.CredentialKind;

import java.util.Objects;

/**
 * A venue's guest network that gives booked guests a credential each.
 *
 * @param bookingSourceId the booking source (a PMS registered in ingestion) that takes the venue's reservations
 * @param ssid            the network name guests join, shown in the mail
 * @param meraki          the Meraki dashboard SSID its PPSKs are pushed to, or {@code null}
 * @param radiusVendor    whose access points ask for its PPSKs over RADIUS, or {@code null} when none does
 */
record Network(String venueId, String bookingSourceId, CredentialKind kind, String ssid, ValidityPolicy policy, MerakiTarget meraki,
               RadiusVendor radiusVendor) {

    Network(String venueId, String bookingSourceId, CredentialKind kind, String ssid, ValidityPolicy policy, MerakiTarget meraki) {
        this(venueId, bookingSourceId, kind, ssid, policy, meraki, null);
    }

    Network(String venueId, String bookingSourceId, CredentialKind kind, String ssid, ValidityPolicy policy) {
        this(venueId, bookingSourceId, kind, ssid, policy, null);
    }

    Network {
        Objects.requireNonNull(venueId, "venueId");
        Objects.requireNonNull(bookingSourceId, "bookingSourceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(policy, "policy");
        if (ssid == null || ssid.isBlank() || ssid.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 32) {
            throw new IllegalArgumentException("an SSID is 1 to 32 bytes");
        }
        if (meraki != null && kind != CredentialKind.PPSK) {
            throw new IllegalArgumentException("a Meraki dashboard takes identity PSKs: only a PPSK network is pushed to one");
        }
        if (radiusVendor != null && kind != CredentialKind.PPSK) {
            throw new IllegalArgumentException("radiusVendor says how a PPSK is answered over RADIUS: it applies to a PPSK network only");
        }
    }
}
