package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.platform.api.MessageCodec;
import io.guestbridge.platform.api.WorkItem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContactsDueTest {

    private static final String GUEST = "0b6c3c0e-8f3a-4d7e-9c1a-2f4b5d6e7f80";

    @Test
    void readsWhatTheCodecWritesAsTheCodecReadsIt() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            List<ContactDue> contacts = new ArrayList<>();
            for (int n = 1 + random.nextInt(i % 10 == 0 ? 200 : 3); n > 0; n--) {
                Instant at = random.nextInt(8) == 0 ? null : Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L), random.nextInt(1_000_000_000));
                contacts.add(new ContactDue(UUID.randomUUID().toString(), at));
            }
            ContactsDue sent = new ContactsDue(contacts);
            String payload = MessageCodec.encode(sent);
            assertEquals(MessageCodec.decode(payload, ContactsDue.class), ContactsDue.read(payload), payload);
            assertEquals(sent, ContactsDue.read(payload), payload);
        }
    }

    @Test
    void anItemQueuedAsOneContactIsReadAsAListOfOne() {
        Instant at = Instant.parse("2026-11-24T10:00:00.123Z");
        assertEquals(ContactsDue.of(new ContactDue(GUEST, at)),
                ContactsDue.read("{\"changedAt\":\"2026-11-24T10:00:00.123Z\",\"guest\":\"" + GUEST + "\"}"));
        assertEquals(ContactsDue.of(new ContactDue(GUEST, at)),
                ContactsDue.read("{ \"guest\" : \"" + GUEST + "\", \"changedAt\" : \"2026-11-24T10:00:00.123Z\" }"));
        assertEquals(ContactsDue.of(new ContactDue(GUEST, null)), ContactsDue.read("{\"guest\":\"" + GUEST + "\"}"));
    }

    @Test
    void otherFormsOfTheListAreReadByTheCodec() {
        String other = "{ \"contacts\" : [ {\"guest\":\"" + GUEST + "\"}, {\"changedAt\":\"2026-11-24T10:00:00Z\",\"guest\":\"" + GUEST.replace('0', '1') + "\"} ] }";
        assertEquals(new ContactsDue(List.of(new ContactDue(GUEST, null), new ContactDue(GUEST.replace('0', '1'), Instant.parse("2026-11-24T10:00:00Z")))),
                ContactsDue.read(other));
        // a member the message does not have, inside a contact: the fast form steps aside
        String extra = "{\"contacts\":[{\"changedAt\":\"2026-11-24T10:00:00Z\",\"guest\":\"" + GUEST + "\",\"x\":{\"y\":1}}]}";
        assertEquals(MessageCodec.decode(extra, ContactsDue.class), ContactsDue.read(extra));
    }

    @Test
    void whatIsNoListOfContactsIsRefused() {
        for (String payload : List.of("{\"contacts\":[]}", "{\"contacts\":[{\"guest\":\"not-a-guest\"}]}", "{\"contacts\":null}",
                "{\"contacts\":[{\"guest\":\"" + GUEST + "\"},{\"guest\":\"\"}]}", "{\"guest\":\"not-a-guest\"}", "not json", "", "{}")) {
            assertThrows(MessageCodec.MalformedMessageException.class, () -> MessageCodec.decode(
                    new WorkItem(1, "crm:test", null, payload, 0, 0, null, Instant.now(), null), ContactsDue.class, ContactsDue::read), payload);
        }
    }

    @Test
    void oneContactCoalescesPerGuestAndIsFoundByErasure_severalDoNot() {
        ContactsDue one = ContactsDue.of(new ContactDue(GUEST, null));
        assertEquals("guest:" + GUEST, one.coalesceKey());
        assertEquals(GUEST, one.guestId());
        ContactsDue two = new ContactsDue(List.of(new ContactDue(GUEST, null), new ContactDue(GUEST.replace('0', '1'), null)));
        assertNull(two.coalesceKey());
        assertNull(two.guestId());
    }
}
