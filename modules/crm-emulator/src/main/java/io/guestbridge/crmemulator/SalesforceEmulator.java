package io.guestbridge.crmemulator;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Salesforce as guestbridge uses it: the OAuth client-credentials token, upsert of Contacts in batches by an
 * external id field (sObject Collections), and deleting them by id. Salesforce answers these with HTTP 200
 * and a result per record, so partial failures are in the body, not the status.
 */
public final class SalesforceEmulator extends ServiceEmulator {

    public static final String DEFAULT_CLIENT_ID = "sf-client";
    public static final String DEFAULT_CLIENT_SECRET = "sf-secret";
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(2);

    /** sObject Collections take at most 200 records (or ids) per call. */
    public static final int MAX_RECORDS = 200;

    private static final String TOKEN_PATH = "/services/oauth2/token";
    private static final Pattern UPSERT_PATH =
            Pattern.compile("^/services/data/v\\d+\\.\\d+/composite/sobjects/Contact/([A-Za-z0-9_]+)$");
    private static final Pattern COLLECTION_PATH = Pattern.compile("^/services/data/v\\d+\\.\\d+/composite/sobjects$");
    private static final Pattern QUERY_PATH = Pattern.compile("^/services/data/v\\d+\\.\\d+/query$");
    /** The one SOQL shape the emulator answers: the lookup of contacts by one field, as erasure needs it. */
    private static final Pattern SOQL_LOOKUP = Pattern.compile("(?i)^SELECT\\s+Id\\s+FROM\\s+Contact\\s+WHERE\\s+(\\w+)\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*$");
    private static final Pattern SALESFORCE_ID = Pattern.compile("^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$");

    /** The emulated org's id, which Salesforce puts before the '!' of every access token. */
    private static final String ORG_ID = "00DEM0000000001";

    /** Contact ids start with Contact's key prefix, 003, then "EM" for emulator and a sequence number. */
    private static final String CONTACT_ID_PREFIX = "003EM";

    private record RecordRejection(Predicate<Map<String, Object>> records, String errorCode, String message,
                                   List<String> fields) {
    }

    /** The outcome of one record or id, before it is committed or rolled back. */
    private record Outcome(String id, boolean created, JsonObject error) {
        boolean success() {
            return error == null;
        }
    }

    private final String instanceUrl;
    private volatile String clientId = DEFAULT_CLIENT_ID;
    private volatile String clientSecret = DEFAULT_CLIENT_SECRET;
    private volatile Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
    private volatile RecordRejection rejection;

    /** Valid tokens and when each expires. */
    private final Map<String, Instant> tokenExpiry = new HashMap<>();
    private int tokensIssued;
    private long tokenSequence;

    /** Guards the contacts, the id sequence and the deletion log, which change together. */
    private final Object storeLock = new Object();
    private final Map<String, Map<String, Object>> contactsById = new LinkedHashMap<>();
    /**
     * The contacts by the value of each field an upsert or a lookup has keyed by (field name in lower case, as field
     * names are case-insensitive): built once when a field is first used, then kept up to date with every stored,
     * changed or deleted contact, so that an upsert costs what its records cost, not what the store holds.
     */
    private final Map<String, ExternalIdIndex> indexes = new HashMap<>();
    private long nextContactNumber = 1;
    private final List<String> deletedIds = new ArrayList<>();

    SalesforceEmulator(Clock clock, String instanceUrl) {
        super("Salesforce", clock, Integer.MAX_VALUE);
        this.instanceUrl = instanceUrl;
    }

    // ---------------------------------------------------------------- controls for tests

