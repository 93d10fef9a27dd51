package io.guestbridge.crmsync.internal.connectors.salesforce;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmClient;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.crmsync.internal.connectors.CrmWire;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.Redaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Salesforce REST API: Contacts upserted by an external id field with sObject Collections
 * ({@code PATCH /services/data/vXX.X/composite/sobjects/Contact/<field>}, at most 200 records, allOrNone=false,
 * one result per record in order), and erased by looking their ids up with SOQL and deleting them with
 * {@code DELETE /services/data/vXX.X/composite/sobjects?ids=…}.
 *
 * <p>Authentication is the OAuth 2.0 client-credentials flow. The access token and the {@code instance_url}
 * it comes with are cached per connector: Salesforce returns no {@code expires_in} for this flow, so a token
 * is used until a data call gets 401 (then one fresh token is fetched and the call is sent once more) or it
 * is older than the maximum age. Every outcome is an answer, never an exception; messages never carry values.
 */
@ApplicationScoped
public class SalesforceClient implements CrmClient {

    static final Duration DEFAULT_TOKEN_MAX_AGE = Duration.ofHours(1);

    /** Salesforce answers a spent API allowance with 403 REQUEST_LIMIT_EXCEEDED and no Retry-After. */
    static final Duration REQUEST_LIMIT_WAIT = Duration.ofSeconds(60);

    static final String DEFAULT_API_VERSION = "60.0";
    static final String DEFAULT_EXTERNAL_ID_FIELD = "Email";

    /** sObject Collections take at most 200 records (or ids) per call. */
    static final int MAX_RECORDS = 200;

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern API_VERSION = Pattern.compile("\\d+\\.\\d+");

    /** An access token, the instance it is good for, and the settings it was obtained with. */
    private record Session(String accessToken, String instanceUrl, long obtainedNanos, String tokenUrl, String clientId, String clientSecret) {

        boolean usableFor(ConnectorSettings connector, Duration maxAge) {
            return tokenUrl.equals(SalesforceClient.tokenUrl(connector)) && clientId.equals(connector.option("client-id"))
                    && clientSecret.equals(connector.option("client-secret")) && System.nanoTime() - obtainedNanos < maxAge.toNanos();
        }

        @Override
        public String toString() {
            return "Session[" + instanceUrl + ", token redacted]";
        }
    }

    /** A response, or the answer to give instead when there was none worth reading. */
    private record Exchange(HttpResponse<String> response, CrmAnswer failure) {
    }

    private final HttpClient http;
    private final Duration tokenMaxAge;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Object> sessionLocks = new ConcurrentHashMap<>();

    /** The container's bean, on the one guarded HTTP client of the CRM calls. */
    @Inject
    SalesforceClient(CrmWire wire) {
        this(wire.http());
    }

    /** For the container's proxy only. */
    SalesforceClient() {
        this.http = null;
        this.tokenMaxAge = null;
    }

    SalesforceClient(HttpClient http) {
        this(http, DEFAULT_TOKEN_MAX_AGE);
    }

    SalesforceClient(HttpClient http, Duration tokenMaxAge) {
        this.http = Objects.requireNonNull(http, "http");
        this.tokenMaxAge = Objects.requireNonNull(tokenMaxAge, "tokenMaxAge");
    }

    // ---------------------------------------------------------------- upsert

    @Override
    @Timeout(60000)
    @Bulkhead(10)
    public CrmAnswer upsert(ConnectorSettings connector, List<CrmRecord> records) {
        int chunk = Math.max(1, Math.min(connector.batchSize(), MAX_RECORDS));
        Map<String, String> succeeded = new HashMap<>();
        Set<String> created = new HashSet<>();
        Map<String, String> failed = new HashMap<>();
        int status = 0;
        for (int from = 0; from < records.size(); from += chunk) {
            CrmAnswer answer = upsertChunk(connector, records.subList(from, Math.min(records.size(), from + chunk)));
            status = answer.status();
            succeeded.putAll(answer.succeeded());
            created.addAll(answer.created());
            failed.putAll(answer.failed());
            if (answer.retryAfter() != null || answer.problem() != null) {
                // the chunks already sent keep their results; the records of this and later chunks are in neither map
                return new CrmAnswer(status, answer.retryAfter(), succeeded, created, failed, answer.permanent(), answer.problem());
            }
        }
        return new CrmAnswer(status, null, succeeded, created, failed, true, null);
    }

