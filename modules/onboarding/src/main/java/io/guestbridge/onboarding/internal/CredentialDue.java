package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Message;

import java.util.UUID;

/**
 * A credential whose delivery to the guest is due; {@link CredentialMailing} mails it. Coalesced per credential, and
 * removed with the guest's waiting work when the guest is erased.
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

    @Override
    public String guestId() {
        return guest;
    }
}
