package io.guestbridge.ingestion.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secret in a source's webhook URL: 256 random bits, URL-safe. Stored only as its SHA-256, which
 * is enough to find the source (the key has full entropy, so no salt or slow hash is needed).
 */
record SourceKey(String value) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static SourceKey generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new SourceKey(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    String hash() {
        return hashOf(value);
    }

    static String hashOf(String candidate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(candidate.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a string could be a key at all; anything else is refused before touching the database. */
    static boolean plausible(String candidate) {
        return candidate != null && candidate.length() == 43 && candidate.chars().allMatch(
                c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }

    @Override
    public String toString() {
        return "SourceKey[redacted]";
    }
}
