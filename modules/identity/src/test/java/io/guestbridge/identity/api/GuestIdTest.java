package io.guestbridge.identity.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GuestIdTest {

    @Test
    void equalWhenTheIdsAre() {
        String id = "3f1c2a9e-5b7d-4e21-9c0a-7d6e5f4a3b21";
        GuestId a = new GuestId(id);
        GuestId b = new GuestId(new String(id));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("found", Map.of(a, "found").get(b));
        assertNotEquals(a, GuestId.random());
        assertNotEquals(a, id);
        assertEquals("guest:" + id, a.subjectRef());
    }

    @Test
    void anythingButAnIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GuestId("alice@example.com"));
    }
}
