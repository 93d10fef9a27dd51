package io.guestbridge.platform.api;

import javax.crypto.Cipher;
import java.security.GeneralSecurityException;

/**
 * One AES-GCM {@link Cipher} per thread, initialised anew for every value: looking the transformation up among the
 * providers cost more than the decryption of a short field, and reading a batch of profiles opens several fields per guest.
 * A Cipher is not thread-safe; each use re-initialises it (a fresh nonce to seal, the value's own to open), so nothing
 * carries over from one value to the next.
 */
final class Ciphers {

    private static final ThreadLocal<Cipher> AES_GCM = new ThreadLocal<>();

    private Ciphers() {
    }

    static Cipher aesGcm() throws GeneralSecurityException {
        Cipher cipher = AES_GCM.get();
        if (cipher == null) {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            AES_GCM.set(cipher);
        }
        return cipher;
    }
}
