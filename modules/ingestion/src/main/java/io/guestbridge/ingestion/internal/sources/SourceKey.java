package io.guestbridge.ingestion.internal.sources;

import io.guestbridge.platform.api.Digests;
import java.security.SecureRandom;
import java.util.Base64;

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
        return Digests.sha256Hex(candidate);
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
