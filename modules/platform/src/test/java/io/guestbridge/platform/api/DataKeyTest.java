package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Data keys share one cipher per thread: nothing may carry over from one value, key or failure to the next. */
class DataKeyTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void valuesOfDifferentKeysInterleavedOnOneThreadEachOpenUnderTheirOwnKeyOnly() {
        DataKey a = DataKey.generate("guest", "a");
        DataKey b = DataKey.generate("guest", "b");
        byte[] sealedA = a.seal(bytes("jane@example.com"), bytes("a|EMAIL"));
        byte[] sealedB = b.seal(bytes("Smith"), bytes("b|LAST_NAME"));
        byte[] sealedA2 = a.seal(bytes("jane@example.com"), bytes("a|EMAIL"));
        assertFalse(java.util.Arrays.equals(sealedA, sealedA2), "a fresh nonce for every value");
        assertArrayEquals(bytes("Smith"), b.open(sealedB, bytes("b|LAST_NAME")));
        assertArrayEquals(bytes("jane@example.com"), a.open(sealedA, bytes("a|EMAIL")));
        assertThrows(IllegalStateException.class, () -> b.open(sealedA, bytes("a|EMAIL")), "another key");
        assertThrows(IllegalStateException.class, () -> a.open(sealedA, bytes("a|PHONE")), "moved to another field");
        // a failure leaves nothing behind for the next value
        assertArrayEquals(bytes("jane@example.com"), a.open(sealedA2, bytes("a|EMAIL")));
        SecretBox box = SecretBox.withKey(java.util.Base64.getEncoder().encodeToString(new byte[32]));
        String sealed = box.seal(bytes("key material"), "guest:a");
        assertArrayEquals(bytes("key material"), box.open(sealed, "guest:a"));
        assertArrayEquals(bytes("Smith"), b.open(sealedB, bytes("b|LAST_NAME")));
    }

    @Test
    void threadsSealingAndOpeningAtOnceEachGetTheirOwnValuesBack() throws Exception {
        DataKey key = DataKey.generate("guest", "shared");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        byte[] value = bytes("value " + thread + "/" + i);
                        assertArrayEquals(value, key.open(key.seal(value, bytes("aad" + i)), bytes("aad" + i)));
                    }
                    return 500;
                }));
            }
            for (Future<Integer> run : runs) {
                assertEquals(500, run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * After a value is opened, the thread's Cipher no longer holds the guest's key: erasure destroys the data key, and a
     * pooled thread's Cipher must not keep it (expanded, able to open that value again) until the thread's next use.
     */
    @Test
    void theThreadsCipherForgetsTheKeyOfTheValueItOpened() throws Exception {
        DataKey key = DataKey.generate("guest", "erased");
        byte[] aad = bytes("erased|EMAIL");
        byte[] sealed = key.seal(bytes("jane@example.com"), aad);
        assertArrayEquals(bytes("jane@example.com"), key.open(sealed, aad));
        javax.crypto.Cipher left = Ciphers.withAesGcm(cipher -> cipher);
        left.updateAAD(aad);
        assertThrows(javax.crypto.AEADBadTagException.class, () -> left.doFinal(sealed, 12, sealed.length - 12),
                "the Cipher left on the thread cannot open the value again");
    }

    /** Within one use the fields still open (one key after another), and afterwards the Cipher holds neither key. */
    @Test
    void manyValuesOpenedInOneUseOpenAndTheKeyIsForgottenAtItsEnd() throws Exception {
        DataKey jane = DataKey.generate("guest", "jane");
        DataKey john = DataKey.generate("guest", "john");
        byte[] janeEmail = jane.seal(bytes("jane@example.com"), bytes("jane|EMAIL"));
        byte[] janeName = jane.seal(bytes("Jane"), bytes("jane|FIRST_NAME"));
        byte[] johnEmail = john.seal(bytes("john@example.com"), bytes("john|EMAIL"));
        java.util.List<byte[]> opened = DataKey.inOneUse(() -> java.util.List.of(jane.open(janeEmail, bytes("jane|EMAIL")),
                jane.open(janeName, bytes("jane|FIRST_NAME")), DataKey.inOneUse(() -> john.open(johnEmail, bytes("john|EMAIL")))));
        assertArrayEquals(bytes("jane@example.com"), opened.get(0));
        assertArrayEquals(bytes("Jane"), opened.get(1));
        assertArrayEquals(bytes("john@example.com"), opened.get(2));
        assertThrows(IllegalStateException.class, () -> DataKey.inOneUse(() -> jane.open(johnEmail, bytes("john|EMAIL"))),
                "a value under another key still does not open within one use");
        javax.crypto.Cipher left = Ciphers.withAesGcm(cipher -> cipher);
        left.updateAAD(bytes("jane|EMAIL"));
        assertThrows(javax.crypto.AEADBadTagException.class, () -> left.doFinal(janeEmail, 12, janeEmail.length - 12),
                "the Cipher left on the thread cannot open the value again");
    }
}