    /** The connected app's client id and secret the token endpoint accepts (defaults sf-client / sf-secret). */
    public void clientCredentials(String clientId, String clientSecret) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    }

    /** How long a newly issued token is accepted (default 2 hours, Salesforce's default session timeout). */
    public void tokenLifetime(Duration lifetime) {
        if (lifetime.isNegative()) {
            throw new IllegalArgumentException("lifetime must not be negative, was " + lifetime);
        }
        this.tokenLifetime = lifetime;
    }

    /** How many access tokens the token endpoint has handed out. */
    public int tokensIssued() {
        synchronized (tokenExpiry) {
            return tokensIssued;
        }
    }

    /** Ends every session issued so far, as when an admin revokes them or they time out: data calls get 401. */
    public void expireTokens() {
        synchronized (tokenExpiry) {
            tokenExpiry.clear();
        }
    }

    /** Records that match fail with this error code and message (e.g. DUPLICATES_DETECTED) until reset. */
    public void rejectRecords(Predicate<Map<String, Object>> recordPredicate, String errorCode, String message) {
        rejectRecords(recordPredicate, errorCode, message, List.of());
    }

    /** Like {@link #rejectRecords(Predicate, String, String)}, naming the fields the error is about. */
    public void rejectRecords(Predicate<Map<String, Object>> recordPredicate, String errorCode, String message,
                              List<String> fields) {
        this.rejection = new RecordRejection(Objects.requireNonNull(recordPredicate, "recordPredicate"),
                Objects.requireNonNull(errorCode, "errorCode"), Objects.requireNonNull(message, "message"),
                List.copyOf(fields));
    }

    /**
     * All contacts by id; each holds its fields, including {@code Id}. Field names are case-insensitive, as in
     * Salesforce: {@code get("email")} finds {@code Email}.
     */
    public Map<String, Map<String, Object>> contacts() {
        synchronized (storeLock) {
            Map<String, Map<String, Object>> snapshot = new LinkedHashMap<>();
            contactsById.forEach((id, fields) -> snapshot.put(id, snapshotOf(fields)));
            return Collections.unmodifiableMap(snapshot);
        }
    }

    /** How many contacts are stored. */
    public int contactCount() {
        synchronized (storeLock) {
            return contactsById.size();
        }
    }

    /** The contact whose {@code field} equals {@code value} (strings compared ignoring case), if any. */
    public Optional<Map<String, Object>> contactWhere(String field, Object value) {
        synchronized (storeLock) {
            return value == null ? Optional.empty()
                    : Optional.ofNullable(indexOf(field).first(keyOf(value))).map(contactsById::get).map(SalesforceEmulator::snapshotOf);
        }
    }

    /** Ids of the contacts deleted, in order. */
    public List<String> deletedIds() {
        synchronized (storeLock) {
            return List.copyOf(deletedIds);
        }
    }

    /** The instance URL handed out with tokens, where data calls go: the emulator's base URL. */
    public String instanceUrl() {
        return instanceUrl;
    }

    @Override
    void clearState() {
        clientId = DEFAULT_CLIENT_ID;
        clientSecret = DEFAULT_CLIENT_SECRET;
        tokenLifetime = DEFAULT_TOKEN_LIFETIME;
        rejection = null;
        synchronized (tokenExpiry) {
            tokenExpiry.clear();
            tokensIssued = 0;
            tokenSequence = 0;
        }
        synchronized (storeLock) {
            contactsById.clear();
            indexes.clear();
            nextContactNumber = 1;
            deletedIds.clear();
        }
    }

    /** Deleted contacts leave the store at once (the emulator has no recycle bin), so the live ones are all of it. */
    @Override
    String storedText() {
        StringBuilder text = new StringBuilder("Salesforce contacts\n");
        synchronized (storeLock) {
            contactsById.forEach((id, fields) -> {
                text.append("  contact ").append(id).append(':');
                fields.forEach((name, value) -> text.append(' ').append(name).append('=').append(value).append(';'));
                text.append('\n');
            });
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- pipeline hooks

    @Override
    Optional<EmulatorResponse> authenticate(RecordedRequest request) {
        if (isTokenRequest(request)) {
            return Optional.empty(); // the token endpoint checks the client's credentials itself
        }
        Instant now = clock.instant();
        boolean valid = bearerToken(request).map(token -> {
            synchronized (tokenExpiry) {
                Instant expiry = tokenExpiry.get(token);
                return expiry != null && now.isBefore(expiry);
            }
        }).orElse(false);
        return valid ? Optional.empty() : Optional.of(errors(401, "INVALID_SESSION_ID", "Session expired or invalid"));
    }

    /** Salesforce does not count OAuth token requests against the org's API requests. */
    @Override
    boolean countsAgainstLimits(RecordedRequest request) {
        return !isTokenRequest(request);
    }

    /** Salesforce's over-quota answer is 403 with no Retry-After: the allowance is per 24 hours. */
    @Override
    EmulatorResponse limitExceeded(RecordedRequest request, RequestLimiter.Decision decision) {
        return errors(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
    }

    @Override
    EmulatorResponse errorResponse(int status, String message) {
        return errors(status, errorCodeOf(status), message);
    }

    /** Every REST API answer reports the org's daily API usage. */
    @Override
    void addCommonHeaders(RecordedRequest request, EmulatorResponse response, RequestLimiter.Usage usage) {
        if (!isTokenRequest(request)) {
            response.header("Sforce-Limit-Info", "api-usage=" + usage.dailyUsed() + "/" + usage.dailyMax());
        }
    }

    @Override
    EmulatorResponse handleRequest(RecordedRequest request) {
        if (isTokenRequest(request)) {
            return request.method().equals("POST") ? issueToken(request) : methodNotAllowed(request, "POST");
        }
        Matcher upsert = UPSERT_PATH.matcher(request.path());
        if (upsert.matches()) {
            return request.method().equals("PATCH") ? upsert(request, upsert.group(1)) : methodNotAllowed(request, "PATCH");
        }
        if (COLLECTION_PATH.matcher(request.path()).matches()) {
            return request.method().equals("DELETE") ? delete(request) : methodNotAllowed(request, "DELETE");
        }
        if (QUERY_PATH.matcher(request.path()).matches()) {
            return request.method().equals("GET") ? query(request) : methodNotAllowed(request, "GET");
        }
        return errors(404, "NOT_FOUND", "The requested resource does not exist");
    }

    // ---------------------------------------------------------------- endpoints

    /** {@code GET …/query?q=SELECT Id FROM Contact WHERE Field = 'value'}: the lookup erasure needs, nothing more. */
    private EmulatorResponse query(RecordedRequest request) {
        List<String> q = request.queryParameters().get("q");
        Matcher soql = q == null || q.isEmpty() ? null : SOQL_LOOKUP.matcher(q.get(0).trim());
        if (soql == null || !soql.matches()) {
            return errors(400, "MALFORMED_QUERY", "the emulator answers only SELECT Id FROM Contact WHERE <Field> = '<value>'");
        }
        String field = soql.group(1);
        String value = soql.group(2).replaceAll("\\\\(.)", "$1");
        jakarta.json.JsonArrayBuilder records = JsonSupport.JSON.createArrayBuilder();
        int found = 0;
        synchronized (storeLock) {
            for (String id : indexOf(field).all(keyOf(value))) {
                records.add(JsonSupport.JSON.createObjectBuilder().add("attributes", JsonSupport.JSON.createObjectBuilder().add("type", "Contact"))
                        .add("Id", id));
                found++;
            }
        }
        return EmulatorResponse.json(200, JsonSupport.JSON.createObjectBuilder().add("totalSize", found).add("done", true).add("records", records).build());
    }

    private EmulatorResponse issueToken(RecordedRequest request) {
        Map<String, List<String>> form = RecordedRequest.parseUrlEncoded(request.body());
        if (!"client_credentials".equals(first(form, "grant_type"))) {
            return oauthError("unsupported_grant_type", "grant type not supported");
        }
        if (!clientId.equals(first(form, "client_id")) || !clientSecret.equals(first(form, "client_secret"))) {
            return oauthError("invalid_client", "invalid client credentials");
        }
        Instant issuedAt = clock.instant();
        String token;
        synchronized (tokenExpiry) {
            token = ORG_ID + "!EMULATED." + (++tokenSequence);
            tokenExpiry.put(token, issuedAt.plus(tokenLifetime));
            tokensIssued++;
        }
        String identityUrl = instanceUrl + "/id/" + withChecksum(ORG_ID) + "/" + withChecksum("005EM0000000001");
        String issuedAtMillis = Long.toString(issuedAt.toEpochMilli());
        JsonObject body = JsonSupport.JSON.createObjectBuilder()
                .add("access_token", token)
                .add("signature", signature(identityUrl + issuedAtMillis))
                .add("scope", "api")
                .add("instance_url", instanceUrl)
                .add("id", identityUrl)
                .add("token_type", "Bearer")
                .add("issued_at", issuedAtMillis)
                .build();
        return EmulatorResponse.json(200, body);
    }

    private EmulatorResponse upsert(RecordedRequest request, String externalIdField) {
        Optional<JsonObject> parsed = JsonSupport.parseObject(request.body());
        if (parsed.isEmpty() || !(parsed.get().get("records") instanceof JsonArray)) {
            return errors(400, "JSON_PARSER_ERROR", "The request body must be a JSON object with a records array");
        }
        JsonObject body = parsed.get();
        JsonArray records = body.getJsonArray("records");
        if (records.size() > MAX_RECORDS) {
            return errors(400, "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + MAX_RECORDS + " records into this call");
        }
        boolean allOrNone = body.getBoolean("allOrNone", false);
        RecordRejection currentRejection = rejection;

        List<Outcome> outcomes = new ArrayList<>();
        synchronized (storeLock) {
            long firstUnusedNumber = nextContactNumber;
            // Changes are staged and applied only at the end, so that allOrNone can roll the whole call back.
            Map<String, Map<String, Object>> staged = new LinkedHashMap<>();
            ExternalIdIndex index = indexOf(externalIdField);
            // the keys of the contacts this call creates: in the index only once the call is committed
            Map<String, String> createdByKey = new HashMap<>();
            for (JsonValue element : records) {
                outcomes.add(stageRecord(element, externalIdField, currentRejection, staged, index, createdByKey));
            }
            boolean anyFailed = outcomes.stream().anyMatch(outcome -> !outcome.success());
            if (allOrNone && anyFailed) {
                nextContactNumber = firstUnusedNumber; // nothing was created, so no id was used
                return EmulatorResponse.json(200, rolledBack(outcomes, null));
            }
            staged.forEach(this::store);
            countStored((int) outcomes.stream().filter(Outcome::success).count());
        }
        JsonArrayBuilder results = JsonSupport.JSON.createArrayBuilder();
        for (Outcome outcome : outcomes) {
            results.add(outcome.success()
                    ? JsonSupport.JSON.createObjectBuilder().add("id", outcome.id()).add("success", true)
                            .add("errors", JsonValue.EMPTY_JSON_ARRAY).add("created", outcome.created())
                    : failure(null, outcome.error()));
        }
        return EmulatorResponse.json(200, results.build());
    }

    /** Checks one record and stages its change (caller holds the store lock). */
    private Outcome stageRecord(JsonValue element, String externalIdField, RecordRejection currentRejection,
                                Map<String, Map<String, Object>> staged, ExternalIdIndex index, Map<String, String> createdByKey) {
        if (element.getValueType() != JsonValue.ValueType.OBJECT) {
            return failed("JSON_PARSER_ERROR", "Each record must be a JSON object", List.of());
        }
        JsonObject record = element.asJsonObject();
        JsonObject attributes = record.get("attributes") instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        String type = JsonSupport.string(attributes, "type").orElse("Contact");
        if (!type.equals("Contact")) {
            return failed("INVALID_TYPE", "Record type " + type + " does not match the URL's sObject Contact", List.of());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> asSent = (Map<String, Object>) JsonSupport.toJava(record);
        if (currentRejection != null && currentRejection.records().test(asSent)) {
            return failed(currentRejection.errorCode(), currentRejection.message(), currentRejection.fields());
        }
        Map<String, Object> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.putAll(asSent);
        fields.remove("attributes");
        fields.remove("Id"); // the id is Salesforce's to assign; an upsert by external id never sets it
        Object externalKey = fields.get(externalIdField);
        if (externalKey == null || externalKey.toString().isBlank()) {
            return failed("MISSING_ARGUMENT", externalIdField + " not specified", List.of(externalIdField));
        }
        String existingId = createdByKey.getOrDefault(keyOf(externalKey), index.first(keyOf(externalKey)));
        Map<String, Object> existing = existingId == null ? null
                : staged.getOrDefault(existingId, contactsById.get(existingId));
        // Contact requires LastName: on create it must be given, on update it must not be blanked.
        boolean lastNameMissing = existing == null ? isBlank(fields.get("LastName"))
                : fields.containsKey("LastName") && isBlank(fields.get("LastName"));
        if (lastNameMissing) {
            return failed("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", List.of("LastName"));
        }
        if (existing == null) {
            String id = withChecksum(CONTACT_ID_PREFIX + String.format(Locale.ROOT, "%010d", nextContactNumber++));
            Map<String, Object> created = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            created.put("Id", id);
            created.putAll(fields);
            staged.put(id, created);
            createdByKey.put(keyOf(externalKey), id);
            return new Outcome(id, true, null);
        }
        Map<String, Object> updated = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        updated.putAll(existing);
        updated.putAll(fields); // given fields overwrite, the others stay
        staged.put(existingId, updated);
        return new Outcome(existingId, false, null);
    }

    private EmulatorResponse delete(RecordedRequest request) {
        Map<String, List<String>> query = request.queryParameters();
        List<String> ids = Arrays.stream(first(query, "ids") == null ? new String[0] : first(query, "ids").split(","))
                .map(String::trim)
                .filter(id -> !id.isEmpty())
                .toList();
        if (ids.isEmpty()) {
            return errors(400, "MISSING_ARGUMENT", "ids parameter is required");
        }
        if (ids.size() > MAX_RECORDS) {
            return errors(400, "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + MAX_RECORDS + " records into this call");
        }
        boolean allOrNone = Boolean.parseBoolean(first(query, "allOrNone"));
        List<Outcome> outcomes = new ArrayList<>();
        synchronized (storeLock) {
            List<String> toDelete = new ArrayList<>();
            for (String id : ids) {
                if (!SALESFORCE_ID.matcher(id).matches()) {
                    outcomes.add(failed("MALFORMED_ID", "malformed id " + id, List.of()));
                } else if (deletedIds.contains(id) || toDelete.contains(id)) {
                    outcomes.add(failed("ENTITY_IS_DELETED", "entity is deleted", List.of()));
                } else if (!contactsById.containsKey(id)) {
                    outcomes.add(failed("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of()));
                } else {
                    toDelete.add(id);
                    outcomes.add(new Outcome(id, false, null));
                }
            }
            if (allOrNone && outcomes.stream().anyMatch(outcome -> !outcome.success())) {
                return EmulatorResponse.json(200, rolledBack(outcomes, ids));
            }
            toDelete.forEach(this::remove);
            deletedIds.addAll(toDelete);
        }
        JsonArrayBuilder results = JsonSupport.JSON.createArrayBuilder();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            results.add(outcome.success()
                    ? JsonSupport.JSON.createObjectBuilder().add("id", outcome.id()).add("success", true)
                            .add("errors", JsonValue.EMPTY_JSON_ARRAY)
                    : failure(ids.get(i), outcome.error()));
        }
        return EmulatorResponse.json(200, results.build());
    }

    // ---------------------------------------------------------------- helpers

    /**
     * With allOrNone, Salesforce reports every record as failed: the bad ones with their own error, the
     * good ones as rolled back. {@code ids} are the ids a delete named, or {@code null} for an upsert.
     */
    private static JsonArray rolledBack(List<Outcome> outcomes, List<String> ids) {
        JsonObject rollback = errorJson("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                "Record rolled back because not all records were valid and the request was using AllOrNone header",
                List.of());
        JsonArrayBuilder results = JsonSupport.JSON.createArrayBuilder();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            results.add(failure(ids == null ? null : ids.get(i), outcome.success() ? rollback : outcome.error()));
        }
        return results.build();
    }

    private static JsonObjectBuilder failure(String id, JsonObject error) {
        JsonObjectBuilder result = JsonSupport.JSON.createObjectBuilder();
        if (id != null) {
            result.add("id", id);
        }
        return result.add("success", false).add("errors", JsonSupport.JSON.createArrayBuilder().add(error));
    }

    private static Outcome failed(String statusCode, String message, List<String> fields) {
        return new Outcome(null, false, errorJson(statusCode, message, fields));
    }

    private static JsonObject errorJson(String statusCode, String message, List<String> fields) {
        JsonArrayBuilder fieldNames = JsonSupport.JSON.createArrayBuilder();
        fields.forEach(fieldNames::add);
        return JsonSupport.JSON.createObjectBuilder()
                .add("statusCode", statusCode)
                .add("message", message)
                .add("fields", fieldNames)
                .build();
    }

    /** The index of a field, built from the stored contacts when the field is first used (caller holds the store lock). */
    private ExternalIdIndex indexOf(String field) {
        return indexes.computeIfAbsent(field.toLowerCase(Locale.ROOT), name -> {
            ExternalIdIndex index = new ExternalIdIndex();
            contactsById.forEach((id, fields) -> {
                Object value = fields.get(field);
                if (value != null) {
                    index.add(keyOf(value), id);
                }
            });
            return index;
        });
    }

    /** Stores a created or changed contact and moves it in every index whose field it changed (caller holds the store lock). */
    private void store(String id, Map<String, Object> fields) {
        Map<String, Object> before = contactsById.put(id, fields);
        indexes.forEach((field, index) -> {
            Object old = before == null ? null : before.get(field);
            Object now = fields.get(field);
            String oldKey = old == null ? null : keyOf(old);
            String newKey = now == null ? null : keyOf(now);
            if (!Objects.equals(oldKey, newKey)) {
                if (oldKey != null) {
                    index.remove(oldKey, id);
                }
                if (newKey != null) {
                    index.add(newKey, id);
                }
            }
        });
    }

    /** Removes a contact from the store and from every index (caller holds the store lock). */
    private void remove(String id) {
        Map<String, Object> fields = contactsById.remove(id);
        if (fields != null) {
            indexes.forEach((field, index) -> {
                Object value = fields.get(field);
                if (value != null) {
                    index.remove(keyOf(value), id);
                }
            });
        }
    }

    /**
     * The ids of the contacts holding each value of one field. An upsert by a field finds the contact created first with
     * the value, as the scan of the store in creation order did: contact ids grow with creation (a zero-padded sequence
     * number after a fixed prefix), so the smallest id is the oldest contact. A value nearly always names one contact;
     * the few held by several (a field other than the upsert's key may repeat) keep their ids in a sorted set.
     */
    private static final class ExternalIdIndex {
        private final Map<String, String> oldest = new HashMap<>();
        private final Map<String, java.util.TreeSet<String>> shared = new HashMap<>();

        String first(String key) {
            return oldest.get(key);
        }

        List<String> all(String key) {
            java.util.TreeSet<String> ids = shared.get(key);
            if (ids != null) {
                return List.copyOf(ids);
            }
            String id = oldest.get(key);
            return id == null ? List.of() : List.of(id);
        }

        void add(String key, String id) {
            String present = oldest.putIfAbsent(key, id);
            if (present != null && !present.equals(id)) {
                java.util.TreeSet<String> ids = shared.computeIfAbsent(key, k -> new java.util.TreeSet<>(List.of(present)));
                ids.add(id);
                oldest.put(key, ids.first());
            }
        }

        void remove(String key, String id) {
            java.util.TreeSet<String> ids = shared.get(key);
            if (ids == null) {
                oldest.remove(key, id);
                return;
            }
            ids.remove(id);
            oldest.put(key, ids.first());
            if (ids.size() == 1) {
                shared.remove(key);
            }
        }
    }

    /** External ids match without regard to case, as Salesforce's default (case-insensitive) external ids do. */
    private static String keyOf(Object value) {
        return value.toString().trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isBlank(Object value) {
        return value == null || value.toString().isBlank();
    }

    private static Map<String, Object> snapshotOf(Map<String, Object> fields) {
        Map<String, Object> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(fields);
        return Collections.unmodifiableMap(copy);
    }

    private static boolean isTokenRequest(RecordedRequest request) {
        return request.path().equals(TOKEN_PATH);
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private EmulatorResponse oauthError(String error, String description) {
        JsonObject body = JsonSupport.JSON.createObjectBuilder().add("error", error).add("error_description", description).build();
        return EmulatorResponse.json(400, body);
    }

    private static EmulatorResponse methodNotAllowed(RecordedRequest request, String allowed) {
        return errors(405, "METHOD_NOT_ALLOWED",
                "HTTP Method '" + request.method() + "' not allowed. Allowed are " + allowed)
                .header("Allow", allowed);
    }

    /** Salesforce's REST error body: an array of {message, errorCode}. */
    private static EmulatorResponse errors(int status, String errorCode, String message) {
        JsonArray body = JsonSupport.JSON.createArrayBuilder()
                .add(JsonSupport.JSON.createObjectBuilder().add("message", message).add("errorCode", errorCode))
                .build();
        return EmulatorResponse.json(status, body);
    }

    private static String errorCodeOf(int status) {
        return switch (status) {
            case 400 -> "MALFORMED_QUERY";
            case 401 -> "INVALID_SESSION_ID";
            case 403 -> "INSUFFICIENT_ACCESS";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 503 -> "SERVER_UNAVAILABLE";
            default -> "UNKNOWN_EXCEPTION";
        };
    }

    /** Base64 HMAC-SHA256 over the identity URL and issue time, keyed by the client secret, as Salesforce signs. */
    private String signature(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * Turns a 15-character Salesforce id into the 18-character form with its case-safe suffix, so ids look and
     * check like real ones: each suffix character encodes which of five id characters are upper case.
     */
    static String withChecksum(String id15) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        StringBuilder id = new StringBuilder(id15);
        for (int chunk = 0; chunk < 3; chunk++) {
            int flags = 0;
            for (int position = 0; position < 5; position++) {
                char c = id15.charAt(chunk * 5 + position);
                if (c >= 'A' && c <= 'Z') {
                    flags |= 1 << position;
                }
            }
            id.append(alphabet.charAt(flags));
        }
        return id.toString();
    }
}
