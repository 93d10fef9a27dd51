package io.guestbridge.platform.api;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Standard Webhooks signatures (standardwebhooks.com), for requests we receive and requests we send:
 * {@code webhook-signature} holds one or more space-separated {@code v1,<base64 HMAC-SHA256>} over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, keyed with the secret's bytes ({@code whsec_<base64>}).
 * Several signatures and several secrets are accepted, so a sender can rotate its secret without a
 * gap; comparisons are constant-time; a timestamp more than five minutes away from our clock is
 * refused, so a captured request cannot be replayed later.
 */
public final class WebhookSignatures {

    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignatures() {
    }

    /** A new signing secret, {@code whsec_} and 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The {@code v1,…} signature of a message. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(key(secret), id, timestamp, body));
    }

    /**
     * Checks a request's signature against the candidate secrets and returns the index of the secret
     * that signed it; a 401 problem saying what is wrong otherwise.
     */
    public static int verify(List<String> secrets, String id, String timestamp, String signatures, byte[] body, Instant now) {
        if (blank(id) || blank(timestamp) || blank(signatures)) {
            throw unauthenticated("Sign the request per Standard Webhooks: the headers webhook-id, webhook-timestamp "
                    + "and webhook-signature are all required.");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw unauthenticated("webhook-timestamp must be the signing time in whole seconds since 1970-01-01T00:00:00Z.");
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            throw unauthenticated("webhook-timestamp is more than " + TOLERANCE.toMinutes()
                    + " minutes away from the server's clock: sign each delivery when you send it, and check your clock.");
        }
        for (int i = 0; i < secrets.size(); i++) {
            byte[] expected = hmac(key(secrets.get(i)), id, seconds, body);
            for (String candidate : signatures.trim().split("\\s+")) {
                int comma = candidate.indexOf(',');
                if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                    continue;
                }
                byte[] presented;
                try {
                    presented = Base64.getDecoder().decode(candidate.substring(comma + 1));
                } catch (IllegalArgumentException notBase64) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, presented)) {
                    return i;
                }
            }
        }
        throw unauthenticated("No v1 signature in webhook-signature matches this body with a current secret of the source.");
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    private static byte[] hmac(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static ProblemException unauthenticated(String detail) {
        return new ProblemException(ProblemType.UNAUTHENTICATED, detail, Map.of());
    }
}
