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
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mailchimp Marketing API 3.0 list members: the batch subscribe call {@code POST /3.0/lists/<list>} with
 * {@code update_existing: true} (add or update, at most 500 members per call, one call per up to 500 records), and
 * {@code POST …/members/<md5(lower-case email)>/actions/delete-permanent} for erasure ({@code DELETE} only archives,
 * so it is never used).
 *
 * <p>The member's status follows the marketing consent the caller puts in the record's properties under
 * the connector's marketing property (default {@code marketing}): "true" subscribes, "false" unsubscribes
 * (a withdrawal unsubscribes an existing member; a new one is added unsubscribed). Without that property
 * a new member is added unsubscribed and an existing one keeps its status. The property is not sent as a
 * merge field; all other properties are.
 *
 * <p>The batch call answers 200 however many members it refused: the created and updated ones come back in
 * {@code new_members} and {@code updated_members} (each with its {@code id}, the subscriber hash, which becomes the
 * CRM link), the refused ones in {@code errors} (address, {@code error}, {@code error_code}); a refused member is the
 * permanent failure of its record alone, as a 400 to its own PUT was. A member the answer does not mention is left
 * unreported, so that the caller retries it. A 429, a 5xx or a connection problem refuses the whole call: the answer
 * holds the records of calls already done and leaves the others in neither map, with {@code retryAfter} (429) or a
 * transient {@code problem} (5xx, I/O) set; the caller retries the records absent from both maps. Mailchimp limits
 * an account to 10 simultaneous connections rather than to a rate; {@code @Bulkhead(10)} keeps an instance within it.
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

    /** Mailchimp's batch subscribe call adds or updates at most 500 members. */
    static final int MAX_MEMBERS_PER_CALL = 500;

    @Override
    @Timeout(90000)
    @Bulkhead(10)
    public CrmAnswer upsert(ConnectorSettings connector, List<CrmRecord> records) {
        CrmAnswer misconfigured = checkSettings(connector);
        if (misconfigured != null) {
            return misconfigured;
        }
        String statusProperty = connector.marketingProperty() != null ? connector.marketingProperty() : DEFAULT_MARKETING_PROPERTY;
        int perCall = Math.max(1, Math.min(MAX_MEMBERS_PER_CALL, connector.batchSize()));
        Map<String, String> succeeded = new HashMap<>();
        Set<String> created = new HashSet<>();
        Map<String, String> failed = new HashMap<>();
        int unreported = 0;
        int status = 0;
        for (int from = 0; from < records.size(); from += perCall) {
            List<CrmRecord> chunk = records.subList(from, Math.min(records.size(), from + perCall));
            HttpResponse<String> response;
            try {
                response = http.send(request(connector, "")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch(chunk, statusProperty))).build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                return partial(0, succeeded, created, failed, null, "Mailchimp did not answer within " + connector.timeout().toMillis() + " ms", from, records);
            } catch (IOException e) {
                return partial(0, succeeded, created, failed, null, "connection to Mailchimp failed: " + e.getClass().getSimpleName(), from, records);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return partial(0, succeeded, created, failed, null, "interrupted", from, records);
            }
            status = response.statusCode();
            if (status == 200) {
                unreported += outcomes(response.body(), chunk, succeeded, created, failed);
            } else if (status == 429) {
                return partial(status, succeeded, created, failed, retryAfter(response), "Mailchimp rate limit: " + problem(response.body(), null), from, records);
            } else if (status >= 500 || status == 408) {
                return partial(status, succeeded, created, failed, null, "Mailchimp answered " + status, from, records);
            } else if (status == 401 || status == 403) {
                // the key is wrong or disabled: nothing else will pass either; the operator fixes it and everything is retried
                return partial(status, succeeded, created, failed, null, "Mailchimp refused the API key (" + status + "): check crm."
                        + connector.name() + ".api-key (and that base-url names its datacenter)", from, records);
            } else if (status == 404) {
                return partial(status, succeeded, created, failed, null, "Mailchimp has no audience with the configured id (404): check crm."
                        + connector.name() + ".list-id", from, records);
            } else {
                // 400 and other 4xx to the whole call: Mailchimp refused the request's data as a whole (its schema),
                // which no member can be singled out from: permanent for these records, the dead letters can replay them
                String reason = "Mailchimp refused the batch of " + chunk.size() + " members (" + status + "): " + problem(response.body(), null);
                for (CrmRecord record : chunk) {
                    failed.put(key(record), record.redactFrom(reason));
                }
            }
        }
        if (unreported > 0) {
            // not in new_members, updated_members or errors: the caller retries them (an upsert again is harmless)
            return new CrmAnswer(status, null, succeeded, created, failed, false,
                    "Mailchimp's answer did not report " + unreported + " of " + records.size() + " members; they are to be retried");
        }
        return new CrmAnswer(status, null, succeeded, created, failed, true, null);
    }

    /**
     * Permanent deletion: 204 is done, 404 means Mailchimp holds no such member (nothing to delete). Mailchimp
     * answers 404 for an unknown audience as well, so a wrong list-id cannot be told from an absent member here.
     */
    @Override
    @Bulkhead(10) // no @Timeout: each request of an erasure is bounded, body included, by the outbound client (connector timeout)
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

    /** A request to the list ({@code path} empty: the batch call) or below it. */
    private static HttpRequest.Builder request(ConnectorSettings connector, String path) {
        String credentials = Base64.getEncoder().encodeToString((USER + ":" + connector.option("api-key")).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(connector.baseUrl() + "/3.0/lists/"
                        + URLEncoder.encode(connector.option("list-id"), StandardCharsets.UTF_8) + path))
                .timeout(connector.timeout()).header("Authorization", "Basic " + credentials).header("Accept", "application/json");
    }

    /** The member body: address, status from the marketing property, and the other properties as merge fields. */
    static JsonObject memberJson(CrmRecord record, String statusProperty) {
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
        return member.add("merge_fields", mergeFields).build();
    }

    /** The batch subscribe body: the records' members, existing members updated. */
    static String batch(List<CrmRecord> records, String statusProperty) {
        JsonArrayBuilder members = Jsonp.JSON.createArrayBuilder();
        for (CrmRecord record : records) {
            members.add(memberJson(record, statusProperty));
        }
        return Jsonp.JSON.createObjectBuilder().add("members", members).add("update_existing", true).build().toString();
    }

    /**
     * Maps a 200 answer of the batch call back onto the records: created or updated members succeed with their id (the
     * subscriber hash) as the CRM link, refused ones fail for good with Mailchimp's reason without the record's values.
     * Members are matched by their lower-cased address, as Mailchimp's subscriber hash matches them. Returns how many
     * records the answer did not mention.
     */
    private static int outcomes(String body, List<CrmRecord> chunk, Map<String, String> succeeded, Set<String> created,
                                Map<String, String> failed) {
        Map<String, List<CrmRecord>> byAddress = new HashMap<>();
        for (CrmRecord record : chunk) {
            byAddress.computeIfAbsent(normalized(record.email()), k -> new ArrayList<>()).add(record);
        }
        JsonObject answer = readObject(body);
        Set<String> reported = new HashSet<>();
        if (answer != null) {
            for (String list : List.of("new_members", "updated_members")) {
                if (answer.get(list) instanceof JsonArray members) {
                    for (JsonValue value : members) {
                        if (value instanceof JsonObject member && member.get("email_address") instanceof JsonString address) {
                            String normalized = normalized(address.getString());
                            for (CrmRecord record : byAddress.getOrDefault(normalized, List.of())) {
                                succeeded.put(key(record), member.getString("id", subscriberHash(record.email())));
                                if (list.equals("new_members")) {
                                    created.add(key(record));
                                }
                            }
                            reported.add(normalized);
                        }
                    }
                }
            }
            if (answer.get("errors") instanceof JsonArray errors) {
                for (JsonValue value : errors) {
                    if (value instanceof JsonObject error && error.get("email_address") instanceof JsonString address) {
                        String normalized = normalized(address.getString());
                        for (CrmRecord record : byAddress.getOrDefault(normalized, List.of())) {
                            if (!succeeded.containsKey(key(record))) {
                                failed.put(key(record), memberError(error, record));
                            }
                        }
                        reported.add(normalized);
                    }
                }
            }
        }
        int unreported = 0;
        for (Map.Entry<String, List<CrmRecord>> address : byAddress.entrySet()) {
            if (!reported.contains(address.getKey())) {
                unreported += address.getValue().size();
            }
        }
        return unreported;
    }

    /** "error_code: error [field: field_message]" of a refused member, without the record's values. */
    private static String memberError(JsonObject error, CrmRecord record) {
        StringBuilder text = new StringBuilder(error.getString("error_code", "ERROR")).append(": ").append(error.getString("error", ""));
        String field = error.getString("field", "");
        if (!field.isBlank()) {
            text.append(" [").append(field).append(": ").append(error.getString("field_message", "")).append(']');
        }
        String message = text.length() > 300 ? text.substring(0, 300) : text.toString();
        return record.redactFrom(message);
    }

    /** The key of a record in the answer's maps, as the caller looks it up. */
    private static String key(CrmRecord record) {
        return record.email().toLowerCase(Locale.ROOT);
    }

    /** An address as Mailchimp matches it: trimmed and lower-cased (its subscriber hash is the MD5 of that). */
    private static String normalized(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /** The answer when the calls stop at record {@code stoppedAt}: what earlier calls did, the rest unreported. */
    private static CrmAnswer partial(int status, Map<String, String> succeeded, Set<String> created, Map<String, String> failed,
                                     Duration retryAfter, String problem, int stoppedAt, List<CrmRecord> records) {
        String progress = stoppedAt == 0 ? " (" + records.size() + " members, to be retried)"
                : " (" + stoppedAt + " of " + records.size() + " members sent before it; the rest are to be retried)";
        return new CrmAnswer(status, retryAfter, succeeded, created, failed, false, problem + progress);
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
