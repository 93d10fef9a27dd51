package io.guestbridge.platform.api;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Seals small secrets and keys with AES-256-GCM under the master key from configuration, so what the
 * database holds (webhook signing secrets, later the per-guest data keys) is useless without it. The
 * associated data binds a sealed value to its owner: a value copied to another row does not open.
 */
public final class SecretBox {

    private static final String VERSION = "v1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final byte[] keyBytes;

    private SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes (256 bits), base64-encoded; got " + key.length + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyBytes = key.clone();
    }

    /**
     * A 256-bit key for one purpose, derived from the master key (HMAC-SHA256 of the purpose), e.g. the
     * key of the email blind index. Different purposes give unrelated keys; the master key is not exposed.
     */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
            return mac.doFinal(("guestbridge/" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    public static SecretBox withKey(String base64Key) {
        return new SecretBox(Base64.getDecoder().decode(base64Key.trim()));
    }

    public String seal(byte[] plaintext, String associatedData) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            byte[] sealed = Ciphers.withAesGcm(cipher -> {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
                cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
                return cipher.doFinal(plaintext);
            });
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public byte[] open(String sealed, String associatedData) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalArgumentException("not a sealed value of this version");
        }
        byte[] all = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        try {
            return Ciphers.withAesGcm(cipher -> {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
                cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
                return cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed value did not open: wrong master key, or the value was moved or changed", e);
        }
    }
}