    /** The connector's session, fetched now unless one is cached: a data call after this one needs no token request first. */
    @Override
    public Optional<CrmAnswer> prepare(ConnectorSettings connector) {
        return session(connector, null) instanceof CrmAnswer failure ? Optional.of(failure) : Optional.empty();
    }

    /**
     * The Collections upsert's body, written straight into its UTF-8 bytes (no builder tree, no string of the whole body):
     * each record's properties, and its email as the external id when that is the default field and no property holds it.
     */
    static byte[] collection(List<CrmRecord> records, String field) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + records.size() * 256);
        try (jakarta.json.stream.JsonGenerator json = Jsonp.JSON.createGenerator(out)) {
            json.writeStartObject().write("allOrNone", false).writeStartArray("records");
            for (CrmRecord record : records) {
                json.writeStartObject().writeStartObject("attributes").write("type", "Contact").writeEnd();
                boolean hasExternalId = false;
                for (Map.Entry<String, String> property : record.properties().entrySet()) {
                    json.write(property.getKey(), property.getValue());
                    hasExternalId |= property.getKey().equalsIgnoreCase(field);
                }
                if (!hasExternalId && field.equalsIgnoreCase(DEFAULT_EXTERNAL_ID_FIELD)) {
                    json.write(field, record.email());
                }
                json.writeEnd();
            }
            json.writeEnd().writeEnd();
        }
        return out.toByteArray();
    }

    private CrmAnswer upsertChunk(ConnectorSettings connector, List<CrmRecord> records) {
        String field = externalIdField(connector);
        if (field == null) {
            return CrmAnswer.permanentFailure(0, "crm." + connector.name() + ".external-id-field must be a Salesforce field name");
        }
        String version = apiVersion(connector);
        if (version == null) {
            return CrmAnswer.permanentFailure(0, "crm." + connector.name() + ".api-version must look like 60.0");
        }
        byte[] body = collection(records, field);
        Exchange exchange = call(connector, session -> HttpRequest.newBuilder(
                        URI.create(session.instanceUrl() + "/services/data/v" + version + "/composite/sobjects/Contact/" + field))
                .timeout(connector.timeout()).header("Authorization", "Bearer " + session.accessToken())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (exchange.failure() != null) {
            return exchange.failure();
        }
        HttpResponse<String> response = exchange.response();
        int status = response.statusCode();
        if (status != 200) {
            return refusal(connector, response, "the batch");
        }
        JsonArray results = readArray(response.body());
        if (results == null) {
            return CrmAnswer.transientFailure(status, "Salesforce answered the upsert with a body that is not a result array");
        }
        Map<String, String> succeeded = new HashMap<>();
        Set<String> created = new HashSet<>();
        Map<String, String> failed = new HashMap<>();
        // sObject Collections answer one result per record, in the order sent; records beyond the results stay unreported
        for (int i = 0; i < Math.min(records.size(), results.size()); i++) {
            CrmRecord record = records.get(i);
            String email = record.email().toLowerCase(Locale.ROOT);
            if (results.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
                continue;
            }
            JsonObject result = results.get(i).asJsonObject();
            if (result.getBoolean("success", false)) {
                succeeded.put(email, result.getString("id", ""));
                if (result.getBoolean("created", false)) {
                    created.add(email);
                }
            } else {
                failed.put(email, firstError(result, record));
            }
        }
        return new CrmAnswer(status, null, succeeded, created, failed, true, null);
    }

    // ---------------------------------------------------------------- erase

    /**
     * Finds the contacts whose email field (the field the connector maps EMAIL to, else Email) holds the
     * address with SOQL, and deletes them by id. No contact: succeeded, nothing to delete.
     */
    @Override
    @Bulkhead(10) // no @Timeout: each request of an erasure is bounded, body included, by the outbound client (connector timeout)
    public CrmAnswer erase(ConnectorSettings connector, String email) {
        String key = email.toLowerCase(Locale.ROOT);
        String version = apiVersion(connector);
        if (version == null) {
            return CrmAnswer.permanentFailure(0, "crm." + connector.name() + ".api-version must look like 60.0");
        }
        String field = connector.mapping().getOrDefault("EMAIL", DEFAULT_EXTERNAL_ID_FIELD);
        if (!FIELD_NAME.matcher(field).matches()) {
            return CrmAnswer.permanentFailure(0, "crm." + connector.name() + ".mapping.email must be a Salesforce field name");
        }
        String soql = "SELECT Id FROM Contact WHERE " + field + " = '" + soqlEscape(email.trim()) + "'";
        String query = "/services/data/v" + version + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8);
        Exchange lookup = call(connector, session -> HttpRequest.newBuilder(URI.create(session.instanceUrl() + query))
                .timeout(connector.timeout()).header("Authorization", "Bearer " + session.accessToken())
                .header("Accept", "application/json").GET().build());
        if (lookup.failure() != null) {
            return lookup.failure();
        }
        if (lookup.response().statusCode() != 200) {
            return refusal(connector, lookup.response(), "the contact lookup");
        }
        JsonObject found = readObject(lookup.response().body());
        if (found == null || !(found.get("records") instanceof JsonArray matches)) {
            return CrmAnswer.transientFailure(200, "Salesforce answered the contact lookup with a body that is not a query result");
        }
        List<String> ids = new ArrayList<>();
        for (JsonValue match : matches) {
            if (match instanceof JsonObject contact && contact.get("Id") instanceof JsonString id) {
                ids.add(id.getString());
            }
        }
        if (ids.isEmpty()) {
            return new CrmAnswer(200, null, Map.of(key, "not-found"), Set.of(), Map.of(), false, null);
        }
        List<String> deleted = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += MAX_RECORDS) {
            String idList = String.join(",", ids.subList(from, Math.min(ids.size(), from + MAX_RECORDS)));
            String path = "/services/data/v" + version + "/composite/sobjects?ids=" + idList + "&allOrNone=false";
            Exchange exchange = call(connector, session -> HttpRequest.newBuilder(URI.create(session.instanceUrl() + path))
                    .timeout(connector.timeout()).header("Authorization", "Bearer " + session.accessToken())
                    .header("Accept", "application/json").DELETE().build());
            if (exchange.failure() != null) {
                return exchange.failure();
            }
            if (exchange.response().statusCode() != 200) {
                return refusal(connector, exchange.response(), "the deletion");
            }
            JsonArray results = readArray(exchange.response().body());
            if (results == null) {
                return CrmAnswer.transientFailure(200, "Salesforce answered the deletion with a body that is not a result array");
            }
            for (JsonValue value : results) {
                if (!(value instanceof JsonObject result)) {
                    continue;
                }
                String code = errorCode(result);
                if (result.getBoolean("success", false) || "ENTITY_IS_DELETED".equals(code)) {
                    deleted.add(result.getString("id", ""));
                } else {
                    refusals.add(firstError(result, null));
                }
            }
        }
        if (!refusals.isEmpty()) {
            return new CrmAnswer(200, null, Map.of(), Set.of(), Map.of(key, String.join("; ", refusals)), true, null);
        }
        if (!found.getBoolean("done", true)) {
            // more matches than one query page: the ones deleted are gone, a retry finds the rest
            return CrmAnswer.transientFailure(200, "Salesforce holds more matching contacts than one query page; deleted "
                    + deleted.size() + ", the rest on the next attempt");
        }
        return new CrmAnswer(200, null, Map.of(key, String.join(",", deleted)), Set.of(), Map.of(), false, null);
    }

    // ---------------------------------------------------------------- requests and sessions

    /** Sends a data call with the connector's session; on 401 fetches one new token and sends it once more. */
    private Exchange call(ConnectorSettings connector, Function<Session, HttpRequest> request) {
        Object session = session(connector, null);
        for (int attempt = 0; ; attempt++) {
            if (session instanceof CrmAnswer failure) {
                return new Exchange(null, failure);
            }
            Session current = (Session) session;
            HttpResponse<String> response;
            try {
                response = http.send(request.apply(current), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                return new Exchange(null, CrmAnswer.transientFailure(0, "Salesforce did not answer within " + connector.timeout().toMillis() + " ms"));
            } catch (IOException e) {
                return new Exchange(null, CrmAnswer.transientFailure(0, "connection to Salesforce failed: " + e.getClass().getSimpleName()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Exchange(null, CrmAnswer.transientFailure(0, "interrupted"));
            }
            if (response.statusCode() != 401) {
                return new Exchange(response, null);
            }
            if (attempt > 0) {
                sessions.remove(connector.name(), current);
                return new Exchange(null, CrmAnswer.transientFailure(401, "Salesforce refused a freshly issued access token (401 "
                        + errorCode(response.body()) + "): check crm." + connector.name() + ".client-id / client-secret and the connected app's access"));
            }
            session = session(connector, current); // INVALID_SESSION_ID: the session ended, get a new one once
        }
    }

    /**
     * The cached session of the connector, or a new one when there is none, it is {@code stale} (refused
     * with 401), older than the maximum age, or was obtained with other settings. Returns a {@link Session}
     * or the {@link CrmAnswer} to give when the token endpoint refused. One fetch at a time per connector.
     */
    private Object session(ConnectorSettings connector, Session stale) {
        synchronized (sessionLocks.computeIfAbsent(connector.name(), name -> new Object())) {
            Session cached = sessions.get(connector.name());
            if (cached != null && cached != stale && cached.usableFor(connector, tokenMaxAge)) {
                return cached;
            }
            sessions.remove(connector.name());
            Object fetched = fetchToken(connector);
            if (fetched instanceof Session session) {
                sessions.put(connector.name(), session);
            }
            return fetched;
        }
    }

    private Object fetchToken(ConnectorSettings connector) {
        String clientId = connector.option("client-id");
        String clientSecret = connector.option("client-secret");
        String credentials = "check crm." + connector.name() + ".client-id / client-secret";
        if (clientId == null || clientSecret == null) {
            return CrmAnswer.transientFailure(0, "Salesforce client credentials are not configured: " + credentials);
        }
        String tokenUrl = tokenUrl(connector);
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(connector.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return CrmAnswer.transientFailure(0, "Salesforce's token endpoint did not answer within " + connector.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return CrmAnswer.transientFailure(0, "connection to Salesforce's token endpoint failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CrmAnswer.transientFailure(0, "interrupted");
        } catch (IllegalArgumentException e) {
            return CrmAnswer.transientFailure(0, "crm." + connector.name() + ".token-url is not a usable URL");
        }
        int status = response.statusCode();
        JsonObject body = readObject(response.body());
        if (status == 200 && body != null && body.get("access_token") instanceof JsonString token) {
            String instance = body.getString("instance_url", connector.baseUrl().toString()).replaceAll("/+$", "");
            return new Session(token.getString(), instance, System.nanoTime(), tokenUrl, clientId, clientSecret);
        }
        if (status == 429) {
            return CrmAnswer.waitFor(status, REQUEST_LIMIT_WAIT, "Salesforce's token endpoint is rate limiting");
        }
        if (status >= 500 || status == 200) {
            return CrmAnswer.transientFailure(status, "Salesforce's token endpoint answered " + status + (status == 200 ? " without an access token" : ""));
        }
        String error = body == null ? "" : body.getString("error", "");
        // 400 invalid_client / invalid_grant / unauthorized_client: the operator fixes the configuration, the items wait
        return CrmAnswer.transientFailure(status, "Salesforce refused the client credentials (" + status + (error.isEmpty() ? "" : " " + error)
                + "): " + credentials + (error.equals("unsupported_grant_type") || error.equals("invalid_grant")
                ? " and that the connected app enables the client credentials flow" : ""));
    }

    /** The answer to a data call that did not succeed (anything but 200 and 401). */
    private static CrmAnswer refusal(ConnectorSettings connector, HttpResponse<String> response, String what) {
        int status = response.statusCode();
        String code = errorCode(response.body());
        if ((status == 403 && "REQUEST_LIMIT_EXCEEDED".equals(code)) || status == 429) {
            return CrmAnswer.waitFor(status, REQUEST_LIMIT_WAIT, "Salesforce API request limit exceeded");
        }
        if (status >= 500 || status == 408) {
            return CrmAnswer.transientFailure(status, "Salesforce answered " + status + (code.isEmpty() ? "" : " " + code));
        }
        if (status == 403) {
            return CrmAnswer.transientFailure(status, "Salesforce refused access (403 " + code + "): check the permissions of crm."
                    + connector.name() + "'s connected app user");
        }
        return CrmAnswer.permanentFailure(status, "Salesforce refused " + what + " (" + status + "): " + errorMessage(response.body()));
    }

    // ---------------------------------------------------------------- helpers

    static String tokenUrl(ConnectorSettings connector) {
        String configured = connector.option("token-url");
        return configured != null && !configured.isBlank() ? configured : connector.baseUrl() + "/services/oauth2/token";
    }

    private static String apiVersion(ConnectorSettings connector) {
        String version = connector.option("api-version");
        if (version == null || version.isBlank()) {
            return DEFAULT_API_VERSION;
        }
        version = version.startsWith("v") || version.startsWith("V") ? version.substring(1) : version;
        return API_VERSION.matcher(version).matches() ? version : null;
    }

    private static String externalIdField(ConnectorSettings connector) {
        String field = connector.option("external-id-field");
        field = field == null || field.isBlank() ? DEFAULT_EXTERNAL_ID_FIELD : field;
        return FIELD_NAME.matcher(field).matches() ? field : null;
    }

    /** A SOQL string literal's content: backslash and quote escaped, as are the control characters SOQL names. */
    static String soqlEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** "STATUS_CODE: message" of a per-record result's first error, the message without values. */
    private static String firstError(JsonObject result, CrmRecord record) {
        JsonArray errors = result.get("errors") instanceof JsonArray array ? array : JsonValue.EMPTY_JSON_ARRAY;
        if (errors.isEmpty() || !(errors.get(0) instanceof JsonObject error)) {
            return "UNKNOWN_EXCEPTION: Salesforce gave no reason";
        }
        String message = truncate(error.getString("message", ""));
        return error.getString("statusCode", "UNKNOWN_EXCEPTION") + ": " + (record == null ? Redaction.redact(message) : record.redactFrom(message));
    }

    private static String errorCode(JsonObject result) {
        return result.get("errors") instanceof JsonArray errors && !errors.isEmpty() && errors.get(0) instanceof JsonObject error
                ? error.getString("statusCode", "") : "";
    }

    /** The errorCode of a REST error body ([{"message","errorCode"}]), or "". */
    private static String errorCode(String body) {
        JsonObject error = firstOf(body);
        return error == null ? "" : error.getString("errorCode", "");
    }

    /** "ERROR_CODE: message" of a REST error body, without values. */
    private static String errorMessage(String body) {
        JsonObject error = firstOf(body);
        return error == null ? "(no readable message)"
                : Redaction.redact(error.getString("errorCode", "ERROR") + ": " + truncate(error.getString("message", "")));
    }

    private static JsonObject firstOf(String body) {
        JsonStructure parsed = read(body);
        if (parsed instanceof JsonArray array && !array.isEmpty() && array.get(0) instanceof JsonObject object) {
            return object;
        }
        return parsed instanceof JsonObject object ? object : null;
    }

    private static JsonArray readArray(String body) {
        return read(body) instanceof JsonArray array ? array : null;
    }

    private static JsonObject readObject(String body) {
        return read(body) instanceof JsonObject object ? object : null;
    }

    private static JsonStructure read(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (var reader = Jsonp.JSON.createReader(new StringReader(body))) {
            return reader.read();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String truncate(String message) {
        return message.length() > 200 ? message.substring(0, 200) : message;
    }
}
