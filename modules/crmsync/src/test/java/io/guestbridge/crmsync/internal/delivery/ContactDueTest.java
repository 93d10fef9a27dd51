package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.platform.api.MessageCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContactDueTest {

    private static final String GUEST = "0b6c3c0e-8f3a-4d7e-9c1a-2f4b5d6e7f80";

    @Test
    void readsWhatTheCodecWritesAsTheCodecReadsIt() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            // every precision ISO_INSTANT writes (seconds, millis, micros, nanos) across years 0000 to 9999, leap days included
            long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(), Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            ContactDue sent = new ContactDue(UUID.randomUUID().toString(), Instant.ofEpochSecond(seconds, nanos));
            String payload = MessageCodec.encode(sent);
            assertEquals(MessageCodec.decode(payload, ContactDue.class), ContactDue.read(payload), payload);
            assertEquals(sent, ContactDue.read(payload), payload);
        }
        ContactDue withoutTime = new ContactDue(GUEST, null);
        assertEquals(withoutTime, ContactDue.read(MessageCodec.encode(withoutTime)));
    }

    @Test
    void otherFormsOfTheSameMessageAreReadByTheCodec() {
        Instant at = Instant.parse("2026-11-24T10:00:00.123Z");
        for (String payload : List.of(
                "{\"guest\":\"" + GUEST + "\",\"changedAt\":\"2026-11-24T10:00:00.123Z\"}",
                "{ \"changedAt\" : \"2026-11-24T10:00:00.123Z\", \"guest\" : \"" + GUEST + "\" }",
                "{\"changedAt\":\"2026-11-24T10:00:00.123Z\",\"guest\":\"" + GUEST + "\",\"extra\":1}",
                "{\"changedAt\":\"2026-11-24T10:00:00.123\\u005a\",\"guest\":\"" + GUEST + "\"}")) {
            assertEquals(new ContactDue(GUEST, at), ContactDue.read(payload), payload);
        }
        assertNull(ContactDue.read("{\"guest\":\"" + GUEST + "\"}").changedAt());
        // the end of a day as ISO writes it: whatever the codec makes of it, so does the message
        String endOfDay = "{\"changedAt\":\"2026-11-24T24:00:00Z\",\"guest\":\"" + GUEST + "\"}";
        assertEquals(MessageCodec.decode(endOfDay, ContactDue.class), ContactDue.read(endOfDay));
    }

    @Test
    void whatIsNoMessageIsRefusedAsTheCodecRefusesIt() {
        for (String payload : List.of("{\"changedAt\":\"2026-11-24T10:00:00Z\",\"guest\":\"not-a-guest\"}",
                "{\"changedAt\":\"2026-02-30T10:00:00Z\",\"guest\":\"" + GUEST + "\"}",
                "{\"guest\":\"\"}", "{\"guest\":\"" + GUEST + "\\\"\"}", "not json", "")) {
            assertThrows(MessageCodec.MalformedMessageException.class, () -> ContactDue.read(payload), payload);
        }
    }

    @Test
    void theInstantReaderTakesOnlyTheFormItKnows() {
        assertEquals(Instant.parse("2024-02-29T23:59:59.000000001Z"), ContactDue.instant("2024-02-29T23:59:59.000000001Z", 0, 30));
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), ContactDue.instant("1970-01-01T00:00:00Z", 0, 20));
        for (String other : List.of("2026-11-24T10:00:00+01:00", "2026-11-24T10:00:60Z", "2026-11-24T10:00:00.Z", "2026-11-24 10:00:00Z",
                "2026-11-24T10:00:00.1234567890Z", "+12026-11-24T10:00:00Z")) {
            assertNull(ContactDue.instant(other, 0, other.length()), other);
        }
    }
}
