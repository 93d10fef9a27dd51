package io.guestbridge.identity.api;

/**
 * Something another system holds about the guest may be out of date: their profile changed, or something
 * read along with it (their consent). Published in the transaction of the change; the changes of one guest
 * coalesce while they wait, so a burst of changes is one message.
 *
 * @param guest the guest's id
 */
public record GuestChanged(String guest) implements GuestMessage {

    public GuestChanged {
        new GuestId(guest); // refuses anything that is not a guest id
    }

    public static GuestChanged of(GuestId guest) {
        return new GuestChanged(guest.value());
    }
}
