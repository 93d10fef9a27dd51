package io.guestbridge.onboarding.internal;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What a Ruckus access point with external DPSK forwards of a device's WPA2 four-way handshake: the access point's
 * ANonce and the device's message 2 (an EAPOL-Key frame with the SNonce and a MIC), with both MACs. The MIC proves which
 * passphrase the device used without the passphrase ever crossing the air: for a candidate passphrase, PMK =
 * PBKDF2-HMAC-SHA1(passphrase, SSID, 4096, 32); KCK = the first 16 octets of PRF-512(PMK, "Pairwise key expansion",
 * min(AA,SPA) ‖ max(AA,SPA) ‖ min(ANonce,SNonce) ‖ max(ANonce,SNonce)) (IEEE 802.11-2020 12.7.1.3); the MIC is
 * HMAC-SHA1(KCK, the frame with its MIC zeroed), first 16 octets (key descriptor version 2: AKM PSK, AES-CCMP).
 * The frame layout is FreeRADIUS's rlm_dpsk's: a 4-octet EAPOL header, then the key descriptor type (1), key information (2),
 * key length (2), replay counter (8), nonce (32), IV (16), RSC (8), reserved (8), MIC (16), data length (2), data.
 */
final class DpskHandshake {

    static final int PMK_LENGTH = 32;
    private static final int NONCE = 17;        // 4 header + 1 type + 2 information + 2 length + 8 replay counter
    private static final int MIC = NONCE + 32 + 16 + 8 + 8;
    private static final int MIN_FRAME = MIC + 16 + 2;
    private static final int MAX_FRAME = 512;   // message 2 carries the device's RSN element: a few dozen octets
    private static final byte[] LABEL = "Pairwise key expansion\0".getBytes(StandardCharsets.US_ASCII);

    private final byte[] message;               // the PRF's input for its first block: label, MACs, nonces, counter 0
    private final byte[] zeroedFrame;
    private final byte[] mic;

    private DpskHandshake(byte[] message, byte[] zeroedFrame, byte[] mic) {
        this.message = message;
        this.zeroedFrame = zeroedFrame;
        this.mic = mic;
    }

    /**
     * The handshake, when it is one this check understands: MACs of 6 octets, a 32-octet ANonce, an EAPOL-Key frame of a
     * plausible length whose key descriptor version is 2 (HMAC-SHA1 MIC); empty otherwise.
     */
    static Optional<DpskHandshake> of(byte[] supplicantMac, byte[] accessPointMac, byte[] anonce, byte[] frame) {
        if (supplicantMac == null || supplicantMac.length != 6 || accessPointMac == null || accessPointMac.length != 6
                || anonce == null || anonce.length != 32 || frame == null || frame.length < MIN_FRAME || frame.length > MAX_FRAME
                || (frame[6] & 0x07) != 2) {
            return Optional.empty();
        }
        byte[] snonce = Arrays.copyOfRange(frame, NONCE, NONCE + 32);
        boolean macsInOrder = Arrays.compareUnsigned(supplicantMac, accessPointMac) <= 0;
        boolean noncesInOrder = Arrays.compareUnsigned(snonce, anonce) <= 0;
        byte[] message = new byte[LABEL.length + 12 + 64 + 1];
        System.arraycopy(LABEL, 0, message, 0, LABEL.length);
        System.arraycopy(macsInOrder ? supplicantMac : accessPointMac, 0, message, LABEL.length, 6);
        System.arraycopy(macsInOrder ? accessPointMac : supplicantMac, 0, message, LABEL.length + 6, 6);
        System.arraycopy(noncesInOrder ? snonce : anonce, 0, message, LABEL.length + 12, 32);
        System.arraycopy(noncesInOrder ? anonce : snonce, 0, message, LABEL.length + 44, 32);
        byte[] zeroed = frame.clone();
        Arrays.fill(zeroed, MIC, MIC + 16, (byte) 0);
        return Optional.of(new DpskHandshake(message, zeroed, Arrays.copyOfRange(frame, MIC, MIC + 16)));
    }

    /** The pairwise master key of a passphrase on an SSID: PBKDF2-HMAC-SHA1, 4096 rounds, 32 octets (expensive by design). */
    static byte[] pairwiseMasterKey(byte[] passphrase, String ssid) {
        char[] chars = new String(passphrase, StandardCharsets.UTF_8).toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, ssid.getBytes(StandardCharsets.UTF_8), 4096, PMK_LENGTH * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA1 is part of every Java runtime", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /** Whether the device's MIC was made with this pairwise master key (compared in constant time). */
    boolean madeWith(byte[] pmk) {
        byte[] kck = Arrays.copyOf(hmacSha1(pmk, message), 16);
        byte[] expected = Arrays.copyOf(hmacSha1(kck, zeroedFrame), 16);
        return MessageDigest.isEqual(expected, mic);
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    /**
     * An octets attribute as FreeRADIUS's rlm_rest writes it in JSON: 3.2.1 (Debian bookworm) as "0x" and hex digits,
     * later 3.2 releases as the octets themselves, one character each (escaped as JSON \\u00XX where not printable).
     * The two cannot be confused for the attributes read here: a hex form is 2 + 2n characters, all hex digits.
     */
    static Optional<byte[]> octets(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.length() >= 2 && value.length() % 2 == 0 && (value.startsWith("0x") || value.startsWith("0X"))) {
            try {
                return Optional.of(HexFormat.of().parseHex(value, 2, value.length()));
            } catch (IllegalArgumentException notHex) {
                // the octets themselves, which happened to start with "0x"
            }
        }
        byte[] raw = new byte[value.length()];
        for (int i = 0; i < raw.length; i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return Optional.empty();
            }
            raw[i] = (byte) c;
        }
        return Optional.of(raw);
    }

    /** A MAC written with or without separators (AA-BB-CC-DD-EE-FF, aa:bb:…, aabb.ccdd.eeff, aabbccddeeff) as 6 octets. */
    static Optional<byte[]> mac(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String hex = text.strip().replaceAll("[-:.]", "");
        if (!hex.matches("[0-9A-Fa-f]{12}")) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().parseHex(hex));
    }

    @Override
    public String toString() {
        return "DpskHandshake[hidden]";
    }
}
