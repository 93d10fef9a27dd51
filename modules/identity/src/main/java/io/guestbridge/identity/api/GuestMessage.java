package io.guestbridge.identity.api;

import io.guestbridge.platform.api.Message;

/**
 * A message about one guest: the waiting messages of one guest coalesce (a burst of changes is one message),
 * and erasing the guest removes those still waiting. A record implementing it has a {@code guest} component,
 * the guest's id, which its canonical constructor checks with {@code new GuestId(guest)}.
 */
public interface GuestMessage extends Message {

    /** The guest's id, as the payload carries it. */
    String guest();

    default GuestId guestRef() {
        return new GuestId(guest());
    }

    @Override
    default String coalesceKey() {
        return guestRef().subjectRef();
    }

    @Override
    default String guestId() {
        return guest();
    }
}
