package io.guestbridge.platform.api;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * One AES-256 key of the {@link KeyVault}: seals and opens bytes with AES-GCM (a random 96-bit nonce, then
 * ciphertext and tag). The associated data binds a sealed value to where it belongs, so a value copied to
 * another row or purpose does not open. Destroying the key in the vault makes whatever it sealed unreadable,
 * in the database and in every backup of it (crypto-shredding).
 */
public final class DataKey {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** How many bytes sealing adds to a value: the nonce and the tag. */
    public static final int OVERHEAD = NONCE_BYTES + TAG_BITS / 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String kind;
    private final String id;
    private final SecretKeySpec key;

    public DataKey(String kind, String id, byte[] material) {
        if (material.length != 32) {
            throw new IllegalArgumentException("a data key is 32 bytes (AES-256); got " + material.length);
        }
        this.kind = kind;
        this.id = id;
        this.key = new SecretKeySpec(material, "AES");
    }

    /** A new random key. */
    public static DataKey generate(String kind, String id) {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        return new DataKey(kind, id, material);
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }

    /** The key's bytes, for wrapping it under the master key; nothing else needs them. */
    public byte[] material() {
        return key.getEncoded();
    }

    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            byte[] sealed = Ciphers.withAesGcm(cipher -> {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
                cipher.updateAAD(associatedData);
                return cipher.doFinal(plaintext);
            });
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Work that opens or seals many values ({@link #inOneUse}). */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work}, which opens or seals many values, keeping each key expanded in the thread's Cipher until the next
     * value under another key or the end of {@code work}, instead of forgetting it after every value: consecutive values
     * under one key (a guest's fields, keys wrapped under the master key) then cost one key schedule in all, not two each.
     * At the end the Cipher forgets the last key, as after a single value. Nests: only the outermost call forgets.
     */
    public static <T, E extends Exception> T inOneUse(Work<T, E> work) throws E {
        return Ciphers.inOneUse(work);
    }

    /** The plaintext; an {@link IllegalStateException} when the value was not sealed by this key for this associated data. */
    public byte[] open(byte[] sealed, byte[] associatedData) {
        if (sealed == null || sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("not a value sealed by a data key (" + (sealed == null ? "null" : sealed.length + " bytes") + ")");
        }
        try {
            return Ciphers.withAesGcm(cipher -> {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
                cipher.updateAAD(associatedData);
                return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a value did not open under " + this + ": another key, or the value was moved or changed", e);
        }
    }

    @Override
    public String toString() {
        return "DataKey[" + kind + ":" + id + "]";
    }
}
