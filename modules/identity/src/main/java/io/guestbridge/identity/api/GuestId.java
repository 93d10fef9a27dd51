package io.guestbridge.identity.api;

import java.util.UUID;

/** A guest's pseudonymous id: what the audit trail and other modules refer to, never the email. */
public record GuestId(String value) {

    public GuestId {
        UUID.fromString(value); // refuses anything that is not an id
    }

    public static GuestId random() {
        return new GuestId(UUID.randomUUID().toString());
    }

    /** The reference the audit trail uses. */
    public String subjectRef() {
        return "guest:" + value;
    }
}
