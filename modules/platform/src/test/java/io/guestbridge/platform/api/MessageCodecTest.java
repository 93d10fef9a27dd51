package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest {

    /** A message of the shapes the modules use: a checked id, a list, a time, an enum, an optional member. */
    public record Sample(String subject, List<Long> rows, Instant at, Kind kind, String note) implements Message {

        public enum Kind { FIRST, SECOND }

        public Sample {
            UUID.fromString(subject);
            rows = List.copyOf(rows);
        }

        @Override
        public String coalesceKey() {
            return "sample:" + subject;
        }

        @Override
        public String guestId() {
            return subject;
        }
    }

    private static final String ID = "0b6c3c0e-8f3a-4d7e-9c1a-2f4b5d6e7f80";

    @Test
    void aMessageComesBackAsItWasSent() {
        Sample sent = new Sample(ID, List.of(1L, 2L, 9_000_000_000L), Instant.parse("2026-11-24T10:00:00.123456Z"), Sample.Kind.SECOND, "n");
        assertEquals(sent, MessageCodec.decode(MessageCodec.encode(sent), Sample.class));
    }

    @Test
    void theStoredFormIsTheRecordsComponentsAndNothingElse() {
        String json = MessageCodec.encode(new Sample(ID, List.of(7L), Instant.parse("2026-11-24T10:00:00Z"), Sample.Kind.FIRST, null));
        assertEquals("{\"at\":\"2026-11-24T10:00:00Z\",\"kind\":\"FIRST\",\"rows\":[7],\"subject\":\"" + ID + "\"}", json,
                "members named as the components, an absent value left out, the queue's routing (key, guest) not serialised");
        assertFalse(json.contains("coalesceKey") || json.contains("guestId"));
    }

    @Test
    void aPayloadWrittenByHandDecodesInAnyOrderAndSpacing() {
        Sample read = MessageCodec.decode("{ \"rows\": [1, 2, 3], \"subject\" : \"" + ID + "\", \"unknown\": true }", Sample.class);
        assertEquals(List.of(1L, 2L, 3L), read.rows());
        assertEquals(ID, read.subject());
        assertEquals(null, read.at());
    }

    @Test
    void aMalformedPayloadIsAClearErrorNamingTheType() {
        for (String payload : List.of("not json", "{\"subject\":\"" + ID + "\",\"rows\":\"seven\"}",
                "{\"subject\":\"not-an-id\",\"rows\":[]}", "{\"subject\":\"" + ID + "\",\"rows\":[1],\"kind\":\"THIRD\"}", "null", "")) {
            MessageCodec.MalformedMessageException e = assertThrows(MessageCodec.MalformedMessageException.class,
                    () -> MessageCodec.decode(payload, Sample.class), payload);
            assertTrue(e.getMessage().startsWith("not a Sample message: "), e.getMessage());
        }
    }

    @Test
    void aTypesOwnReaderIsUsedAndWhatItRefusesIsMalformedToo() {
        Sample fast = new Sample(ID, List.of(), null, null, "read by hand");
        assertEquals(fast, MessageCodec.decode(item("{\"subject\":\"" + ID + "\"}"), Sample.class, payload -> fast));
        for (java.util.function.Function<String, Sample> refusing : List.<java.util.function.Function<String, Sample>>of(
                payload -> { throw new IllegalArgumentException("no subject"); }, payload -> null)) {
            MessageCodec.MalformedMessageException e = assertThrows(MessageCodec.MalformedMessageException.class,
                    () -> MessageCodec.decode(item("{}"), Sample.class, refusing));
            assertTrue(e.getMessage().startsWith("not a Sample message: "), e.getMessage());
        }
    }

    private static WorkItem item(String payload) {
        return new WorkItem(1, "test", null, payload, 1, 0, "test", Instant.now(), null);
    }

    @Test
    void nothingToEncodeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(null));
    }
}
