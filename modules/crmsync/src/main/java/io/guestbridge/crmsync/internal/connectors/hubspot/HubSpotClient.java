package io.guestbridge.crmsync.internal.connectors.hubspot;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmClient;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.crmsync.internal.connectors.CrmWire;
import io.guestbridge.platform.api.RetryAfter;
import io.guestbridge.platform.api.Jsonp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * HubSpot CRM v3 contacts: {@code POST /crm/v3/objects/contacts/batch/upsert} with {@code idProperty=email}
 * (at most 100 inputs; the published spec has no maxItems, so the connector's batch size enforces it),
 * and {@code gdpr-delete} for erasure. Reads 429s with Retry-After, or else the rest of the window that refused
 * ({@link HubSpotRateLimit}),
 * 207 multi-status partial failures, and tells permanent refusals (4xx about the data) from transient
 * ones (5xx, timeouts, resets).
 */
@ApplicationScoped
public class HubSpotClient implements CrmClient {

    private final HttpClient http;

    /** The container's bean, on the one guarded HTTP client of the CRM calls. */
    @Inject
    HubSpotClient(CrmWire wire) {
        this(wire.http());
    }

    /** For the container's proxy only. */
    HubSpotClient() {
        this.http = null;
    }

    HubSpotClient(HttpClient http) {
        this.http = http;
    }

    @Override
    @Timeout(30000)
    @Bulkhead(10)
    public CrmAnswer upsert(ConnectorSettings connector, List<CrmRecord> records) {
        HttpRequest request = HttpRequest.newBuilder(connector.baseUrl().resolve("/crm/v3/objects/contacts/batch/upsert"))
                .timeout(connector.timeout()).header("Authorization", "Bearer " + connector.token())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(records))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
            counted(connector, response);
        } catch (HttpTimeoutException e) {
            return CrmAnswer.transientFailure(0, "HubSpot did not answer within " + connector.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return CrmAnswer.transientFailure(0, "connection to HubSpot failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CrmAnswer.transientFailure(0, "interrupted");
        }
        int status = response.statusCode();
        if (status == 429) {
            return CrmAnswer.waitFor(status, retryAfter(connector, response), "HubSpot rate limit: " + message(response.body()));
        }
        if (status >= 500) {
            return CrmAnswer.transientFailure(status, "HubSpot answered " + status);
        }
        if (status == 401 || status == 403) {
            return CrmAnswer.transientFailure(status, "HubSpot refused the credentials (" + status + "): check crm." + connector.name() + ".token");
        }
        if (status != 200 && status != 201 && status != 207) {
            return CrmAnswer.permanentFailure(status, "HubSpot refused the batch (" + status + "): " + message(response.body()));
        }
        return answer(status, response.body());
    }

    /**
     * The batch answer (200, 201 or 207): each result's email, id and whether it is new, and the emails of the errors with
     * their reason. Read as a stream of tokens, without a tree: the answer echoes every property of every contact, and
     * building it as JSON objects allocated several times what the few values read here need.
     */
    static CrmAnswer answer(int status, String body) {
        Map<String, String> succeeded = new HashMap<>();
        Set<String> created = new HashSet<>();
        Map<String, String> failed = new HashMap<>();
        try (JsonParser json = Jsonp.JSON.createParser(new StringReader(body))) {
            expect(json, JsonParser.Event.START_OBJECT);
            while (json.next() == JsonParser.Event.KEY_NAME) {
                String key = json.getString();
                JsonParser.Event value = json.next();
                if (key.equals("results") && value == JsonParser.Event.START_ARRAY) {
                    for (JsonParser.Event item = json.next(); item != JsonParser.Event.END_ARRAY; item = json.next()) {
                        if (item == JsonParser.Event.START_OBJECT) {
                            result(json, succeeded, created);
                        } else {
                            skip(json, item);
                        }
                    }
                } else if (key.equals("errors") && value == JsonParser.Event.START_ARRAY) {
                    for (JsonParser.Event item = json.next(); item != JsonParser.Event.END_ARRAY; item = json.next()) {
                        if (item == JsonParser.Event.START_OBJECT) {
                            error(json, failed);
                        } else {
                            skip(json, item);
                        }
                    }
                } else {
                    skip(json, value);
                }
            }
        }
        return new CrmAnswer(status, null, succeeded, created, failed, true, null);
    }

    /** One result object, its start read: a result without an email (as a string) is not reported. */
    private static void result(JsonParser json, Map<String, String> succeeded, Set<String> created) {
        String id = "";
        String email = null;
        boolean isNew = false;
        while (json.next() == JsonParser.Event.KEY_NAME) {
            String key = json.getString();
            JsonParser.Event value = json.next();
            switch (key) {
                case "id" -> id = value == JsonParser.Event.VALUE_STRING ? json.getString() : skipped(json, value, "");
                case "new" -> isNew = value == JsonParser.Event.VALUE_TRUE;
                case "properties" -> {
                    if (value == JsonParser.Event.START_OBJECT) {
                        while (json.next() == JsonParser.Event.KEY_NAME) {
                            String property = json.getString();
                            JsonParser.Event v = json.next();
                            if (property.equals("email") && v == JsonParser.Event.VALUE_STRING) {
                                email = json.getString().toLowerCase(Locale.ROOT);
                            } else {
                                skip(json, v);
                            }
                        }
                    } else {
                        skip(json, value);
                    }
                }
                default -> skip(json, value);
            }
        }
        if (email != null) {
            succeeded.put(email, id);
            if (isNew) {
                created.add(email);
            }
        }
    }

    /** One error object, its start read: each id of its context failed, with the error's category and message. */
    private static void error(JsonParser json, Map<String, String> failed) {
        String category = "ERROR";
        String message = "";
        java.util.List<String> ids = new java.util.ArrayList<>();
        while (json.next() == JsonParser.Event.KEY_NAME) {
            String key = json.getString();
            JsonParser.Event value = json.next();
            switch (key) {
                case "category" -> category = value == JsonParser.Event.VALUE_STRING ? json.getString() : skipped(json, value, "ERROR");
                case "message" -> message = value == JsonParser.Event.VALUE_STRING ? json.getString() : skipped(json, value, "");
                case "context" -> {
                    if (value == JsonParser.Event.START_OBJECT) {
                        while (json.next() == JsonParser.Event.KEY_NAME) {
                            String name = json.getString();
                            JsonParser.Event v = json.next();
                            if (name.equals("ids") && v == JsonParser.Event.START_ARRAY) {
                                for (JsonParser.Event id = json.next(); id != JsonParser.Event.END_ARRAY; id = json.next()) {
                                    if (id == JsonParser.Event.VALUE_STRING) {
                                        ids.add(json.getString().toLowerCase(Locale.ROOT));
                                    } else {
                                        skip(json, id);
                                    }
                                }
                            } else {
                                skip(json, v);
                            }
                        }
                    } else {
                        skip(json, value);
                    }
                }
                default -> skip(json, value);
            }
        }
        String reason = category + ": " + message;
        ids.forEach(id -> failed.put(id, reason));
    }

    private static void expect(JsonParser json, JsonParser.Event expected) {
        if (!json.hasNext() || json.next() != expected) {
            throw new jakarta.json.JsonException("HubSpot's answer is not a JSON object");
        }
    }

    /** Skips the value that begins with {@code value} (an object or array with all it holds). */
    private static void skip(JsonParser json, JsonParser.Event value) {
        if (value == JsonParser.Event.START_OBJECT) {
            json.skipObject();
        } else if (value == JsonParser.Event.START_ARRAY) {
            json.skipArray();
        }
    }

    private static <T> T skipped(JsonParser json, JsonParser.Event value, T fallback) {
        skip(json, value);
        return fallback;
    }

    /**
     * The batch upsert's body, written straight into its UTF-8 bytes: no builder tree, no string of the whole body
     * (a hundred contacts are several copies of every value otherwise).
     */
    static byte[] body(List<CrmRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + records.size() * 256);
        try (JsonGenerator json = Jsonp.JSON.createGenerator(out)) {
            json.writeStartObject().writeStartArray("inputs");
            for (CrmRecord record : records) {
                json.writeStartObject().write("idProperty", "email").write("id", record.email()).writeStartObject("properties");
                record.properties().forEach(json::write);
                json.writeEnd().writeEnd();
            }
            json.writeEnd().writeEnd();
        }
        return out.toByteArray();
    }

    @Override
    @Bulkhead(10) // no @Timeout: each request of an erasure is bounded, body included, by the outbound client (connector timeout)
    public CrmAnswer erase(ConnectorSettings connector, String email) {
        String body = Jsonp.JSON.createObjectBuilder().add("objectId", email).add("idProperty", "email").build().toString();
        HttpRequest request = HttpRequest.newBuilder(connector.baseUrl().resolve("/crm/v3/objects/contacts/gdpr-delete"))
                .timeout(connector.timeout()).header("Authorization", "Bearer " + connector.token())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            counted(connector, response);
            int status = response.statusCode();
            if (status == 204 || status == 200 || status == 404) {
                // 404: HubSpot holds no such contact; nothing is left to delete
                return new CrmAnswer(status, null, Map.of(email.toLowerCase(Locale.ROOT), "gdpr-delete:" + status), Set.of(), Map.of(), false, null);
            }
            if (status == 429) {
                return CrmAnswer.waitFor(status, retryAfter(connector, response), "HubSpot rate limit");
            }
            return status >= 500 || status == 401 || status == 403 ? CrmAnswer.transientFailure(status, "HubSpot answered " + status)
                    : CrmAnswer.permanentFailure(status, "HubSpot refused the deletion (" + status + "): " + message(response.body()));
        } catch (IOException e) {
            return CrmAnswer.transientFailure(0, "connection to HubSpot failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CrmAnswer.transientFailure(0, "interrupted");
        }
    }

    /** When this instance's recent requests counted against HubSpot's limits, per connector: the rest of a window is reckoned from them. */
    private final Map<String, HubSpotRateLimit.SendLog> sendLogs = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Logs an answered request, stamped when its answer arrived: HubSpot counted it on arrival, a little before, so a window
     * reckoned from the answer ends a little late, never early. A refused request (429) does not count against the window.
     */
    private void counted(ConnectorSettings connector, HttpResponse<String> response) {
        HubSpotRateLimit.SendLog log = sendLogs.computeIfAbsent(connector.name(), n -> new HubSpotRateLimit.SendLog());
        if (response.statusCode() == 429) {
            log.refused();
        } else {
            log.sent(java.time.Instant.now());
        }
    }

    /**
     * How long a 429 asks us to wait ({@link HubSpotRateLimit}): Retry-After when given, else the rest of the window
     * that refused, from HubSpot's policy name and counters and our own recent requests. A flat second after every
     * per-second refusal idled the connector for ten of its requests at 100 per 10 s; the rest of that second is
     * usually one pacing gap.
     */
    Duration retryAfter(ConnectorSettings connector, HttpResponse<String> response) {
        HubSpotRateLimit.SendLog log = sendLogs.computeIfAbsent(connector.name(), n -> new HubSpotRateLimit.SendLog());
        return HubSpotRateLimit.waitFor(refusal(response), log, java.time.Instant.now());
    }

    static HubSpotRateLimit.Refusal refusal(HttpResponse<String> response) {
        java.net.http.HttpHeaders headers = response.headers();
        return new HubSpotRateLimit.Refusal(RetryAfter.of(response), policy(response.body()),
                number(headers.firstValue("X-HubSpot-RateLimit-Max")), number(headers.firstValue("X-HubSpot-RateLimit-Remaining")),
                number(headers.firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")), number(headers.firstValue("X-HubSpot-RateLimit-Secondly")),
                number(headers.firstValue("X-HubSpot-RateLimit-Secondly-Remaining")), number(headers.firstValue("X-HubSpot-RateLimit-Daily-Remaining")));
    }

    private static String policy(String body) {
        try {
            return Jsonp.JSON.createReader(new StringReader(body)).readObject().getString("policyName", null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static OptionalLong number(Optional<String> value) {
        try {
            return value.isPresent() ? OptionalLong.of(Long.parseLong(value.get().trim())) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String message(String body) {
        try {
            JsonObject error = Jsonp.JSON.createReader(new StringReader(body)).readObject();
            String message = error.getString("message", "");
            return message.length() > 200 ? message.substring(0, 200) : message;
        } catch (RuntimeException e) {
            return "(no readable message)";
        }
    }
}
