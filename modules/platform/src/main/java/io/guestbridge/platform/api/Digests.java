package io.guestbridge.platform.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one plain digest guestbridge uses (content hashes, hashes of secrets that are stored only as
 * hashes, hash chains), in lower-case hex. Keyed hashes of personal data are not this: they are HMACs under a
 * key derived from the master key.
 */
public final class Digests {

    private Digests() {
    }

    /** A fresh SHA-256 digest; every Java platform has one, so no checked exception to carry. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    /** Of the text's UTF-8 bytes. */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
