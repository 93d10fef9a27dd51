package io.guestbridge.onboarding.api;

/** What a venue's guest network asks of a guest's device. */
public enum CredentialKind {
    /**
     * A personal pre-shared key on a shared SSID (Meraki identity PSK, Aruba MPSK, Ruckus DPSK): the guest types only
     * the passphrase.
     */
    PPSK,
    /** A username and password checked by RADIUS (WPA2/3-Enterprise with PAP inside TTLS, or a captive portal). */
    RADIUS
}
