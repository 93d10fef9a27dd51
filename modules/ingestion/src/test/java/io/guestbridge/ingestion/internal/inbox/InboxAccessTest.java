package io.guestbridge.ingestion.internal.inbox;

import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboxAccessTest {

    @Test
    void aUtf8BodyIsShownAsTheTextTheSenderSent() {
        String body = "{\"email\":\"zoë@example.com\",\"connect_time\":\"2025-03-15T14:32:00Z\"}";
        JsonObject event = InboxAccess.payload(Jsonp.JSON.createObjectBuilder(), body.getBytes(StandardCharsets.UTF_8)).build();
        assertEquals(body, event.getString("payload"));
        assertEquals("utf-8", event.getString("payloadEncoding"));
    }

    @Test
    void bytesThatAreNotUtf8GoOutAsBase64NotAsReplacementCharacters() {
        byte[] body = {'{', '"', 'n', '"', ':', '"', (byte) 0xE9, '"', '}'}; // Latin-1 é
        JsonObject event = InboxAccess.payload(Jsonp.JSON.createObjectBuilder(), body).build();
        assertEquals(Base64.getEncoder().encodeToString(body), event.getString("payload"));
        assertEquals("base64", event.getString("payloadEncoding"));
    }

    @Test
    void aDiscardedBodyIsNull() {
        JsonObject event = InboxAccess.payload(Jsonp.JSON.createObjectBuilder(), new byte[0]).build();
        assertTrue(event.isNull("payload"));
        assertTrue(event.isNull("payloadEncoding"));
    }
}
