package io.guestbridge.crmsync.internal.connectors.hubspot;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HubSpot's request signature v3: {@code X-HubSpot-Signature-v3} is Base64(HMAC-SHA256(app client secret,
 * method + URI + body + timestamp)), {@code X-HubSpot-Request-Timestamp} in epoch milliseconds, and
 * requests older than five minutes are to be refused (replays).
 */
public final class HubSpotSignature {

    public static final String SIGNATURE_HEADER = "X-HubSpot-Signature-v3";
    public static final String TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";
    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private HubSpotSignature() {
    }

    static String sign(String secret, String method, String uri, byte[] body, long timestampMillis) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((method + uri).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(Long.toString(timestampMillis).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why the request is not authentic, or null when it is. */
    public static String problem(String secret, String method, String uri, byte[] body, String timestamp, String signature, Instant now) {
        if (signature == null || timestamp == null) {
            return "the request has no " + SIGNATURE_HEADER + " and " + TIMESTAMP_HEADER;
        }
        long millis;
        try {
            millis = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return TIMESTAMP_HEADER + " must be epoch milliseconds";
        }
        if (Duration.between(Instant.ofEpochMilli(millis), now).abs().compareTo(TOLERANCE) > 0) {
            return "the request timestamp is more than 5 minutes away from our clock (a replay, or a wrong clock)";
        }
        byte[] expected = sign(secret, method, uri, body, millis).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8)) ? null : "the signature does not match";
    }
}
