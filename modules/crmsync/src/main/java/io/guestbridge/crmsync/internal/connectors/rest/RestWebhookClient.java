package io.guestbridge.crmsync.internal.connectors.rest;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmClient;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.crmsync.internal.connectors.CrmWire;
import io.guestbridge.platform.api.RetryAfter;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.Redaction;
import io.guestbridge.platform.api.WebhookSignatures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generic REST endpoint or webhook (Dynamics through middleware, Zapier, MuleSoft, a custom CRM): one
 * {@code POST <base-url>} per batch with {@code {"contacts":[…]}}, each contact built from the connector's
 * template ({@code crm.<name>.template}, a JSON object whose strings may hold {@code ${property}} and
 * {@code ${email}} placeholders) or, without one, {@code {"email":…, <properties>}}.
 *
 * <p>Every request is signed per Standard Webhooks with the signing secret ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature}); the token, if set, goes as a Bearer token.
 * A 2xx stores every record (per record when the answer is {@code {"results":[{"email","id","error"}]}}),
 * 429 waits for Retry-After, 5xx, 408, 401/403 and network problems are transient, other 4xx permanent.
 *
 * <p>Erasure is {@code POST <base-url>} with {@code {"erasures":[{"email":…}]}}, signed the same way;
 * 2xx, 404 and 410 count as erased.
 */
@ApplicationScoped
public class RestWebhookClient implements CrmClient {

    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    /** ${name}: a property of the record, or the record's email. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private final HttpClient http;

    /** The container's bean, on the one guarded HTTP client of the CRM calls. */
    @Inject
    RestWebhookClient(CrmWire wire) {
        this(wire.http());
    }

    /** For the container's proxy only. */
    RestWebhookClient() {
        this.http = null;
    }

