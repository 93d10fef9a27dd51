package io.guestbridge.crmsync.internal.connectors.mailchimp;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmClient;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.crmsync.internal.connectors.CrmWire;
import io.guestbridge.platform.api.RetryAfter;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.Redaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mailchimp Marketing API 3.0 list members: one {@code PUT /3.0/lists/<list>/members/<md5(lower-case email)>}
 * per record (add or update; Mailchimp has no synchronous batch upsert), sent one after the other, and
 * {@code POST …/actions/delete-permanent} for erasure ({@code DELETE} only archives, so it is never used).
 *
 * <p>The member's status follows the marketing consent the caller puts in the record's properties under
 * the connector's marketing property (default {@code marketing}): "true" subscribes, "false" unsubscribes
 * (a withdrawal unsubscribes an existing member; a new one is added unsubscribed). Without that property
 * a new member is added unsubscribed and an existing one keeps its status. The property is not sent as a
 * merge field; all other properties are.
 *
 * <p>A 429, a 5xx or a connection problem stops the sequence: the answer holds the records already done
 * (succeeded or failed) and leaves the others in neither map, with {@code retryAfter} (429) or a transient
 * {@code problem} (5xx, I/O) set; the caller retries the records absent from both maps.
 */
@ApplicationScoped
public class MailchimpClient implements CrmClient {

    static final String DEFAULT_MARKETING_PROPERTY = "marketing";

    /** Mailchimp sends no Retry-After with its 429s (neither for the rate nor the 10-connection limit). */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(10);

    private static final String USER = "guestbridge";
    private static final Pattern SAFE_PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    private final HttpClient http;

    /** The container's bean, on the one guarded HTTP client of the CRM calls. */
    @Inject
    MailchimpClient(CrmWire wire) {
        this(wire.http());
    }

    /** For the container's proxy only. */
    MailchimpClient() {
        this.http = null;
    }

