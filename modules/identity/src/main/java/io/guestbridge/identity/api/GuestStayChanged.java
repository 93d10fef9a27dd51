package io.guestbridge.identity.api;

/**
 * The guest's stays changed: a booking event recorded a new stay, or moved or cancelled one. Published in the
 * transaction of the change, for the readers that act on stays alone (WiFi credentials follow them); a guest's
 * waiting messages coalesce. Most changes to a guest are logins and profile fields that touch no stay: those readers
 * are not woken for them. It carries what {@link GuestChanged} carries (the guest's id), so an item queued as one
 * reads as the other.
 *
 * @param guest the guest's id
 */
public record GuestStayChanged(String guest) implements GuestMessage {

    public GuestStayChanged {
        new GuestId(guest); // refuses anything that is not a guest id
    }

    public static GuestStayChanged of(GuestId guest) {
        return new GuestStayChanged(guest.value());
    }
}
