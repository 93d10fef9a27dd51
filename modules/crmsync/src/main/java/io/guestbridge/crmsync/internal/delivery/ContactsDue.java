package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.MessageCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Guests to send to one connector's CRM, at most a request's worth: {@link CrmFanOut} publishes one for each batch of
 * changes it takes, and each connector's queue receives its own copy, so connectors progress independently. One item
 * carries a request's worth of contacts rather than one contact each: the queue's bookkeeping (an item claimed, then
 * deleted, with its index entries) is then paid per request, where per contact it was the largest part of the
 * database's work in a drain. A single contact (a change on its own, or what a request left to retry) coalesces per
 * guest, as a guest's CRM work did before; several contacts do not coalesce.
 *
 * @param contacts the guests, each with the moment its change was published, in the order they changed; never empty
 */
public record ContactsDue(List<ContactDue> contacts) implements Message {

    private static final String LIST = "{\"contacts\":[";
    private static final String LIST_END = "]}";
    private static final String BETWEEN = "},{";

    public ContactsDue {
        if (contacts == null || contacts.isEmpty()) {
            throw new IllegalArgumentException("no contacts");
        }
        contacts = List.copyOf(contacts);
    }

    public static ContactsDue of(ContactDue contact) {
        return new ContactsDue(List.of(contact));
    }

    /** Coalesced per guest when it carries one contact, so that a guest waits in one item however often they change. */
    @Override
    public String coalesceKey() {
        return contacts.size() == 1 ? contacts.get(0).coalesceKey() : null;
    }

    /** The guest, when the item is one guest's: erasure then finds it by the guest. */
    @Override
    public String guestId() {
        return contacts.size() == 1 ? contacts.get(0).guestId() : null;
    }

    /**
     * The message a stored payload holds, as {@link MessageCodec#decode} reads it. The form {@link MessageCodec} writes
     * ({@code {"contacts":[<contact>,…]}}, each contact as {@link ContactDue#read} reads it) is read directly: JSON-B
     * took longer over a list of a hundred contacts than over the rest of the request's bookkeeping. Any other form goes
     * to {@link MessageCodec}; a payload of one contact alone ({@link ContactDue}'s form, as items were queued before
     * contacts were queued in batches) is read as a list of one.
     */
    public static ContactsDue read(String payload) {
        if (payload.startsWith(LIST) && payload.endsWith(LIST_END) && payload.length() > LIST.length() + LIST_END.length()) {
            List<ContactDue> contacts = new ArrayList<>();
            int from = LIST.length();
            int end = payload.length() - LIST_END.length();
            boolean plain = true;
            while (plain) {
                int next = payload.indexOf(BETWEEN, from);
                int to = next < 0 || next > end ? end : next + 1;
                String contact = payload.substring(from, to);
                // one contact's form, with nothing inside that could hold the separator
                plain = contact.startsWith("{") && contact.endsWith("}") && contact.indexOf('{', 1) < 0 && contact.indexOf('[') < 0;
                if (plain) {
                    contacts.add(ContactDue.read(contact));
                }
                if (to == end) {
                    break;
                }
                from = to + 1;
            }
            if (plain) {
                return new ContactsDue(contacts);
            }
        }
        try {
            return MessageCodec.decode(payload, ContactsDue.class);
        } catch (MessageCodec.MalformedMessageException notAList) {
            if (payload.contains("\"contacts\"")) {
                throw notAList;
            }
            return of(ContactDue.read(payload));
        }
    }
}
