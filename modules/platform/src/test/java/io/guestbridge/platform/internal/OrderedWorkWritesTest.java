package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.WorkItem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared order of a transaction's coalesced writes, and what it keeps until the transaction ends. */
class OrderedWorkWritesTest {

    @Test
    void keysAreOrderedByCodePointAsTheBinaryCollationOrdersThem() {
        // UTF-16 puts a supplementary character (a surrogate pair, 0xD83D…) before U+FF21; its code point comes after
        List<String> keys = new ArrayList<>(List.of("guest:\uFF21", "guest:\uD83D\uDE00", "guest:b", "guest:B", "guest:a", "guest-a", "guest:"));
        keys.sort(OrderedWorkWrites.KEY_ORDER);
        assertEquals(List.of("guest-a", "guest:", "guest:B", "guest:a", "guest:b", "guest:\uFF21", "guest:\uD83D\uDE00"), keys);
    }

    @Test
    void forgettingAGuestDropsOnlyTheirPublications() {
        OrderedWorkWrites writes = new OrderedWorkWrites();
        assertTrue(writes.isEmpty());
        writes.publish("crm-sync", "guest:1", "{}", "1");
        writes.publish("wifi-onboarding", "guest:1", "{}", "1");
        writes.publish("crm-sync", "guest:2", "{}", "2");
        writes.publish("crm-sync", "sweep", "{}", null);
        assertEquals(2, writes.forgetGuest("1"), "the guest's item on each queue");
        assertEquals(0, writes.forgetGuest("1"));
        assertFalse(writes.isEmpty());
        assertEquals(1, writes.forgetGuest("2"));
        assertFalse(writes.isEmpty(), "the item about nobody stays");
    }

    @Test
    void aCompletionAloneIsSomethingToWrite() {
        OrderedWorkWrites writes = new OrderedWorkWrites();
        writes.complete(new WorkItem(7, "crm-sync", "guest:1", "{}", 1, 0, "lease", Instant.EPOCH, null));
        assertFalse(writes.isEmpty());
    }
}
