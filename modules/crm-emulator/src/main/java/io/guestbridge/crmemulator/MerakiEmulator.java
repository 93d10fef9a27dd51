package io.guestbridge.crmemulator;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cisco Meraki's Dashboard API v1 for identity PSKs on an SSID, the five operations of Meraki's published document:
 * list, create, get, update and delete under {@code /api/v1/networks/{networkId}/wireless/ssids/{number}/identityPsks}.
 * <ul>
 *   <li>every request is first checked against the document; one that breaks it gets 400 (or 404/405/415) with
 *       Meraki's {@code {"errors":[…]}} body and is listed in {@link #contractViolations()};</li>
 *   <li>the API key goes in {@code Authorization: Bearer <key>} or {@code X-Cisco-Meraki-API-Key} (the document's two
 *       security schemes); a missing or wrong key gets 401 and does not count against the rate;</li>
 *   <li>10 requests in any rolling second per organisation (this emulator stands for one), beyond which Meraki answers
 *       429 with {@code Retry-After} in seconds and does nothing; {@link #rateLimit} changes it;</li>
 *   <li>create answers 201 with the identity PSK, generating a passphrase when none is sent; update changes only the
 *       fields sent; delete answers 204; an unknown id 404.</li>
 * </ul>
 * SSID numbers are 0 to 14, as on Meraki access points. Any network id is accepted: the dashboard's own networks are
 * not modelled.
 */
public final class MerakiEmulator extends ServiceEmulator {

    /** Meraki's {@code basePath}: the document's paths are served under it. */
    public static final String BASE_PATH = "/api/v1";

    /** The API key a new emulator accepts. */
    public static final String DEFAULT_API_KEY = "meraki-test-api-key-0123456789abcdef";

    private static final Pattern COLLECTION = Pattern.compile(
            Pattern.quote(BASE_PATH) + "/networks/([^/]+)/wireless/ssids/([^/]+)/identityPsks/?");
    private static final Pattern SINGLE = Pattern.compile(
            Pattern.quote(BASE_PATH) + "/networks/([^/]+)/wireless/ssids/([^/]+)/identityPsks/([^/]+)");
    private static final Pattern SSID_NUMBER = Pattern.compile("(?:[0-9]|1[0-4])");
    private static final String PASSPHRASE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

    /** One identity PSK as the dashboard holds it. */
    public record IdentityPsk(String networkId, String ssidNumber, String id, String name, String passphrase,
                              String groupPolicyId, String expiresAt) {

        JsonObject toJson() {
            JsonObjectBuilder json = JsonSupport.JSON.createObjectBuilder()
                    .add("id", id)
                    .add("name", name)
                    .add("passphrase", passphrase)
                    .add("wifiPersonalNetworkId", id);
            if (groupPolicyId != null) {
                json.add("groupPolicyId", groupPolicyId);
            }
            if (expiresAt != null) {
                json.add("expiresAt", expiresAt);
            }
            return json.build();
        }
    }

    private final OpenApiContract contract;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong nextId = new AtomicLong();
    private final Object storeLock = new Object();
    /** By id, in creation order. */
    private final Map<String, IdentityPsk> psks = new LinkedHashMap<>();
    private final List<String> deletedIds = new ArrayList<>();
    private final List<String> contractViolations = Collections.synchronizedList(new ArrayList<>());
    private volatile String apiKey = DEFAULT_API_KEY;

    MerakiEmulator(Clock clock, OpenApiContract contract) {
        super("Meraki", clock, Integer.MAX_VALUE);
        this.contract = contract;
        clearState();
    }

    /** Accepts another API key from now on. */
    public void apiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    /** The identity PSKs held, oldest first. */
    public List<IdentityPsk> identityPsks() {
        synchronized (storeLock) {
            return List.copyOf(psks.values());
        }
    }

    public Optional<IdentityPsk> identityPsk(String id) {
        synchronized (storeLock) {
            return Optional.ofNullable(psks.get(id));
        }
    }

    /** Ids deleted, in order. */
    public List<String> deletedIds() {
        synchronized (storeLock) {
            return List.copyOf(deletedIds);
        }
    }

    /** Every request that broke Meraki's document, described, oldest first; empty when all kept it. */
    public List<String> contractViolations() {
        synchronized (contractViolations) {
            return List.copyOf(contractViolations);
        }
    }

    /** The document requests are checked against, for tests that check the answers too. */
    public java.nio.file.Path specification() {
        return contract.specification();
    }

    @Override
    void clearState() {
        apiKey = DEFAULT_API_KEY;
        rateLimit(10, Duration.ofSeconds(1));
        contractViolations.clear();
        synchronized (storeLock) {
            psks.clear();
            deletedIds.clear();
        }
    }

    @Override
    String storedText() {
        StringBuilder text = new StringBuilder("Meraki identity PSKs\n");
        synchronized (storeLock) {
            for (IdentityPsk psk : psks.values()) {
                text.append("  ").append(psk.id()).append(": network=").append(psk.networkId()).append("; ssid=")
                        .append(psk.ssidNumber()).append("; name=").append(psk.name()).append("; groupPolicyId=")
                        .append(psk.groupPolicyId()).append("; expiresAt=").append(psk.expiresAt()).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    Optional<EmulatorResponse> authenticate(RecordedRequest request) {
        Optional<String> presented = bearerToken(request).or(() -> request.header("X-Cisco-Meraki-API-Key").map(String::trim));
        if (presented.isEmpty()) {
            return Optional.of(errors(401, "Missing API key"));
        }
        if (!MessageDigest.isEqual(apiKey.getBytes(StandardCharsets.UTF_8), presented.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(errors(401, "Invalid API key"));
        }
        return Optional.empty();
    }

    @Override
    EmulatorResponse limitExceeded(RecordedRequest request, RequestLimiter.Decision decision) {
        return errors(429, "API rate limit exceeded for organization")
                .header("Retry-After", Long.toString(decision.retryAfterSeconds()));
    }

    @Override
    EmulatorResponse errorResponse(int status, String message) {
        return errors(status, message);
    }

    @Override
    EmulatorResponse handleRequest(RecordedRequest request) {
        List<OpenApiContract.Violation> violations = contract.check(request);
        if (!violations.isEmpty()) {
            List<String> messages = new ArrayList<>();
            for (OpenApiContract.Violation violation : violations) {
                contractViolations.add(request.describe() + ": " + violation.key() + ": " + violation.message());
                messages.add(violation.message());
            }
            return errors(violations.get(0).status(), messages.toArray(String[]::new));
        }
        String method = request.method();
        Matcher single = SINGLE.matcher(request.path());
        if (single.matches()) {
            if (!SSID_NUMBER.matcher(single.group(2)).matches()) {
                return errors(404, "SSID number must be 0 to 14");
            }
            return switch (method) {
                case "GET" -> get(single.group(3));
                case "PUT" -> update(single.group(3), request);
                case "DELETE" -> delete(single.group(3));
                default -> errors(405, "Method not allowed");
            };
        }
        Matcher collection = COLLECTION.matcher(request.path());
        if (collection.matches()) {
            if (!SSID_NUMBER.matcher(collection.group(2)).matches()) {
                return errors(404, "SSID number must be 0 to 14");
            }
            return switch (method) {
                case "GET" -> list(collection.group(1), collection.group(2));
                case "POST" -> create(collection.group(1), collection.group(2), request);
                default -> errors(405, "Method not allowed");
            };
        }
        return errors(404, "Not found");
    }

    private EmulatorResponse list(String networkId, String ssidNumber) {
        var array = JsonSupport.JSON.createArrayBuilder();
        synchronized (storeLock) {
            psks.values().stream()
                    .filter(psk -> psk.networkId().equals(networkId) && psk.ssidNumber().equals(ssidNumber))
                    .forEach(psk -> array.add(psk.toJson()));
        }
        return EmulatorResponse.json(200, array.build());
    }

    private EmulatorResponse create(String networkId, String ssidNumber, RecordedRequest request) {
        // The contract check has made sure of the shape: an object with string fields and name, groupPolicyId.
        JsonObject body = JsonSupport.parseObject(request.body()).orElseThrow();
        String passphrase = stringOrNull(body, "passphrase");
        if (passphrase == null || passphrase.isEmpty()) {
            passphrase = generatedPassphrase();
        } else if (passphrase.length() < 8 || passphrase.length() > 63) {
            return errors(400, "Passphrase must be between 8 and 63 characters");
        }
        String expiresAt = stringOrNull(body, "expiresAt");
        IdentityPsk psk = new IdentityPsk(networkId, ssidNumber, Long.toString(1_284_392_014_819L + nextId.incrementAndGet()),
                body.getString("name"), passphrase, stringOrNull(body, "groupPolicyId"),
                expiresAt == null || expiresAt.isEmpty() ? null : expiresAt);
        synchronized (storeLock) {
            psks.put(psk.id(), psk);
        }
        return EmulatorResponse.json(201, psk.toJson());
    }

    private EmulatorResponse get(String id) {
        return identityPsk(id).map(psk -> EmulatorResponse.json(200, psk.toJson()))
                .orElseGet(() -> errors(404, "Identity PSK not found"));
    }

    private EmulatorResponse update(String id, RecordedRequest request) {
        JsonObject body = request.body().isBlank() ? JsonValue.EMPTY_JSON_OBJECT
                : JsonSupport.parseObject(request.body()).orElseThrow();
        synchronized (storeLock) {
            IdentityPsk current = psks.get(id);
            if (current == null) {
                return errors(404, "Identity PSK not found");
            }
            String passphrase = body.containsKey("passphrase") ? stringOrNull(body, "passphrase") : current.passphrase();
            if (passphrase == null || passphrase.length() < 8 || passphrase.length() > 63) {
                return errors(400, "Passphrase must be between 8 and 63 characters");
            }
            String expiresAt = body.containsKey("expiresAt") ? stringOrNull(body, "expiresAt") : current.expiresAt();
            IdentityPsk updated = new IdentityPsk(current.networkId(), current.ssidNumber(), id,
                    body.containsKey("name") ? body.getString("name") : current.name(), passphrase,
                    body.containsKey("groupPolicyId") ? stringOrNull(body, "groupPolicyId") : current.groupPolicyId(),
                    expiresAt == null || expiresAt.isEmpty() ? null : expiresAt);
            psks.put(id, updated);
            return EmulatorResponse.json(200, updated.toJson());
        }
    }

    private EmulatorResponse delete(String id) {
        synchronized (storeLock) {
            if (psks.remove(id) == null) {
                return errors(404, "Identity PSK not found");
            }
            deletedIds.add(id);
        }
        return EmulatorResponse.empty(204);
    }

    private String generatedPassphrase() {
        StringBuilder passphrase = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            passphrase.append(PASSPHRASE_ALPHABET.charAt(random.nextInt(PASSPHRASE_ALPHABET.length())));
        }
        return passphrase.toString();
    }

    private static String stringOrNull(JsonObject body, String field) {
        JsonValue value = body.get(field);
        return value instanceof jakarta.json.JsonString string ? string.getString() : null;
    }

    /** Meraki's error body: {@code {"errors":["…"]}}. */
    private static EmulatorResponse errors(int status, String... messages) {
        var array = JsonSupport.JSON.createArrayBuilder();
        for (String message : messages) {
            array.add(message);
        }
        return EmulatorResponse.json(status, JsonSupport.JSON.createObjectBuilder().add("errors", array).build());
    }
}
