package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Message;

import java.util.UUID;

/**
 * A credential whose delivery to the guest is due; {@link CredentialMailing} mails it and {@link CredentialTexting}
 * texts it. Coalesced per credential and window start ({@link #keyInArrivalOrder}), and removed with the guest's waiting
 * work when the guest is erased.
 *
 * @param credential the credential's id
 * @param guest      its guest's id
 */
public record CredentialDue(String credential, String guest) implements Message {

    public CredentialDue {
        UUID.fromString(credential); // refuses anything that is not a credential's id
        new GuestId(guest);
    }

    @Override
    public String coalesceKey() {
        return "wifi-credential:" + credential;
    }

    /**
     * The key a delivery run queues a credential under. A transaction writes its queued items in the order of their
     * keys, so the key leads with the window's start (fixed width): the items of one run, and with them the texts of
     * the rate-limited SMS queue, go out in arrival order.
     */
    static String keyInArrivalOrder(String credential, java.time.Instant windowStart) {
        return String.format(java.util.Locale.ROOT, "wifi-credential:%015d:%s", Math.max(0, windowStart.toEpochMilli()), credential);
    }

    @Override
    public String guestId() {
        return guest;
    }
}
