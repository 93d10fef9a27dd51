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
 *
 * <p>Within {@link #inOneUse} the throwaway key is set once, at its end, instead of after each value: the Cipher expands a
 * key only when it differs from the last one, so the fields of one guest opened in a row cost one key schedule instead of
 * two per field (the guest's key, then the throwaway one). The key schedules were most of the cost of opening a batch of
 * profiles for the CRM sync.
 */
final class Ciphers {

    /** One use of the thread's Cipher. */
    @FunctionalInterface
    interface Use<T> {
        T with(Cipher cipher) throws GeneralSecurityException;
    }

    /** The thread's Cipher, and how many {@link #inOneUse} calls the thread is in. */
    private static final class Held {
        Cipher cipher;
        int depth;
    }

    private static final ThreadLocal<Held> AES_GCM = ThreadLocal.withInitial(Held::new);
    private static final SecretKeySpec THROWAWAY = throwawayKey();
    private static final GCMParameterSpec THROWAWAY_NONCE = new GCMParameterSpec(128, new byte[12]);

    private Ciphers() {
    }

    private static SecretKeySpec throwawayKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }

    /** Runs one use of this thread's AES-GCM Cipher, which forgets the use's key afterwards (inside {@link #inOneUse}: at its end). */
    static <T> T withAesGcm(Use<T> use) throws GeneralSecurityException {
        Held held = AES_GCM.get();
        if (held.cipher == null) {
            held.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        }
        Cipher cipher = held.cipher;
        try {
            return use.with(cipher);
        } finally {
            if (held.depth == 0) {
                forget(cipher);
            }
        }
    }

    /** Runs {@code work}, whose uses of the thread's Cipher leave their key in it until {@code work} ends, then forgets it. */
    static <T, E extends Exception> T inOneUse(DataKey.Work<T, E> work) throws E {
        Held held = AES_GCM.get();
        held.depth++;
        try {
            return work.run();
        } finally {
            held.depth--;
            if (held.depth == 0 && held.cipher != null) {
                try {
                    forget(held.cipher);
                } catch (GeneralSecurityException e) {
                    held.cipher = null; // a Cipher that cannot be reset is not used again
                }
            }
        }
    }

    // decryption mode: GCM refuses to encrypt twice with one key and nonce, and nothing is decrypted with it
    private static void forget(Cipher cipher) throws GeneralSecurityException {
        cipher.init(Cipher.DECRYPT_MODE, THROWAWAY, THROWAWAY_NONCE);
    }
}
