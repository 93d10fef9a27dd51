package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.KeyVault;
import io.guestbridge.platform.api.SecretBox;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.HexFormat;

/**
 * The cryptography of personal data at rest: per-guest AES-256-GCM data keys kept in the key vault (apart
 * from the data, wrapped under the master key), field values encrypted with the guest's key (bound to guest
 * and field, so a value copied to another row does not decrypt), and the keyed blind index by which a guest
 * is found from an email. A guest's id is the id of its key in the vault.
 */
final class GuestCrypto {

    /** The vault kind of guests' data keys. */
    static final String KEY_KIND = "guest";

    private final KeyVault vault;
    private final SecretKeySpec indexKey;
    private final SecretKeySpec pepper;
    private final ThreadLocal<Mac> indexMac;
    private final ThreadLocal<Mac> pepperMac;

    GuestCrypto(SecretBox master, KeyVault vault) {
        this(master, vault, null);
    }

    GuestCrypto(SecretBox master, KeyVault vault, byte[] devicePepper) {
        this.vault = vault;
        this.indexKey = new SecretKeySpec(master.derive("email-blind-index/v1"), "HmacSHA256");
        this.pepper = new SecretKeySpec(devicePepper != null && devicePepper.length > 0 ? devicePepper : master.derive("device-pepper/v1"),
                "HmacSHA256");
        this.indexMac = keyed(indexKey);
        this.pepperMac = keyed(pepper);
    }

    /**
     * The keyed hash of a MAC address (12 lower-case hex digits). The pepper comes from configuration
     * (identity.device.pepper) or, by default, is derived from the master key.
     */
    String macHash(String normalizedMac) {
        return hmac(pepperMac, normalizedMac);
    }

    /** The row key of a guest's device: ties the MAC hash to the guest, so it cannot link two guests. */
    String deviceKey(GuestId guest, String macHash) {
        return hmac(pepperMac, guest.value() + "|" + macHash);
    }

    /**
     * A thread's HMAC, keyed once: these keys (derived from the master key, or the configured pepper) live as long as
     * this object anyway, and looking the algorithm up and keying it again cost more than the hash of an email. A
     * guest's data key is never kept on a thread so.
     */
    private static ThreadLocal<Mac> keyed(SecretKeySpec key) {
        return ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String hmac(ThreadLocal<Mac> keyed, String value) {
        Mac mac = keyed.get();
        mac.reset();
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    String blindIndex(NormalizedEmail email) {
        return hmac(indexMac, email.value());
    }

    /** A new guest: a new data key, already committed to the vault, whose id is the guest's id. */
    DataKey newKey() {
        io.guestbridge.platform.api.DataKey key = vault.fresh(KEY_KIND);
        return new DataKey(new GuestId(key.id()), key);
    }

    /** The guest's data key; empty once it was shredded (or for an id that never was a guest). */
    Optional<DataKey> key(GuestId guest) {
        return vault.find(KEY_KIND, guest.value()).map(key -> new DataKey(guest, key));
    }

    /** The keys of many guests in one read of the vault (those in this instance's cache need none); shredded ones are absent. */
    Map<GuestId, DataKey> keys(Collection<GuestId> guests) {
        Map<GuestId, DataKey> keys = new HashMap<>();
        Map<String, GuestId> ids = new HashMap<>();
        guests.forEach(g -> ids.put(g.value(), g));
        vault.findAll(KEY_KIND, ids.keySet()).forEach((id, key) -> keys.put(ids.get(id), new DataKey(ids.get(id), key)));
        return keys;
    }

    /** Destroys the guest's data key: its encrypted values can never be read again, here or in any backup of the data. */
    boolean shred(GuestId guest) {
        return vault.destroy(KEY_KIND, guest.value());
    }

    /** One guest's data key. */
    static final class DataKey {
        private final GuestId guest;
        private final io.guestbridge.platform.api.DataKey key;

        DataKey(GuestId guest, io.guestbridge.platform.api.DataKey key) {
            this.guest = guest;
            this.key = key;
        }

        GuestId guest() {
            return guest;
        }

        String encrypt(GuestField field, String value) {
            return encrypt(field.name(), value);
        }

        String decrypt(GuestField field, String sealed) {
            return decrypt(field.name(), sealed);
        }

        /** Encrypts a value bound to this guest and a label (a field, "device"…): it cannot be moved to another row. */
        String encrypt(String label, String value) {
            return Base64.getEncoder().encodeToString(seal(label, value.getBytes(StandardCharsets.UTF_8)));
        }

        String decrypt(String label, String sealed) {
            return new String(open(label, Base64.getDecoder().decode(sealed)), StandardCharsets.UTF_8);
        }

        byte[] seal(String label, byte[] plaintext) {
            return key.seal(plaintext, aad(label));
        }

        byte[] open(String label, byte[] sealed) {
            try {
                return key.open(sealed, aad(label));
            } catch (IllegalStateException e) {
                throw new IllegalStateException("a value of " + guest.subjectRef() + " did not decrypt", e);
            }
        }

        private byte[] aad(String label) {
            return (guest.value() + "|" + label).getBytes(StandardCharsets.UTF_8);
        }
    }
}
