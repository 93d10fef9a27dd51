package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.onboarding.api.CredentialKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairwiseMasterKeysTest {

    private static StoredCredential credential(String id, byte[] sealed) {
        Instant now = Instant.now();
        return new StoredCredential(id, new GuestId(UUID.randomUUID().toString()), UUID.randomUUID().toString(), CredentialKind.PPSK,
                "wifi-abc", sealed, new ValidityWindow(now, now.plusSeconds(3600)), StoredCredential.State.ACTIVE, null, null, now, null);
    }

    @Test
    void aKeyIsFoundPerCredentialAndSsidUntilForgottenOrThePassphraseChanges() {
        PairwiseMasterKeys keys = new PairwiseMasterKeys();
        StoredCredential first = credential("c1", new byte[] {1, 2, 3});
        byte[] pmk = new byte[32];
        pmk[0] = 7;
        keys.keep(first, "Guests", pmk);
        pmk[0] = 9;
        assertEquals(7, keys.find(first, "Guests").orElseThrow()[0], "a copy is kept");
        keys.find(first, "Guests").orElseThrow()[0] = 9;
        assertEquals(7, keys.find(first, "Guests").orElseThrow()[0], "a copy is handed out");
        assertFalse(keys.find(first, "Staff").isPresent(), "the SSID salts the key");
        assertFalse(keys.find(credential("c1", new byte[] {1, 2, 4}), "Guests").isPresent(), "a reissued passphrase is another key");
        keys.keep(credential("c2", new byte[] {5}), "Guests", new byte[32]);
        keys.forget("c1");
        assertFalse(keys.find(first, "Guests").isPresent());
        assertTrue(keys.find(credential("c2", new byte[] {5}), "Guests").isPresent(), "only the credential's keys go");
        assertFalse(keys.toString().contains("7"), keys.toString());
    }

    @Test
    void theLeastRecentlyUsedGoPastTheCapacity() {
        PairwiseMasterKeys keys = new PairwiseMasterKeys();
        StoredCredential kept = credential("kept", new byte[] {1});
        keys.keep(kept, "Guests", new byte[32]);
        for (int i = 0; i < PairwiseMasterKeys.CAPACITY; i++) {
            if (i % 1000 == 0) {
                assertTrue(keys.find(kept, "Guests").isPresent()); // used: stays
            }
            keys.keep(credential("c" + i, new byte[] {2}), "Guests", new byte[32]);
        }
        assertEquals(PairwiseMasterKeys.CAPACITY, keys.size());
        assertTrue(keys.find(kept, "Guests").isPresent());
        assertFalse(keys.find(credential("c0", new byte[] {2}), "Guests").isPresent(), "the oldest unused went");
        assertArrayEquals(new byte[32], keys.find(kept, "Guests").orElseThrow());
    }
}
