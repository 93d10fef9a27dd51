package io.guestbridge.ingestion.internal.quarantine;

import io.guestbridge.ingestion.internal.processing.EventReader;
import io.guestbridge.ingestion.internal.processing.GuestEvent;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuarantineResourceTest {

    private static JsonObject json(String text) throws GuestEvent.Unusable {
        return EventReader.parseObject(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void masksPersonalValuesForInspection() throws IOException, GuestEvent.Unusable {
        String masked = QuarantineResource.mask(json("{\"user\":{\"email\":\"jane@example.com\",\"firstName\":\"Jane\"},"
                + "\"session\":{\"authenticationTime\":\"2026-11-20T10:00:00Z\"},\"note\":\"call +44 7700 900123\"}")).toString();
        assertFalse(masked.contains("jane@example.com") || masked.contains("Jane") || masked.contains("900123"), masked);
        assertTrue(masked.contains("2026-11-20T10:00:00Z"), masked);
    }
}
