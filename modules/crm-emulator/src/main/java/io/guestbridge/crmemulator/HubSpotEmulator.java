package io.guestbridge.crmemulator;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HubSpot's CRM v3 contacts API as guestbridge uses it: batch upsert by email, GDPR delete, and reading a
 * contact back. Every request is first checked against HubSpot's published OpenAPI document; a request that
 * breaks it is answered like HubSpot would (400, or 404/405/415) and listed in {@link #contractViolations()}.
 */
public final class HubSpotEmulator extends ServiceEmulator {

    public static final String DEFAULT_ACCESS_TOKEN = "hubspot-test-token";

    /** HubSpot's documented batch size; the OpenAPI document does not say it, so it is checked here. */
    public static final int MAX_BATCH_INPUTS = 100;

    /** Ids start here rather than at 1 so that an id is never mistaken for a list index in a test. */
    private static final long FIRST_CONTACT_ID = 101;

    private static final String CONTACTS = "/crm/v3/objects/contacts";
    private static final Pattern SINGLE_CONTACT = Pattern.compile("^" + CONTACTS + "/([^/]+)$");

    /** What HubSpot returns for a contact when the caller names no properties. */
    private static final List<String> DEFAULT_READ_PROPERTIES = List.of("email", "firstname", "lastname");

    private static final String AUTHENTICATION_MESSAGE = "Authentication credentials not found. This API supports "
            + "OAuth 2.0 authentication and you can find more details at "
            + "https://developers.hubspot.com/docs/methods/auth/oauth-overview";

    /** A stored contact. Properties hold what clients sent; the system ones are added when rendering. */
    private static final class Contact {
        final String id;
        final Instant createdAt;
        Instant updatedAt;
        final Map<String, String> properties = new LinkedHashMap<>();

        Contact(String id, Instant createdAt) {
            this.id = id;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    private record Rejection(Predicate<String> emails, String message) {
    }

    private final OpenApiContract contract;
    private volatile String accessToken = DEFAULT_ACCESS_TOKEN;
    private volatile Rejection rejection;

    /** Guards the store, the id sequence and the GDPR log, which change together. */
    private final Object storeLock = new Object();
    private final Map<String, Contact> contactsByEmail = new LinkedHashMap<>();
    private long nextContactId = FIRST_CONTACT_ID;
    private final List<String> gdprDeleted = new ArrayList<>();
    private volatile URI webhookUrl;
    private volatile String clientSecret;
    private long nextEventId = 1;
    private final List<String> contractViolations = Collections.synchronizedList(new ArrayList<>());
    /** Every how many requests one is checked against the contract: 1 (every request) unless a benchmark says otherwise. */
    private volatile int checkEvery = 1;
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong checked = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong checkNanos = new java.util.concurrent.atomic.AtomicLong();

    HubSpotEmulator(Clock clock, OpenApiContract contract) {
        super("HubSpot", clock, Integer.MAX_VALUE);
        this.contract = contract;
    }

    // ---------------------------------------------------------------- controls for tests

    /** The bearer token requests must carry (default {@value #DEFAULT_ACCESS_TOKEN}). */
    public void accessToken(String token) {
        this.accessToken = Objects.requireNonNull(token, "token");
    }

    /**
     * Batch upsert inputs whose (lower-cased) email matches are not stored and come back as errors of a 207 answer, the way
     * HubSpot reports a partly failed batch. Applies until {@link #reset()} or the next call.
     */
    public void rejectEmails(Predicate<String> emailPredicate, String message) {
        this.rejection = new Rejection(Objects.requireNonNull(emailPredicate, "emailPredicate"),
                Objects.requireNonNull(message, "message"));
    }

    /** Emails (lower-cased) of the contacts removed by GDPR delete, in order. */
    public List<String> gdprDeleted() {
        synchronized (storeLock) {
            return List.copyOf(gdprDeleted);
        }
    }

    /**
     * Every way a request broke HubSpot's OpenAPI document, one line each
     * ({@code "POST /path: validator key: message"}). A connector test asserts this is empty.
     */
    public List<String> contractViolations() {
        synchronized (contractViolations) {
            return List.copyOf(contractViolations);
        }
    }

    /**
     * Checks only every {@code n}th request against the contract (1, the default and what {@link #reset()} restores: every
     * request). For benchmarks only: the check costs more CPU than the rest of a batch upsert, and a benchmark that shares
     * its cores with the server would otherwise measure the validator. Tests never call it.
     */
    public void checkEvery(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("checkEvery: 1 or more, not " + n);
        }
        this.checkEvery = n;
    }

    /** How many requests were checked against the contract, since the start or the last reset. */
    public long contractChecks() {
        return checked.get();
    }

    /** The time (wall clock, in the request's thread) the contract checks took, since the start or the last reset. */
    public long contractCheckNanos() {
        return checkNanos.get();
    }

    /** The contact with this email as HubSpot would show all its properties, or empty. */
    public Optional<Map<String, String>> contact(String email) {
        synchronized (storeLock) {
            return Optional.ofNullable(contactsByEmail.get(normalizeEmail(email))).map(HubSpotEmulator::allProperties);
        }
    }

    private long createdTotal;

    /** How many contacts upserts have created since the start or the last reset (a duplicate create would show here). */
    public long createdTotal() {
        synchronized (storeLock) {
            return createdTotal;
        }
    }

    /** How many contacts are stored. */
    public int contactCount() {
        synchronized (storeLock) {
            return contactsByEmail.size();
        }
    }

    /** All contacts, by lower-cased email, with all their properties. */
    public Map<String, Map<String, String>> contacts() {
        synchronized (storeLock) {
            Map<String, Map<String, String>> snapshot = new LinkedHashMap<>();
            contactsByEmail.forEach((email, contact) -> snapshot.put(email, allProperties(contact)));
            return Collections.unmodifiableMap(snapshot);
        }
    }

    /** The OpenAPI document requests are checked against. */
    public Path specification() {
        return contract.specification();
    }

    @Override
    void clearState() {
        accessToken = DEFAULT_ACCESS_TOKEN;
        rejection = null;
        synchronized (storeLock) {
            contactsByEmail.clear();
            nextContactId = FIRST_CONTACT_ID;
            createdTotal = 0;
            gdprDeleted.clear();
            nextEventId = 1;
        }
        webhookUrl = null;
        clientSecret = null;
        contractViolations.clear();
        checkEvery = 1;
        received.set(0);
        checked.set(0);
        checkNanos.set(0);
    }

    /** The app's webhook target and its client secret, which signs every delivery (signature v3). */
    public void webhook(URI url, String appClientSecret) {
        this.webhookUrl = Objects.requireNonNull(url, "url");
        this.clientSecret = Objects.requireNonNull(appClientSecret, "appClientSecret");
    }

    /**
     * The contact opts out of all email in HubSpot (a communication-preference change): {@code hs_email_optout}
     * becomes "true" and the webhook gets HubSpot's {@code contact.propertyChange} event for it, signed with
     * signature v3. Returns the receiver's HTTP status (0 when unreachable or no webhook is set).
     */
    public int optOut(String email) {
        return propertyChange(email, "hs_email_optout", "true", "CRM_UI");
    }

    /** Sets a contact property as a HubSpot user would, and sends the {@code contact.propertyChange} webhook. */
    public int propertyChange(String email, String property, String value, String changeSource) {
        String body;
        synchronized (storeLock) {
            Contact contact = contactsByEmail.get(normalizeEmail(email));
            if (contact == null) {
                throw new IllegalArgumentException("no contact " + email);
            }
            contact.properties.put(property, value);
            contact.updatedAt = clock.instant();
            body = JsonSupport.JSON.createArrayBuilder().add(JsonSupport.JSON.createObjectBuilder().add("eventId", nextEventId++).add("subscriptionId", 42)
                    .add("portalId", 62515).add("appId", 1160452).add("occurredAt", clock.millis())
                    .add("subscriptionType", "contact.propertyChange").add("attemptNumber", 0).add("objectId", Long.parseLong(contact.id))
                    .add("changeSource", changeSource).add("propertyName", property).add("propertyValue", value)).build().toString();
        }
        URI target = webhookUrl;
        String secret = clientSecret;
        if (target == null) {
            return 0;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.millis();
        return WebhookSender.post(target, "application/json", bytes, Map.of("X-HubSpot-Signature-v3", signatureV3(secret, target, bytes, timestamp),
                "X-HubSpot-Request-Timestamp", Long.toString(timestamp)));
    }

    /** Base64(HMAC-SHA256(client secret, "POST" + URI + body + timestamp)), as HubSpot signs v3 requests. */
    private static String signatureV3(String secret, URI target, byte[] body, long timestamp) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("POST" + target).getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            mac.update(Long.toString(timestamp).getBytes(StandardCharsets.UTF_8));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HubSpot's GDPR delete removes the contact outright, so the live contacts are the whole store. */
    @Override
    String storedText() {
        StringBuilder text = new StringBuilder("HubSpot contacts\n");
        synchronized (storeLock) {
            contactsByEmail.forEach((email, contact) -> {
                text.append("  contact ").append(contact.id).append(" (").append(email).append("):");
                allProperties(contact).forEach((name, value) -> text.append(' ').append(name).append('=').append(value).append(';'));
                text.append('\n');
            });
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- pipeline hooks

    @Override
    Optional<EmulatorResponse> authenticate(RecordedRequest request) {
        boolean valid = bearerToken(request).filter(accessToken::equals).isPresent();
        return valid ? Optional.empty() : Optional.of(error(401, "INVALID_AUTHENTICATION", AUTHENTICATION_MESSAGE));
    }

    /**
     * Over the configured window: HubSpot's rolling ten-second limit ({@code TEN_SECONDLY_ROLLING}, or {@code SECONDLY}
     * for a one-second window), or the daily one. HubSpot itself often sends no Retry-After; the emulator names the exact
     * time until the oldest request leaves the window, which tests use to check that a client waited at least that long.
     */
    @Override
    EmulatorResponse limitExceeded(RecordedRequest request, RequestLimiter.Decision decision) {
        boolean daily = decision.verdict() == RequestLimiter.Verdict.DAILY_EXCEEDED;
        String policy = daily ? "DAILY" : decision.usage().windowMillis() <= 1000 ? "SECONDLY" : "TEN_SECONDLY_ROLLING";
        return rateLimitRefusal(policy).header("Retry-After", Long.toString(decision.retryAfterSeconds()));
    }

    /**
     * A 429 as HubSpot answers it: {@code errorType} RATE_LIMIT, the policy that refused, the usual message, and no
     * Retry-After. An injected 429 is the per-second limit (the ten-second window's counters still show room, as they
     * do when HubSpot's secondly limit refuses a burst), with {@code X-HubSpot-RateLimit-Secondly-Remaining: 0}.
     */
    private static EmulatorResponse rateLimitRefusal(String policy) {
        String limit = switch (policy) {
            case "DAILY" -> "daily";
            case "SECONDLY" -> "secondly";
            default -> "ten_secondly_rolling";
        };
        JsonObject body = JsonSupport.JSON.createObjectBuilder()
                .add("status", "error")
                .add("message", "You have reached your " + limit + " limit.")
                .add("errorType", "RATE_LIMIT")
                .add("correlationId", UUID.randomUUID().toString())
                .add("policyName", policy)
                .add("requestId", UUID.randomUUID().toString())
                .build();
        EmulatorResponse response = EmulatorResponse.json(429, body);
        return "SECONDLY".equals(policy) ? response.header(SECONDLY_REMAINING, "0") : response;
    }

    private static final String SECONDLY_REMAINING = "X-HubSpot-RateLimit-Secondly-Remaining";

    @Override
    EmulatorResponse errorResponse(int status, String message) {
        return status == 429 ? rateLimitRefusal("SECONDLY") : error(status, categoryOf(status), message);
    }

    /**
     * HubSpot reports its quota on every answer; clients pace themselves by these. The per-second limit is the window's
     * rate (a window of 100 per 10 s allows 10 a second); its remaining count is only known on a refusal by it (0).
     */
    @Override
    void addCommonHeaders(RecordedRequest request, EmulatorResponse response, RequestLimiter.Usage usage) {
        long secondly = usage.windowMax() == RequestLimiter.UNLIMITED ? RequestLimiter.UNLIMITED
                : Math.max(1, (usage.windowMax() * 1000L + usage.windowMillis() - 1) / usage.windowMillis());
        response.header("X-HubSpot-RateLimit-Max", Integer.toString(usage.windowMax()))
                .header("X-HubSpot-RateLimit-Remaining", Integer.toString(usage.windowRemaining()))
                .header("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(usage.windowMillis()))
                .header("X-HubSpot-RateLimit-Secondly", Long.toString(secondly))
                .header("X-HubSpot-RateLimit-Daily", Integer.toString(usage.dailyMax()))
                .header("X-HubSpot-RateLimit-Daily-Remaining", Integer.toString(usage.dailyRemaining()));
    }

    @Override
    EmulatorResponse handleRequest(RecordedRequest request) {
        if (received.getAndIncrement() % checkEvery == 0) {
            long started = System.nanoTime();
            List<OpenApiContract.Violation> violations = contract.check(request);
            checkNanos.addAndGet(System.nanoTime() - started);
            checked.incrementAndGet();
            if (!violations.isEmpty()) {
                return contractViolation(request, violations);
            }
        }
        String method = request.method();
        String path = request.path();
        if (method.equals("POST") && path.equals(CONTACTS + "/batch/upsert")) {
            return batchUpsert(request);
        }
        if (method.equals("POST") && path.equals(CONTACTS + "/gdpr-delete")) {
            return gdprDelete(request);
        }
        Matcher single = SINGLE_CONTACT.matcher(path);
        if (method.equals("GET") && single.matches()) {
            return read(single.group(1), request);
        }
        // In HubSpot's contract, but not something guestbridge calls: say so plainly rather than pretend.
        return error(501, "NOT_IMPLEMENTED", "The crm-emulator does not implement " + request.describe());
    }

    // ---------------------------------------------------------------- endpoints

    private EmulatorResponse batchUpsert(RecordedRequest request) {
        Instant startedAt = clock.instant();
        // The contract check has already made sure of the shape: inputs[] of {id, properties{string}}.
        List<JsonObject> inputs = JsonSupport.parseObject(request.body()).orElseThrow()
                .getJsonArray("inputs").getValuesAs(JsonObject.class);
        if (inputs.size() > MAX_BATCH_INPUTS) {
            return error(400, "VALIDATION_ERROR", "Batch input size " + inputs.size()
                    + " exceeds the maximum of " + MAX_BATCH_INPUTS + " inputs per request");
        }
        for (JsonObject input : inputs) {
            String idProperty = JsonSupport.string(input, "idProperty").orElse("hs_object_id");
            if (!idProperty.equals("email")) {
                return error(400, "VALIDATION_ERROR", "The crm-emulator upserts contacts by idProperty \"email\" "
                        + "only; got idProperty \"" + idProperty + "\" for id " + input.getString("id"));
            }
        }
        Set<String> duplicates = duplicateIds(inputs);
        if (!duplicates.isEmpty()) {
            return error(400, "VALIDATION_ERROR",
                    "Duplicate IDs found in batch input: " + duplicates + ". IDs must be unique");
        }

        JsonArrayBuilder results = JsonSupport.JSON.createArrayBuilder();
        JsonArrayBuilder errors = JsonSupport.JSON.createArrayBuilder();
        int errorCount = 0;
        Rejection currentRejection = rejection;
        synchronized (storeLock) {
            for (JsonObject input : inputs) {
                String id = input.getString("id");
                String email = normalizeEmail(id);
                if (currentRejection != null && currentRejection.emails().test(email)) {
                    errors.add(batchError(currentRejection.message(), id));
                    errorCount++;
                    continue;
                }
                Map<String, String> sent = new LinkedHashMap<>();
                input.getJsonObject("properties").forEach((name, value) -> sent.put(name, ((JsonString) value).getString()));
                sent.put("email", email); // HubSpot keeps emails lower-cased, whatever the caller sent
                results.add(upsert(email, sent));
            }
        }
        JsonObjectBuilder body = JsonSupport.JSON.createObjectBuilder()
                .add("status", "COMPLETE")
                .add("results", results)
                .add("startedAt", JsonSupport.timestamp(startedAt))
                .add("completedAt", JsonSupport.timestamp(clock.instant()));
        if (errorCount == 0) {
            return EmulatorResponse.json(200, body.build());
        }
        body.add("numErrors", errorCount).add("errors", errors);
        return EmulatorResponse.json(207, body.build());
    }

    /** Creates or merges one contact (caller holds the store lock) and renders it as an upsert result. */
    private JsonObject upsert(String email, Map<String, String> sentProperties) {
        Instant now = clock.instant();
        Contact contact = contactsByEmail.get(email);
        boolean created = contact == null;
        if (created) {
            contact = new Contact(Long.toString(nextContactId++), now);
            contactsByEmail.put(email, contact);
            createdTotal++;
        }
        countStored(1);
        // Merge: properties sent overwrite, the others keep their values.
        contact.properties.putAll(sentProperties);
        contact.updatedAt = now;
        // HubSpot echoes the properties that were written, plus its system properties.
        Map<String, String> echoed = new LinkedHashMap<>(sentProperties);
        echoed.putAll(systemProperties(contact));
        return JsonSupport.JSON.createObjectBuilder(contactJson(contact, echoed))
                .add("new", created)
                .build();
    }

    private EmulatorResponse gdprDelete(RecordedRequest request) {
        JsonObject input = JsonSupport.parseObject(request.body()).orElseThrow();
        String objectId = input.getString("objectId");
        boolean byEmail = JsonSupport.string(input, "idProperty").map("email"::equals).orElse(false);
        synchronized (storeLock) {
            Optional<String> email = byEmail
                    ? Optional.of(normalizeEmail(objectId)).filter(contactsByEmail::containsKey)
                    : emailOfContactId(objectId);
            if (email.isEmpty()) {
                return objectNotFound(objectId);
            }
            contactsByEmail.remove(email.get());
            gdprDeleted.add(email.get());
        }
        return EmulatorResponse.empty(204);
    }

    private EmulatorResponse read(String contactId, RecordedRequest request) {
        Map<String, List<String>> query = request.queryParameters();
        boolean byEmail = query.getOrDefault("idProperty", List.of()).contains("email");
        List<String> wanted = query.getOrDefault("properties", List.of()).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .toList();
        synchronized (storeLock) {
            Optional<String> email = byEmail
                    ? Optional.of(normalizeEmail(contactId)).filter(contactsByEmail::containsKey)
                    : emailOfContactId(contactId);
            if (email.isEmpty()) {
                return objectNotFound(contactId);
            }
            Contact contact = contactsByEmail.get(email.get());
            // Like HubSpot: a few default properties unless the caller names the ones it wants.
            Map<String, String> shown = new LinkedHashMap<>();
            for (String name : wanted.isEmpty() ? DEFAULT_READ_PROPERTIES : wanted) {
                if (contact.properties.containsKey(name)) {
                    shown.put(name, contact.properties.get(name));
                }
            }
            shown.putAll(systemProperties(contact));
            return EmulatorResponse.json(200, contactJson(contact, shown));
        }
    }

    // ---------------------------------------------------------------- helpers

    private EmulatorResponse contractViolation(RecordedRequest request, List<OpenApiContract.Violation> violations) {
        JsonArrayBuilder details = JsonSupport.JSON.createArrayBuilder();
        List<String> messages = new ArrayList<>();
        for (OpenApiContract.Violation violation : violations) {
            contractViolations.add(request.describe() + ": " + violation.key() + ": " + violation.message());
            messages.add(violation.message());
            JsonObjectBuilder detail = JsonSupport.JSON.createObjectBuilder().add("message", violation.message());
            if (violation.pointer() != null && !violation.pointer().isEmpty()) {
                detail.add("in", violation.pointer());
            }
            details.add(detail);
        }
        int status = violations.get(0).status();
        // HubSpot words body errors as "Invalid input JSON ..."; other violations speak for themselves.
        String prefix = status == 400 ? "Invalid input JSON: " : "";
        JsonObject body = JsonSupport.JSON.createObjectBuilder()
                .add("status", "error")
                .add("message", prefix + String.join("; ", messages))
                .add("correlationId", UUID.randomUUID().toString())
                .add("category", categoryOf(status))
                .add("errors", details)
                .build();
        return EmulatorResponse.json(status, body);
    }

    private Optional<String> emailOfContactId(String contactId) {
        return contactsByEmail.entrySet().stream()
                .filter(entry -> entry.getValue().id.equals(contactId))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private static Set<String> duplicateIds(List<JsonObject> inputs) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new LinkedHashSet<>();
        for (JsonObject input : inputs) {
            String email = normalizeEmail(input.getString("id"));
            if (!seen.add(email)) {
                duplicates.add(email);
            }
        }
        return duplicates;
    }

    private static JsonObject batchError(String message, String id) {
        // StandardError in HubSpot's document requires errors and links as well, so they are present, empty.
        return JsonSupport.JSON.createObjectBuilder()
                .add("status", "error")
                .add("category", "VALIDATION_ERROR")
                .add("message", message)
                .add("context", JsonSupport.JSON.createObjectBuilder().add("ids", JsonSupport.JSON.createArrayBuilder().add(id)))
                .add("errors", JsonValue.EMPTY_JSON_ARRAY)
                .add("links", JsonValue.EMPTY_JSON_OBJECT)
                .build();
    }

    private static JsonObject contactJson(Contact contact, Map<String, String> properties) {
        JsonObjectBuilder shownProperties = JsonSupport.JSON.createObjectBuilder();
        properties.forEach(shownProperties::add);
        return JsonSupport.JSON.createObjectBuilder()
                .add("id", contact.id)
                .add("properties", shownProperties)
                .add("createdAt", JsonSupport.timestamp(contact.createdAt))
                .add("updatedAt", JsonSupport.timestamp(contact.updatedAt))
                .add("archived", false)
                .build();
    }

    private static Map<String, String> allProperties(Contact contact) {
        Map<String, String> all = new LinkedHashMap<>(contact.properties);
        all.putAll(systemProperties(contact));
        return Collections.unmodifiableMap(all);
    }

    /** The properties HubSpot maintains itself and always returns. */
    private static Map<String, String> systemProperties(Contact contact) {
        Map<String, String> system = new LinkedHashMap<>();
        system.put("createdate", JsonSupport.timestamp(contact.createdAt));
        system.put("hs_object_id", contact.id);
        system.put("lastmodifieddate", JsonSupport.timestamp(contact.updatedAt));
        return system;
    }

    private EmulatorResponse objectNotFound(String objectId) {
        JsonObject body = JsonSupport.JSON.createObjectBuilder()
                .add("status", "error")
                .add("message", "Object not found.  objectId are usually numeric.")
                .add("correlationId", UUID.randomUUID().toString())
                .add("context", JsonSupport.JSON.createObjectBuilder().add("id", JsonSupport.JSON.createArrayBuilder().add(objectId)))
                .add("category", "OBJECT_NOT_FOUND")
                .build();
        return EmulatorResponse.json(404, body);
    }

    private static EmulatorResponse error(int status, String category, String message) {
        JsonObject body = JsonSupport.JSON.createObjectBuilder()
                .add("status", "error")
                .add("message", message)
                .add("correlationId", UUID.randomUUID().toString())
                .add("category", category)
                .build();
        return EmulatorResponse.json(status, body);
    }

    private static String categoryOf(int status) {
        return switch (status) {
            case 400 -> "VALIDATION_ERROR";
            case 401 -> "INVALID_AUTHENTICATION";
            case 403 -> "MISSING_SCOPES";
            case 404 -> "OBJECT_NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 409 -> "CONFLICT";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 429 -> "RATE_LIMITS";
            default -> status >= 500 ? "INTERNAL_ERROR" : "ERROR";
        };
    }

    private static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
