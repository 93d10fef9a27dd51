package io.guestbridge.platform.api;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * One AES-GCM {@link Cipher} per thread, initialised anew for every value: looking the transformation up among the
 * providers cost more than the decryption of a short field, and reading a batch of profiles opens several fields per guest.
 * A Cipher is not thread-safe; each use re-initialises it (a fresh nonce to seal, the value's own to open), so nothing
 * carries over from one value to the next. After each use it is set to a throwaway key: a pooled thread's Cipher would
 * otherwise hold the last guest's expanded data key until that thread's next use, long after an erasure destroyed it.
 */
final class Ciphers {

    /** One use of the thread's Cipher. */
    @FunctionalInterface
    interface Use<T> {
        T with(Cipher cipher) throws GeneralSecurityException;
    }

    private static final ThreadLocal<Cipher> AES_GCM = new ThreadLocal<>();
    private static final SecretKeySpec THROWAWAY = throwawayKey();
    private static final GCMParameterSpec THROWAWAY_NONCE = new GCMParameterSpec(128, new byte[12]);

    private Ciphers() {
    }

    private static SecretKeySpec throwawayKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }

    /** Runs one use of this thread's AES-GCM Cipher, which forgets the use's key afterwards. */
    static <T> T withAesGcm(Use<T> use) throws GeneralSecurityException {
        Cipher cipher = AES_GCM.get();
        if (cipher == null) {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            AES_GCM.set(cipher);
        }
        try {
            return use.with(cipher);
        } finally {
            // decryption mode: GCM refuses to encrypt twice with one key and nonce, and nothing is decrypted with it
            cipher.init(Cipher.DECRYPT_MODE, THROWAWAY, THROWAWAY_NONCE);
        }
    }
}
