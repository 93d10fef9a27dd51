package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Envelope;
import io.guestbridge.platform.api.Message;
import io.guestbridge.platform.api.WorkHandler;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What became of each contact of one request's items, and so of each item: an item whose contacts were all stored (or
 * needed no sending) is done; one of which some contacts were stored or refused for good is completed, leaving the others
 * as a new, smaller item and each refused one as a dead letter (so what the CRM stored is not sent again, and what it
 * refused waits for an operator on its own); one whose contacts all failed for now takes their outcome as a whole (a
 * request held back or cut short fails for all its contacts alike). A guest in two items of the request is sent once,
 * and its outcome is theirs.
 */
final class ContactLedger {

    enum Kind { STORED, SKIPPED, RETRY, RETRY_AFTER, DEAD, LEFT }

    private record Result(Kind kind, Duration delay, String reason) {
        boolean done() {
            return kind == Kind.STORED || kind == Kind.SKIPPED;
        }
    }

    private final List<Envelope<ContactsDue>> items;
    private final Map<GuestId, Instant> changedAt = new LinkedHashMap<>();
    private final Map<GuestId, Result> results = new HashMap<>();

    ContactLedger(List<Envelope<ContactsDue>> items) {
        this.items = items;
        for (Envelope<ContactsDue> due : items) {
            for (ContactDue contact : due.message().contacts()) {
                Instant at = contact.changedAt() == null ? due.item().createdAt() : contact.changedAt();
                changedAt.merge(contact.guestRef(), at, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
    }

    /** The request's guests, each once, in the order of the items. */
    List<GuestId> guests() {
        return List.copyOf(changedAt.keySet());
    }

    /** When the guest's oldest change waiting here was published. */
    Instant changedAt(GuestId guest) {
        return changedAt.get(guest);
    }

    void stored(GuestId guest) {
        results.put(guest, new Result(Kind.STORED, Duration.ZERO, null));
    }

    /** Nothing to send: no trigger of the connector fired, the guest was erased, or may not be sent without consent. */
    void skipped(GuestId guest) {
        results.put(guest, new Result(Kind.SKIPPED, Duration.ZERO, null));
    }

    void retry(GuestId guest, String reason) {
        results.put(guest, new Result(Kind.RETRY, Duration.ZERO, reason));
    }

    void retryAfter(GuestId guest, Duration delay, String reason) {
        results.put(guest, new Result(Kind.RETRY_AFTER, delay, reason));
    }

    void dead(GuestId guest, String reason) {
        results.put(guest, new Result(Kind.DEAD, Duration.ZERO, reason));
    }

    /** Not sent in this request, which was full: for the next one. */
    void left(GuestId guest) {
        results.put(guest, new Result(Kind.LEFT, Duration.ZERO, "left for the connector's next request"));
    }

    /** The items every contact of which was stored or needed no sending. */
    List<WorkItem> completed() {
        List<WorkItem> completed = new ArrayList<>();
        for (Envelope<ContactsDue> due : items) {
            if (due.message().contacts().stream().allMatch(c -> result(c).done())) {
                completed.add(due.item());
            }
        }
        return completed;
    }

    /**
     * The items of several contacts of which some were stored or refused for good and others not: what remains of each.
     * The contacts still to send wait as one smaller item, in their order; each refused one becomes a dead letter of its
     * own with the CRM's reason, as every refused contact was when items held one contact each (an operator fixes and
     * replays one guest's record, not a request's).
     */
    Map<WorkItem, WorkQueue.Remainder> remainders() {
        Map<WorkItem, WorkQueue.Remainder> remainders = new LinkedHashMap<>();
        for (Envelope<ContactsDue> due : items) {
            List<ContactDue> contacts = due.message().contacts();
            if (contacts.size() < 2 || contacts.stream().allMatch(c -> result(c).done())
                    || contacts.stream().noneMatch(c -> result(c).kind() == Kind.STORED || result(c).kind() == Kind.DEAD)) {
                continue;
            }
            List<ContactDue> pending = contacts.stream().filter(c -> !result(c).done() && result(c).kind() != Kind.DEAD).toList();
            Map<Message, String> dead = new LinkedHashMap<>();
            contacts.stream().filter(c -> result(c).kind() == Kind.DEAD).forEach(c -> dead.put(ContactsDue.of(c), result(c).reason()));
            remainders.put(due.item(), new WorkQueue.Remainder(pending.isEmpty() ? null : new ContactsDue(pending), dead));
        }
        return remainders;
    }

    /**
     * Reports each item's outcome: done for the completed ones and for those that left a remainder (both settled in the
     * request's transaction, or to be completed by the queue); for the others the outcome of their contacts that were not
     * done: dead when every one was refused for good (an item of one contact), else a retry (an attempt) if one failed,
     * else a wait as long as the longest asked for.
     */
    void settle(WorkHandler.Outcomes outcomes) {
        Set<WorkItem> done = new LinkedHashSet<>(completed());
        done.addAll(remainders().keySet());
        for (Envelope<ContactsDue> due : items) {
            WorkItem item = due.item();
            if (done.contains(item)) {
                outcomes.done(item);
                continue;
            }
            List<Result> failed = due.message().contacts().stream().map(this::result).filter(r -> !r.done()).toList();
            if (failed.stream().allMatch(r -> r.kind() == Kind.DEAD)) {
                outcomes.dead(item, failed.stream().map(Result::reason).distinct().collect(java.util.stream.Collectors.joining("; ")));
            } else if (failed.stream().anyMatch(r -> r.kind() == Kind.RETRY)) {
                outcomes.retry(item, failed.stream().filter(r -> r.kind() == Kind.RETRY).findFirst().orElseThrow().reason());
            } else {
                Duration delay = failed.stream().map(Result::delay).max(Duration::compareTo).orElse(Duration.ZERO);
                String reason = failed.stream().filter(r -> r.kind() == Kind.RETRY_AFTER).map(Result::reason).findFirst().orElse(failed.get(0).reason());
                outcomes.retryAfter(item, delay, reason);
            }
        }
    }

    /** The contact's outcome; one nobody reported failed for now, as a silent outcome does in the queue. */
    private Result result(ContactDue contact) {
        Result r = results.get(contact.guestRef());
        return r != null ? r : new Result(Kind.RETRY, Duration.ZERO, "the connector reported no outcome for this contact");
    }
}
