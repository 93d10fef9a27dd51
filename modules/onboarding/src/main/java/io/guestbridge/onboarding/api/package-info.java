/**
 * The onboarding module's front door: the only package other modules may use.
 * <p>Guest WiFi access driven by bookings: each booked guest of a venue whose network is configured gets one
 * credential (a personal pre-shared key or a RADIUS account), valid for the stay in the venue's time zone, moved
 * when the stay moves, revoked at cancellation, early check-out or erasure. Front door: WifiAccess.
 */
package io.guestbridge.onboarding.api;