    MailchimpClient(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    @Timeout(90000)
    @Bulkhead(10)
    public CrmAnswer upsert(ConnectorSettings connector, List<CrmRecord> records) {
        CrmAnswer misconfigured = checkSettings(connector);
        if (misconfigured != null) {
            return misconfigured;
        }
        String statusProperty = connector.marketingProperty() != null ? connector.marketingProperty() : DEFAULT_MARKETING_PROPERTY;
        Map<String, String> succeeded = new HashMap<>();
        Map<String, String> failed = new HashMap<>();
        int status = 0;
        for (int i = 0; i < records.size(); i++) {
            CrmRecord record = records.get(i);
            String email = record.email().toLowerCase(Locale.ROOT);
            String hash = subscriberHash(record.email());
            HttpResponse<String> response;
            try {
                response = http.send(request(connector, "/members/" + hash)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(member(record, statusProperty))).build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                return partial(0, succeeded, failed, null, "Mailchimp did not answer within " + connector.timeout().toMillis() + " ms", i, records);
            } catch (IOException e) {
                return partial(0, succeeded, failed, null, "connection to Mailchimp failed: " + e.getClass().getSimpleName(), i, records);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return partial(0, succeeded, failed, null, "interrupted", i, records);
            }
            status = response.statusCode();
            if (status == 200) {
                JsonObject member = readObject(response.body());
                succeeded.put(email, member == null ? hash : member.getString("id", hash));
            } else if (status == 429) {
                return partial(status, succeeded, failed, retryAfter(response), "Mailchimp rate limit: " + problem(response.body(), null), i, records);
            } else if (status >= 500 || status == 408) {
                return partial(status, succeeded, failed, null, "Mailchimp answered " + status, i, records);
            } else if (status == 401 || status == 403) {
                // the key is wrong or disabled: nothing else will pass either; the operator fixes it and everything is retried
                return partial(status, succeeded, failed, null, "Mailchimp refused the API key (" + status + "): check crm."
                        + connector.name() + ".api-key (and that base-url names its datacenter)", i, records);
            } else if (status == 404) {
                return partial(status, succeeded, failed, null, "Mailchimp has no audience with the configured id (404): check crm."
                        + connector.name() + ".list-id", i, records);
            } else {
                // 400 and other 4xx: Mailchimp refused this member's data (Invalid Resource, Member In Compliance State,
                // Forgotten Email Not Subscribed…): permanent for this record, the others go on
                failed.put(email, problem(response.body(), record));
            }
        }
        return new CrmAnswer(status, null, succeeded, Set.of(), failed, true, null);
    }

    /**
     * Permanent deletion: 204 is done, 404 means Mailchimp holds no such member (nothing to delete). Mailchimp
     * answers 404 for an unknown audience as well, so a wrong list-id cannot be told from an absent member here.
     */
    @Override
    @Timeout(30000)
    @Bulkhead(10)
    public CrmAnswer erase(ConnectorSettings connector, String email) {
        CrmAnswer misconfigured = checkSettings(connector);
        if (misconfigured != null) {
            return misconfigured;
        }
        String hash = subscriberHash(email);
        try {
            HttpResponse<String> response = http.send(request(connector, "/members/" + hash + "/actions/delete-permanent")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 204 || status == 200 || status == 404) {
                return new CrmAnswer(status, null, Map.of(email.toLowerCase(Locale.ROOT), "delete-permanent:" + status), Set.of(), Map.of(), false, null);
            }
            if (status == 429) {
                return CrmAnswer.waitFor(status, retryAfter(response), "Mailchimp rate limit");
            }
            if (status >= 500 || status == 408) {
                return CrmAnswer.transientFailure(status, "Mailchimp answered " + status);
            }
            if (status == 401 || status == 403) {
                return CrmAnswer.transientFailure(status, "Mailchimp refused the API key (" + status + "): check crm." + connector.name() + ".api-key");
            }
            return CrmAnswer.permanentFailure(status, "Mailchimp refused the deletion (" + status + "): " + problem(response.body(), null));
        } catch (HttpTimeoutException e) {
            return CrmAnswer.transientFailure(0, "Mailchimp did not answer within " + connector.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return CrmAnswer.transientFailure(0, "connection to Mailchimp failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CrmAnswer.transientFailure(0, "interrupted");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static CrmAnswer checkSettings(ConnectorSettings connector) {
        String list = connector.option("list-id");
        if (list == null || !SAFE_PATH_SEGMENT.matcher(list).matches()) {
            return CrmAnswer.transientFailure(0, "crm." + connector.name() + ".list-id is not set or not an audience id");
        }
        if (connector.option("api-key") == null || connector.option("api-key").isBlank()) {
            return CrmAnswer.transientFailure(0, "crm." + connector.name() + ".api-key is not set");
        }
        return null;
    }

    private static HttpRequest.Builder request(ConnectorSettings connector, String memberPath) {
        String credentials = Base64.getEncoder().encodeToString((USER + ":" + connector.option("api-key")).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(connector.baseUrl() + "/3.0/lists/"
                        + URLEncoder.encode(connector.option("list-id"), StandardCharsets.UTF_8) + memberPath))
                .timeout(connector.timeout()).header("Authorization", "Basic " + credentials).header("Accept", "application/json");
    }

    /** The member body: address, status from the marketing property, and the other properties as merge fields. */
    static String member(CrmRecord record, String statusProperty) {
        String marketing = record.properties().get(statusProperty);
        JsonObjectBuilder mergeFields = Jsonp.JSON.createObjectBuilder();
        record.properties().forEach((property, value) -> {
            if (!property.equals(statusProperty)) {
                mergeFields.add(property, value);
            }
        });
        JsonObjectBuilder member = Jsonp.JSON.createObjectBuilder().add("email_address", record.email().trim());
        if ("true".equalsIgnoreCase(marketing)) {
            member.add("status_if_new", "subscribed").add("status", "subscribed");
        } else if ("false".equalsIgnoreCase(marketing)) {
            member.add("status_if_new", "unsubscribed").add("status", "unsubscribed");
        } else {
            member.add("status_if_new", "unsubscribed"); // consent unknown: never subscribe, leave an existing member's status
        }
        return member.add("merge_fields", mergeFields).build().toString();
    }

    /** The answer when the sequence stops at record {@code stoppedAt}: what was done so far, the rest unreported. */
    private static CrmAnswer partial(int status, Map<String, String> succeeded, Map<String, String> failed, Duration retryAfter,
                                     String problem, int stoppedAt, List<CrmRecord> records) {
        String progress = " (" + stoppedAt + " of " + records.size() + " members sent before it; the rest are to be retried)";
        return new CrmAnswer(status, retryAfter, succeeded, Set.of(), failed, false, problem + progress);
    }

    /** Mailchimp's subscriber hash: MD5 of the lower-cased address, lower-case hex. */
    static String subscriberHash(String email) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(email.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        return RetryAfter.of(response).orElse(DEFAULT_RETRY_AFTER);
    }

    /** "title: detail" of Mailchimp's problem document (plus field errors), without the record's values. */
    private static String problem(String body, CrmRecord record) {
        JsonObject problem = readObject(body);
        if (problem == null) {
            return "(no readable message)";
        }
        StringBuilder text = new StringBuilder(problem.getString("title", "Error")).append(": ").append(problem.getString("detail", ""));
        if (problem.get("errors") instanceof JsonArray errors) {
            List<String> fields = new ArrayList<>();
            for (JsonValue value : errors) {
                if (value instanceof JsonObject error) {
                    fields.add(error.getString("field", "?") + ": " + error.getString("message", ""));
                }
            }
            if (!fields.isEmpty()) {
                text.append(" [").append(String.join("; ", fields)).append(']');
            }
        }
        String message = text.length() > 300 ? text.substring(0, 300) : text.toString();
        return record == null ? Redaction.redact(message) : record.redactFrom(message);
    }

    private static JsonObject readObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (var reader = Jsonp.JSON.createReader(new StringReader(body))) {
            return reader.read() instanceof JsonObject object ? object : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
