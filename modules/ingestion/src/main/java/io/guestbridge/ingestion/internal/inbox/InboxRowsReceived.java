package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.platform.api.Message;

import java.util.List;

/**
 * Inbox rows waiting in state RECEIVED for {@code processing.InboxProcessor}: those one group commit or one import chunk
 * stored, a quarantined row sent back, or rows a sweep found forgotten.
 *
 * @param inbox the rows' ids
 */
public record InboxRowsReceived(List<Long> inbox) implements Message {

    public InboxRowsReceived {
        inbox = List.copyOf(inbox); // refuses a missing list or a missing id
    }
}