    RestWebhookClient(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    @Timeout(90000)
    @Bulkhead(10)
    public CrmAnswer upsert(ConnectorSettings connector, List<CrmRecord> records) {
        JsonObject template = null;
        String configured = connector.option("template");
        if (configured != null && !configured.isBlank()) {
            try (var reader = Jsonp.JSON.createReader(new StringReader(configured))) {
                JsonValue parsed = reader.readValue();
                if (parsed.getValueType() != JsonValue.ValueType.OBJECT) {
                    return CrmAnswer.permanentFailure(0, "crm." + connector.name() + ".template must be a JSON object, not a JSON "
                            + parsed.getValueType().name().toLowerCase(Locale.ROOT));
                }
                template = parsed.asJsonObject();
            } catch (JsonException e) {
                return CrmAnswer.permanentFailure(0, "crm." + connector.name() + ".template is not valid JSON: " + e.getMessage());
            }
        }
        JsonArrayBuilder contacts = Jsonp.JSON.createArrayBuilder();
        for (CrmRecord record : records) {
            contacts.add(template == null ? plain(record) : render(template, record));
        }
        String body = Jsonp.JSON.createObjectBuilder().add("contacts", contacts).build().toString();
        HttpResponse<String> response;
        try {
            response = http.send(signed(connector, body), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return CrmAnswer.transientFailure(0, "the endpoint of " + connector.name() + " did not answer within " + connector.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return CrmAnswer.transientFailure(0, "connection to the endpoint of " + connector.name() + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CrmAnswer.transientFailure(0, "interrupted");
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            return refusal(connector, response, "the batch");
        }
        Map<String, String> succeeded = new HashMap<>();
        Map<String, String> failed = new HashMap<>();
        for (CrmRecord record : records) {
            String email = record.email().toLowerCase(Locale.ROOT);
            succeeded.put(email, email); // the endpoint gives no ids unless it answers with results
        }
        JsonArray results = results(response.body());
        if (results != null) {
            Map<String, CrmRecord> byEmail = new HashMap<>();
            records.forEach(r -> byEmail.put(r.email().toLowerCase(Locale.ROOT), r));
            for (JsonValue value : results) {
                if (!(value instanceof JsonObject result) || !(result.get("email") instanceof JsonString address)) {
                    continue;
                }
                String email = address.getString().trim().toLowerCase(Locale.ROOT);
                CrmRecord record = byEmail.get(email);
                if (record == null) {
                    continue; // not one we sent
                }
                JsonValue error = result.get("error");
                if (error != null && error.getValueType() != JsonValue.ValueType.NULL && error.getValueType() != JsonValue.ValueType.FALSE) {
                    String reason = error instanceof JsonString text ? text.getString() : error.toString();
                    succeeded.remove(email);
                    failed.put(email, record.redactFrom(reason.length() > 200 ? reason.substring(0, 200) : reason));
                } else if (result.get("id") instanceof JsonString id) {
                    succeeded.put(email, id.getString());
                } else if (result.get("id") != null && result.get("id").getValueType() == JsonValue.ValueType.NUMBER) {
                    succeeded.put(email, result.get("id").toString());
                }
            }
        }
        return new CrmAnswer(status, null, succeeded, Set.of(), failed, true, null);
    }

    @Override
    @Bulkhead(10) // no @Timeout: each request of an erasure is bounded, body included, by the outbound client (connector timeout)
    public CrmAnswer erase(ConnectorSettings connector, String email) {
        String body = Jsonp.JSON.createObjectBuilder()
                .add("erasures", Jsonp.JSON.createArrayBuilder().add(Jsonp.JSON.createObjectBuilder().add("email", email)))
                .build().toString();
        try {
            HttpResponse<String> response = http.send(signed(connector, body), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if ((status >= 200 && status <= 299) || status == 404 || status == 410) {
                return new CrmAnswer(status, null, Map.of(email.toLowerCase(Locale.ROOT), "erased:" + status), Set.of(), Map.of(), false, null);
            }
            return refusal(connector, response, "the erasure");
        } catch (HttpTimeoutException e) {
            return CrmAnswer.transientFailure(0, "the endpoint of " + connector.name() + " did not answer within " + connector.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return CrmAnswer.transientFailure(0, "connection to the endpoint of " + connector.name() + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CrmAnswer.transientFailure(0, "interrupted");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** POST to the base URL, signed per Standard Webhooks (a new webhook-id per request). */
    private static HttpRequest signed(ConnectorSettings connector, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(connector.baseUrl()).timeout(connector.timeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header(WebhookSignatures.ID, id).header(WebhookSignatures.TIMESTAMP, Long.toString(timestamp));
        String secret = connector.option("signing-secret");
        if (secret != null && !secret.isBlank()) {
            request.header(WebhookSignatures.SIGNATURE, WebhookSignatures.sign(secret, id, timestamp, bytes));
        }
        if (connector.token() != null && !connector.token().isBlank()) {
            request.header("Authorization", "Bearer " + connector.token());
        }
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    }

    private static CrmAnswer refusal(ConnectorSettings connector, HttpResponse<String> response, String what) {
        int status = response.statusCode();
        if (status == 429) {
            return CrmAnswer.waitFor(status, retryAfter(response), "the endpoint of " + connector.name() + " is rate limiting (429)");
        }
        if (status >= 500 || status == 408) {
            return CrmAnswer.transientFailure(status, "the endpoint of " + connector.name() + " answered " + status);
        }
        if (status == 401 || status == 403) {
            return CrmAnswer.transientFailure(status, "the endpoint refused the credentials (" + status + "): check crm." + connector.name()
                    + ".token and crm." + connector.name() + ".signing-secret");
        }
        return CrmAnswer.permanentFailure(status, "the endpoint of " + connector.name() + " refused " + what + " (" + status + "): "
                + message(response.body()));
    }

    /** {"email": …, <properties>} when there is no template. */
    private static JsonObject plain(CrmRecord record) {
        JsonObjectBuilder contact = Jsonp.JSON.createObjectBuilder().add("email", record.email());
        record.properties().forEach(contact::add);
        return contact.build();
    }

    /** The template with its placeholders filled from the record. */
    static JsonObject render(JsonObject template, CrmRecord record) {
        JsonObjectBuilder contact = Jsonp.JSON.createObjectBuilder();
        template.forEach((key, value) -> contact.add(key, render(value, record)));
        return contact.build();
    }

    private static JsonValue render(JsonValue value, CrmRecord record) {
        return switch (value.getValueType()) {
            case STRING -> renderString(((JsonString) value).getString(), record);
            case OBJECT -> render(value.asJsonObject(), record);
            case ARRAY -> {
                JsonArrayBuilder array = Jsonp.JSON.createArrayBuilder();
                value.asJsonArray().forEach(element -> array.add(render(element, record)));
                yield array.build();
            }
            default -> value;
        };
    }

    /** "${x}" alone becomes the value or null when absent; within other text, an absent value becomes "". */
    private static JsonValue renderString(String text, CrmRecord record) {
        Matcher whole = PLACEHOLDER.matcher(text);
        if (whole.matches()) {
            String value = lookup(whole.group(1), record);
            return value == null ? JsonValue.NULL : Jsonp.JSON.createValue(value);
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String value = lookup(m.group(1), record);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return Jsonp.JSON.createValue(out.toString());
    }

    private static String lookup(String name, CrmRecord record) {
        String key = name.trim();
        if (record.properties().containsKey(key)) {
            return record.properties().get(key);
        }
        return key.equals("email") ? record.email() : null;
    }

    private static JsonArray results(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (var reader = Jsonp.JSON.createReader(new StringReader(body))) {
            return reader.readValue() instanceof JsonObject answer && answer.get("results") instanceof JsonArray results ? results : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        return RetryAfter.of(response).orElse(DEFAULT_RETRY_AFTER);
    }

    private static String message(String body) {
        if (body == null || body.isBlank()) {
            return "(no message)";
        }
        String text = body.strip();
        try (var reader = Jsonp.JSON.createReader(new StringReader(text))) {
            if (reader.readValue() instanceof JsonObject error) {
                for (String key : List.of("message", "detail", "error", "title")) {
                    if (error.get(key) instanceof JsonString s) {
                        text = s.getString();
                        break;
                    }
                }
            }
        } catch (RuntimeException notJson) {
            // plain text: use it as it is
        }
        return Redaction.redact(text.length() > 200 ? text.substring(0, 200) : text);
    }
}
