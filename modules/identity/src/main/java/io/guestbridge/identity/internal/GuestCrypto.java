package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.SecretBox;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The cryptography of personal data at rest: per-guest AES-256-GCM data keys sealed under the master
 * key, field values encrypted with the guest's key (bound to guest and field, so a value copied to
 * another row does not decrypt), and the keyed blind index by which a guest is found from an email.
 */
final class GuestCrypto {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretBox master;
    private final SecretKeySpec indexKey;

    private final SecretKeySpec pepper;

    GuestCrypto(SecretBox master) {
        this(master, null);
    }

    GuestCrypto(SecretBox master, byte[] devicePepper) {
        this.master = master;
        this.indexKey = new SecretKeySpec(master.derive("email-blind-index/v1"), "HmacSHA256");
        this.pepper = new SecretKeySpec(devicePepper != null && devicePepper.length > 0 ? devicePepper : master.derive("device-pepper/v1"),
                "HmacSHA256");
    }

    /**
     * The keyed hash of a MAC address (12 lower-case hex digits). The pepper comes from configuration
     * (identity.device.pepper) or, by default, is derived from the master key.
     */
    String macHash(String normalizedMac) {
        return hmac(pepper, normalizedMac);
    }

    /** The row key of a guest's device: ties the MAC hash to the guest, so it cannot link two guests. */
    String deviceKey(GuestId guest, String macHash) {
        return hmac(pepper, guest.value() + "|" + macHash);
    }

    private static String hmac(SecretKeySpec key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String blindIndex(NormalizedEmail email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(indexKey);
            return HexFormat.of().formatHex(mac.doFinal(email.value().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new data key for a guest, and its sealed form for the database. */
    DataKey newKey(GuestId guest) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new DataKey(guest, key, master.seal(key, guest.subjectRef()));
    }

    DataKey unwrap(GuestId guest, String wrapped) {
        return new DataKey(guest, master.open(wrapped, guest.subjectRef()), wrapped);
    }

    /** One guest's data key. */
    static final class DataKey {
        private final GuestId guest;
        private final SecretKeySpec key;
        private final String wrapped;

        private DataKey(GuestId guest, byte[] key, String wrapped) {
            this.guest = guest;
            this.key = new SecretKeySpec(key, "AES");
            this.wrapped = wrapped;
        }

        String wrapped() {
            return wrapped;
        }

        String encrypt(GuestField field, String value) {
            return encrypt(field.name(), value);
        }

        String decrypt(GuestField field, String sealed) {
            return decrypt(field.name(), sealed);
        }

        /** Encrypts a value bound to this guest and a label (a field, "device"…): it cannot be moved to another row. */
        String encrypt(String label, String value) {
            try {
                byte[] iv = new byte[12];
                RANDOM.nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                cipher.updateAAD(aad(label));
                byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
                return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(iv).put(sealed).array());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String decrypt(String label, String sealed) {
            byte[] all = Base64.getDecoder().decode(sealed);
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
                cipher.updateAAD(aad(label));
                return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("a field of " + guest.subjectRef() + " did not decrypt", e);
            }
        }

        private byte[] aad(String label) {
            return (guest.value() + "|" + label).getBytes(StandardCharsets.UTF_8);
        }
    }
}
