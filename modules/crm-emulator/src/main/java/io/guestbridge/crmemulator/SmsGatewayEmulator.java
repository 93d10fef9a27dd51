package io.guestbridge.crmemulator;

import jakarta.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A generic HTTP SMS gateway, as guestbridge's SMS connector speaks to one: {@code POST /sms/v1/messages} with a JSON
 * body {@code {"to":"+447911123456","text":"…","reference":"…"}}, signed per Standard Webhooks (headers
 * {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>}
 * under the shared {@code whsec_} secret).
 * <ul>
 *   <li>202 {@code {"id":…,"status":"queued"}} for an accepted message;</li>
 *   <li>401 for a missing or wrong signature, or a timestamp more than 5 minutes off;</li>
 *   <li>400 for a number that is not E.164 or an empty text;</li>
 *   <li>over the rate ({@link #rateLimit}, e.g. 100 a minute, a rolling window): 429 with {@code Retry-After} in
 *       seconds, the message not taken.</li>
 * </ul>
 * Errors are {@code {"error":{"status":…,"message":…}}}. Accepted messages are kept, in order, for assertions.
 */
public final class SmsGatewayEmulator extends ServiceEmulator {

    /** The shared secret a new emulator checks signatures with. */
    public static final String DEFAULT_SECRET = "whsec_" + Base64.getEncoder().encodeToString("sms-gateway-test-secret-32-bytes".getBytes(StandardCharsets.UTF_8));

    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");

    /** One message the gateway took. */
    public record Sent(String id, String to, String text, String reference, Instant at) {
    }

    private final Object storeLock = new Object();
    private final List<Sent> sent = new ArrayList<>();
    private volatile String secret = DEFAULT_SECRET;

    SmsGatewayEmulator(Clock clock) {
        super("SMS gateway", clock, Integer.MAX_VALUE);
    }

    /** Checks signatures with another secret from now on. */
    public void secret(String secret) {
        this.secret = secret;
    }

    /** The messages taken, oldest first. */
    public List<Sent> sent() {
        synchronized (storeLock) {
            return List.copyOf(sent);
        }
    }

    @Override
    void clearState() {
        secret = DEFAULT_SECRET;
        synchronized (storeLock) {
            sent.clear();
        }
    }

    @Override
    String storedText() {
        StringBuilder text = new StringBuilder("SMS messages\n");
        synchronized (storeLock) {
            for (Sent message : sent) {
                text.append("  ").append(message.id()).append(": to=").append(message.to()).append("; reference=").append(message.reference()).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    Optional<EmulatorResponse> authenticate(RecordedRequest request) {
        Optional<String> id = request.header("webhook-id");
        Optional<String> timestamp = request.header("webhook-timestamp");
        Optional<String> signature = request.header("webhook-signature");
        if (id.isEmpty() || timestamp.isEmpty() || signature.isEmpty()) {
            return Optional.of(error(401, "sign the request: webhook-id, webhook-timestamp and webhook-signature are required"));
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.get().trim());
        } catch (NumberFormatException e) {
            return Optional.of(error(401, "webhook-timestamp is not a number of seconds"));
        }
        if (Math.abs(request.receivedAt().getEpochSecond() - seconds) > 300) {
            return Optional.of(error(401, "webhook-timestamp is more than 5 minutes off"));
        }
        byte[] expected = ("v1," + Base64.getEncoder().encodeToString(hmac(id.get() + "." + seconds + "." + request.body()))).getBytes(StandardCharsets.UTF_8);
        for (String candidate : signature.get().trim().split(" ")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
                return Optional.empty();
            }
        }
        return Optional.of(error(401, "the signature does not match the body"));
    }

    private byte[] hmac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    EmulatorResponse limitExceeded(RecordedRequest request, RequestLimiter.Decision decision) {
        return error(429, "too many messages: slow down").header("Retry-After", Long.toString(decision.retryAfterSeconds()));
    }

    @Override
    EmulatorResponse errorResponse(int status, String message) {
        return error(status, message);
    }

    @Override
    EmulatorResponse handleRequest(RecordedRequest request) {
        if (!request.path().equals("/sms/v1/messages")) {
            return error(404, "no such resource");
        }
        if (!request.method().equals("POST")) {
            return error(405, "POST a message");
        }
        Optional<JsonObject> body = JsonSupport.parseObject(request.body());
        if (body.isEmpty()) {
            return error(400, "the body is not a JSON object");
        }
        String to = body.get().getString("to", "");
        String text = body.get().getString("text", "");
        if (!E164.matcher(to).matches()) {
            return error(400, "to must be a number in E.164 form");
        }
        if (text.isBlank() || text.length() > 1600) {
            return error(400, "text must be 1 to 1600 characters");
        }
        Sent message = new Sent(UUID.randomUUID().toString(), to, text, body.get().getString("reference", null), request.receivedAt());
        synchronized (storeLock) {
            sent.add(message);
        }
        return EmulatorResponse.json(202, JsonSupport.JSON.createObjectBuilder().add("id", message.id()).add("status", "queued").build());
    }

    private static EmulatorResponse error(int status, String message) {
        return EmulatorResponse.json(status, JsonSupport.JSON.createObjectBuilder().add("error", JsonSupport.JSON.createObjectBuilder().add("status", status)
                .add("message", message)).build());
    }
}
