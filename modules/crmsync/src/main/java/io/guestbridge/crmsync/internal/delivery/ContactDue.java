package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestMessage;

import java.time.Instant;

/**
 * A guest to send to one connector's CRM: {@link CrmFanOut} publishes one for every {@code GuestChanged},
 * and each connector's queue receives its own copy, coalesced per guest, so connectors progress independently.
 *
 * @param guest     the guest's id
 * @param changedAt when the change was published: the start of the "change to CRM acknowledgement" latency
 *                  (absent in items queued by versions that did not carry it)
 */
public record ContactDue(String guest, Instant changedAt) implements GuestMessage {

    public ContactDue {
        new GuestId(guest); // refuses anything that is not a guest id
    }
}
