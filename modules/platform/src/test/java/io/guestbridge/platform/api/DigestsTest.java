package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DigestsTest {

    @Test
    void sha256IsTheStandardOneInLowerCaseHex() {
        // FIPS 180-2's test vectors: stored hashes (wordings, chains, keys) must stay what they were
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digests.sha256Hex("abc"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digests.sha256Hex(new byte[0]));
        assertEquals(Digests.sha256Hex("é".getBytes(StandardCharsets.UTF_8)), Digests.sha256Hex("é"), "text is hashed as UTF-8");
    }

    @Test
    void databaseTimesAreUtcWhateverTheZoneOfTheJvm() {
        assertEquals(LocalDateTime.of(2026, 12, 1, 9, 30), Jdbc.utc(Instant.parse("2026-12-01T09:30:00Z")));
    }
}
