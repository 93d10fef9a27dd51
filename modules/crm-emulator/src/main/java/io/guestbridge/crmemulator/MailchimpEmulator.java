package io.guestbridge.crmemulator;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mailchimp's Marketing API 3.0 list members as guestbridge uses them: add-or-update by subscriber hash, the batch
 * subscribe call ({@code POST /3.0/lists/{list_id}}, up to 500 members, each added or updated or refused on its own),
 * read, archive and permanent delete. Errors are problem details ({@code application/problem+json}).
 *
 * <p>The difference between archive and permanent delete is the point of this emulator for GDPR work:
 * {@code DELETE} only archives (the member stays, status "archived"); only {@code actions/delete-permanent}
 * erases, and afterwards the address cannot be re-added through the API except as "pending".
 */
public final class MailchimpEmulator extends ServiceEmulator {

    public static final String DEFAULT_API_KEY = "mc-key-us1";

    /** Mailchimp allows each user 10 simultaneous connections. */
    public static final int DEFAULT_MAX_CONCURRENT = 10;

    private static final String ERROR_DOCS = "https://mailchimp.com/developer/marketing/docs/errors/";
    private static final String PROBLEM_JSON = "application/problem+json; charset=utf-8";
    private static final Set<String> SETTABLE_STATUSES =
            Set.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional");
    private static final Pattern MEMBER_PATH = Pattern.compile("^/3\\.0/lists/([^/]+)/members/([^/]+)$");
    /** The list itself: {@code POST} is "Batch subscribe or unsubscribe". */
    private static final Pattern LIST_PATH = Pattern.compile("^/3\\.0/lists/([^/]+)$");
    /** Mailchimp adds or updates at most 500 members per batch subscribe call. */
    public static final int MAX_BATCH_MEMBERS = 500;
    private static final Pattern DELETE_PERMANENT_PATH =
            Pattern.compile("^/3\\.0/lists/([^/]+)/members/([^/]+)/actions/delete-permanent$");
    /** Mailchimp's own timestamp style: seconds and an explicit offset. */
    /** Mailchimp's webhooks say when they fired as "2009-03-26 21:40:57", in UTC. */
    private static final DateTimeFormatter WEBHOOK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MAILCHIMP_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);

    /** A member of one list, by list id, email address and subscriber hash. */
    public record MemberRef(String listId, String emailAddress, String subscriberHash) {
    }

    private static final class Member {
        final String emailAddress;
        final String subscriberHash;
        String status;
        final Map<String, Object> mergeFields = new LinkedHashMap<>();
        Instant lastChanged;

        Member(String emailAddress, String subscriberHash) {
            this.emailAddress = emailAddress;
            this.subscriberHash = subscriberHash;
        }
    }

    private volatile String apiKey = DEFAULT_API_KEY;

    /** Guards the lists and the logs, which change together. */
    private final Object storeLock = new Object();
    /** Members of each known list by subscriber hash. */
    private final Map<String, Map<String, Member>> lists = new LinkedHashMap<>();
    /** Hashes erased from each list: Mailchimp will not let the API silently re-add them. */
    private final Map<String, Set<String>> forgotten = new HashMap<>();
    private final List<MemberRef> permanentlyDeleted = new ArrayList<>();
    private final List<MemberRef> archived = new ArrayList<>();
    /** The webhook URL of each list that has one. */
    private final Map<String, URI> webhooks = new HashMap<>();

    MailchimpEmulator(Clock clock) {
        super("Mailchimp", clock, DEFAULT_MAX_CONCURRENT);
    }

    // ---------------------------------------------------------------- controls for tests

    /** The API key requests must carry as the Basic-auth password (default {@value #DEFAULT_API_KEY}). */
    public void apiKey(String key) {
        this.apiKey = Objects.requireNonNull(key, "key");
    }

    /** Creates an (empty) audience with this id, if it does not exist yet; members of unknown lists get 404. */
    public void list(String listId) {
        synchronized (storeLock) {
            lists.computeIfAbsent(Objects.requireNonNull(listId, "listId"), id -> new LinkedHashMap<>());
        }
    }

    /** At most this many requests at once (default 10, like Mailchimp); more get 429. */
    public void maxConcurrent(int requests) {
        setMaxConcurrent(requests);
    }

    /** Members erased with delete-permanent, in order. */
    public List<MemberRef> permanentlyDeleted() {
        synchronized (storeLock) {
            return List.copyOf(permanentlyDeleted);
        }
    }

    /** Members archived with DELETE (they stay in the list with status "archived"), in order. */
    public List<MemberRef> archived() {
        synchronized (storeLock) {
            return List.copyOf(archived);
        }
    }

    /** The member as the API shows it (archived ones included), or empty. */
    public Optional<Map<String, Object>> member(String listId, String emailAddress) {
        synchronized (storeLock) {
            Map<String, Member> members = lists.getOrDefault(listId, Map.of());
            return Optional.ofNullable(members.get(subscriberHash(emailAddress)))
                    .map(member -> asMap(memberJson(listId, member)));
        }
    }

    /** How many members the list holds (archived ones included). */
    public int memberCount(String listId) {
        synchronized (storeLock) {
            return lists.getOrDefault(listId, Map.of()).size();
        }
    }

    /** All members of a list as the API shows them, in the order they were added. */
    public List<Map<String, Object>> members(String listId) {
        synchronized (storeLock) {
            return lists.getOrDefault(listId, Map.of()).values().stream()
                    .map(member -> asMap(memberJson(listId, member)))
                    .toList();
        }
    }

    /** Mailchimp's subscriber hash: the MD5 of the lower-cased email address, in lower-case hex. */
    public static String subscriberHash(String emailAddress) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(emailAddress.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    @Override
    void clearState() {
        apiKey = DEFAULT_API_KEY;
        synchronized (storeLock) {
            lists.clear();
            forgotten.clear();
            permanentlyDeleted.clear();
            archived.clear();
            webhooks.clear();
        }
    }

    /** The list's webhook: where {@link #unsubscribe} and {@link #clean} post their events. */
    public void webhook(String listId, URI url) {
        synchronized (storeLock) {
            webhooks.put(Objects.requireNonNull(listId, "listId"), Objects.requireNonNull(url, "url"));
        }
    }

    /**
     * The member unsubscribes (the unsubscribe link of a campaign, or an admin in the audience): the status becomes
     * "unsubscribed" and the list's webhook gets Mailchimp's {@code unsubscribe} event, form-encoded
     * ({@code type}, {@code fired_at}, {@code data[action]=unsub}, {@code data[reason]}, {@code data[id]},
     * {@code data[email]}, {@code data[list_id]}, …). Returns the webhook receiver's HTTP status (0 when unreachable).
     */
    public int unsubscribe(String listId, String emailAddress, String reason) {
        return change(listId, emailAddress, "unsubscribed", "unsubscribe", reason);
    }

    /** The address bounced for good: the status becomes "cleaned" and the webhook gets a {@code cleaned} event. */
    public int clean(String listId, String emailAddress) {
        return change(listId, emailAddress, "cleaned", "cleaned", "hard");
    }

    private int change(String listId, String emailAddress, String status, String type, String reason) {
        Map<String, String> form = new LinkedHashMap<>();
        URI target;
        synchronized (storeLock) {
            Member member = lists.getOrDefault(listId, Map.of()).get(subscriberHash(emailAddress));
            if (member == null) {
                throw new IllegalArgumentException("no member " + emailAddress + " in list " + listId);
            }
            member.status = status;
            member.lastChanged = clock.instant();
            target = webhooks.get(listId);
            form.put("type", type);
            form.put("fired_at", WEBHOOK_TIME.format(clock.instant()));
            if (type.equals("unsubscribe")) {
                form.put("data[action]", "unsub");
                form.put("data[reason]", reason);
                form.put("data[id]", member.subscriberHash.substring(0, 10));
                form.put("data[email]", member.emailAddress);
                form.put("data[email_type]", "html");
                form.put("data[ip_opt]", "198.51.100.7");
                form.put("data[merges][EMAIL]", member.emailAddress);
            } else {
                form.put("data[reason]", reason);
                form.put("data[email]", member.emailAddress);
            }
            form.put("data[list_id]", listId);
            form.put("data[campaign_id]", "4fjk2ma9xd");
        }
        if (target == null) {
            return 0;
        }
        StringBuilder body = new StringBuilder();
        form.forEach((key, value) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(key, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return WebhookSender.post(target, "application/x-www-form-urlencoded", body.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /**
     * Members of every list, archived ones included (archiving keeps their data), and the hashes of erased
     * addresses: Mailchimp keeps those to refuse a silent re-import, so they are stored data too.
     */
    @Override
    String storedText() {
        StringBuilder text = new StringBuilder("Mailchimp members\n");
        synchronized (storeLock) {
            lists.forEach((listId, members) -> {
                text.append("  list ").append(listId).append('\n');
                for (Member member : members.values()) {
                    text.append("    member ").append(member.subscriberHash)
                            .append(": email_address=").append(member.emailAddress)
                            .append("; status=").append(member.status)
                            .append("; last_changed=").append(MAILCHIMP_TIME.format(member.lastChanged)).append(';');
                    member.mergeFields.forEach((name, value) -> text.append(" merge_fields.").append(name).append('=')
                            .append(value).append(';'));
                    text.append('\n');
                }
            });
            forgotten.forEach((listId, hashes) ->
                    text.append("  forgotten in list ").append(listId).append(": ").append(new TreeSet<>(hashes)).append('\n'));
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- pipeline hooks

    /** HTTP Basic with any user name and the API key as password, as Mailchimp accepts. */
    @Override
    Optional<EmulatorResponse> authenticate(RecordedRequest request) {
        boolean valid = request.header("Authorization")
                .map(String::trim)
                .filter(value -> value.regionMatches(true, 0, "Basic ", 0, 6))
                .flatMap(value -> decodeBasic(value.substring(6).trim()))
                .map(userAndKey -> userAndKey.substring(userAndKey.indexOf(':') + 1).equals(apiKey))
                .orElse(false);
        return valid ? Optional.empty() : Optional.of(problem(401, "API Key Invalid",
                "Your API key may be invalid, or you've attempted to access the wrong datacenter."));
    }

    /** Mailchimp documents no Retry-After, so none is sent: a connector must back off on its own. */
    @Override
    EmulatorResponse limitExceeded(RecordedRequest request, RequestLimiter.Decision decision) {
        return problem(429, "Too Many Requests", "You have exceeded the limit of requests allowed in this period.");
    }

    @Override
    EmulatorResponse tooManyConcurrent(RecordedRequest request) {
        return problem(429, "Too Many Requests", "You have exceeded the limit of simultaneous connections.");
    }

    @Override
    EmulatorResponse errorResponse(int status, String message) {
        return problem(status, reasonPhrase(status), message);
    }

    @Override
    EmulatorResponse handleRequest(RecordedRequest request) {
        Matcher deletePermanent = DELETE_PERMANENT_PATH.matcher(request.path());
        if (deletePermanent.matches()) {
            return request.method().equals("POST")
                    ? deletePermanent(deletePermanent.group(1), deletePermanent.group(2))
                    : methodNotAllowed(request);
        }
        Matcher list = LIST_PATH.matcher(request.path());
        if (list.matches()) {
            return request.method().equals("POST") ? batchSubscribe(list.group(1), request) : methodNotAllowed(request);
        }
        Matcher member = MEMBER_PATH.matcher(request.path());
        if (member.matches()) {
            String listId = member.group(1);
            String hash = member.group(2).toLowerCase(Locale.ROOT);
            return switch (request.method()) {
                case "PUT" -> addOrUpdate(listId, hash, request);
                case "GET" -> read(listId, hash);
                case "DELETE" -> archive(listId, hash);
                default -> methodNotAllowed(request);
            };
        }
        return resourceNotFound();
    }

    // ---------------------------------------------------------------- endpoints

    /** What became of one member of an add-or-update: stored (created or updated), or refused with Mailchimp's reason. */
    private sealed interface MemberOutcome permits Stored, Refused {
    }

    private record Stored(Member member, boolean created) implements MemberOutcome {
    }

    /**
     * A refused member: {@code field} and {@code fieldMessage} for a value that failed validation (an "Invalid Resource"
     * with an errors array), otherwise a problem of its own title; {@code errorCode} as the batch call reports it.
     */
    private record Refused(String title, String detail, String field, String fieldMessage, String errorCode) implements MemberOutcome {

        static Refused invalid(String field, String message) {
            return new Refused("Invalid Resource", "The resource submitted could not be validated. For field-specific details, see the 'errors' array.",
                    field, message, "ERROR_GENERIC");
        }

        /** The single PUT's answer. */
        EmulatorResponse response() {
            return field != null ? invalidResource(field, fieldMessage) : problem(400, title, detail);
        }

        /** The batch call's entry of its {@code errors} array. */
        JsonObject batchError(String emailAddress) {
            return JsonSupport.JSON.createObjectBuilder()
                    .add("email_address", emailAddress)
                    .add("error", field != null ? fieldMessage : detail)
                    .add("error_code", errorCode)
                    .add("field", field != null ? field : "")
                    .add("field_message", field != null ? fieldMessage : "")
                    .build();
        }
    }

    private EmulatorResponse addOrUpdate(String listId, String hash, RecordedRequest request) {
        Optional<JsonObject> parsed = JsonSupport.parseObject(request.body());
        if (parsed.isEmpty()) {
            return problem(400, "JSON Parse Error", "We encountered an unspecified JSON parsing error.");
        }
        JsonObject body = parsed.get();
        Optional<String> emailAddress = JsonSupport.string(body, "email_address").map(String::trim);
        if (emailAddress.isPresent() && !emailAddress.get().isEmpty() && !subscriberHash(emailAddress.get()).equals(hash)) {
            return problem(400, "Invalid Resource", "The subscriber hash in the URL is not the MD5 hash of the "
                    + "lower-cased email_address " + emailAddress.get() + ".");
        }
        Optional<Refused> invalid = validate(body);
        if (invalid.isPresent()) {
            return invalid.get().response();
        }
        synchronized (storeLock) {
            Map<String, Member> members = lists.get(listId);
            if (members == null) {
                return resourceNotFound();
            }
            MemberOutcome outcome = apply(listId, members, body, true);
            if (outcome instanceof Refused refused) {
                return refused.response();
            }
            countStored(1);
            return EmulatorResponse.json(200, memberJson(listId, ((Stored) outcome).member()));
        }
    }

    /**
     * Batch subscribe or unsubscribe: {@code {"members": [...], "update_existing": bool}}, at most 500 members. Each
     * member is checked and stored as the single PUT would (with status_if_new, status and merge_fields), and one that
     * fails is reported in {@code errors} while the others are stored: the call is 200 however many fail. An existing
     * member is updated only with {@code update_existing: true}; otherwise it is an {@code ERROR_CONTACT_EXISTS}.
     * A body that is not such an object, or with more than 500 members, is refused whole (400, nothing stored).
     */
    private EmulatorResponse batchSubscribe(String listId, RecordedRequest request) {
        Optional<JsonObject> parsed = JsonSupport.parseObject(request.body());
        if (parsed.isEmpty()) {
            return problem(400, "JSON Parse Error", "We encountered an unspecified JSON parsing error.");
        }
        JsonObject body = parsed.get();
        JsonValue given = body.get("members");
        if (given == null) {
            return invalidResource("members", "Required fields were not provided: members");
        }
        if (given.getValueType() != JsonValue.ValueType.ARRAY) {
            return invalidResource("members", "Schema describes array, " + given.getValueType() + " found instead");
        }
        jakarta.json.JsonArray members = given.asJsonArray();
        if (members.size() > MAX_BATCH_MEMBERS) {
            return invalidResource("members", "Schema describes array with at most " + MAX_BATCH_MEMBERS + " items, "
                    + members.size() + " found instead");
        }
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
                return invalidResource("members.item:" + i, "Schema describes object, " + members.get(i).getValueType() + " found instead");
            }
        }
        JsonValue updateExisting = body.getOrDefault("update_existing", JsonValue.FALSE);
        if (updateExisting.getValueType() != JsonValue.ValueType.TRUE && updateExisting.getValueType() != JsonValue.ValueType.FALSE) {
            return invalidResource("update_existing", "Schema describes boolean, " + updateExisting.getValueType() + " found instead");
        }
        boolean update = updateExisting.getValueType() == JsonValue.ValueType.TRUE;

        jakarta.json.JsonArrayBuilder created = JsonSupport.JSON.createArrayBuilder();
        jakarta.json.JsonArrayBuilder updated = JsonSupport.JSON.createArrayBuilder();
        jakarta.json.JsonArrayBuilder errors = JsonSupport.JSON.createArrayBuilder();
        int createdCount = 0;
        int updatedCount = 0;
        int errorCount = 0;
        synchronized (storeLock) {
            Map<String, Member> stored = lists.get(listId);
            if (stored == null) {
                return resourceNotFound();
            }
            for (JsonValue element : members) {
                JsonObject member = element.asJsonObject();
                MemberOutcome outcome = validate(member).<MemberOutcome>map(refused -> refused).orElseGet(() -> apply(listId, stored, member, update));
                if (outcome instanceof Stored done) {
                    if (done.created()) {
                        created.add(memberJson(listId, done.member()));
                        createdCount++;
                    } else {
                        updated.add(memberJson(listId, done.member()));
                        updatedCount++;
                    }
                } else {
                    errors.add(((Refused) outcome).batchError(JsonSupport.string(member, "email_address").orElse("")));
                    errorCount++;
                }
            }
            countStored(createdCount + updatedCount);
        }
        return EmulatorResponse.json(200, JsonSupport.JSON.createObjectBuilder()
                .add("new_members", created)
                .add("updated_members", updated)
                .add("errors", errors)
                .add("total_created", createdCount)
                .add("total_updated", updatedCount)
                .add("error_count", errorCount)
                .add("_links", JsonValue.EMPTY_JSON_ARRAY)
                .build());
    }

    /** The checks of one member's data that need no store: the address, the statuses and the merge fields. */
    private static Optional<Refused> validate(JsonObject body) {
        Optional<String> emailAddress = JsonSupport.string(body, "email_address").map(String::trim);
        if (emailAddress.isEmpty() || emailAddress.get().isEmpty()) {
            return Optional.of(Refused.invalid("email_address", "This value should not be blank."));
        }
        for (String statusField : List.of("status", "status_if_new")) {
            Optional<String> status = JsonSupport.string(body, statusField);
            if (status.isPresent() && !SETTABLE_STATUSES.contains(status.get())) {
                return Optional.of(Refused.invalid(statusField, "Value must be one of: " + String.join(", ", new TreeSet<>(SETTABLE_STATUSES))));
            }
        }
        JsonValue mergeFields = body.getOrDefault("merge_fields", JsonValue.EMPTY_JSON_OBJECT);
        if (mergeFields.getValueType() != JsonValue.ValueType.OBJECT) {
            return Optional.of(Refused.invalid("merge_fields", "Schema describes object, " + mergeFields.getValueType() + " found instead"));
        }
        return Optional.empty();
    }

    /**
     * Adds or updates one validated member (caller holds the store lock). A new (or archived, hence re-added) member
     * takes status_if_new; an existing one keeps its status unless "status" says otherwise, and is refused when
     * {@code updateExisting} is false.
     */
    private MemberOutcome apply(String listId, Map<String, Member> members, JsonObject body, boolean updateExisting) {
        String emailAddress = JsonSupport.string(body, "email_address").orElseThrow().trim();
        String hash = subscriberHash(emailAddress);
        Optional<String> status = JsonSupport.string(body, "status");
        Optional<String> statusIfNew = JsonSupport.string(body, "status_if_new");
        Member existing = members.get(hash);
        boolean isNew = existing == null || existing.status.equals("archived");
        if (!isNew && !updateExisting) {
            return new Refused("Member Exists", emailAddress + " is already a list member.", null, null, "ERROR_CONTACT_EXISTS");
        }
        String newStatus = isNew ? statusIfNew.or(() -> status).orElse(null) : status.orElse(existing.status);
        if (newStatus == null) {
            return Refused.invalid("status_if_new", "This value should not be blank.");
        }
        if (forgotten.getOrDefault(listId, Set.of()).contains(hash) && !newStatus.equals("pending")) {
            return new Refused("Forgotten Email Not Subscribed", emailAddress + " was permanently deleted and cannot be re-imported. "
                    + "The contact must re-subscribe to get back on the list.", null, null, "ERROR_GENERIC");
        }
        Member member = existing != null ? existing : new Member(emailAddress, hash);
        if (existing == null) {
            members.put(hash, member);
            // Re-subscribed through double opt-in: no longer a forgotten address.
            Set<String> erased = forgotten.get(listId);
            if (erased != null) {
                erased.remove(hash);
            }
        }
        member.status = newStatus;
        body.getOrDefault("merge_fields", JsonValue.EMPTY_JSON_OBJECT).asJsonObject()
                .forEach((name, value) -> member.mergeFields.put(name, JsonSupport.toJava(value)));
        member.lastChanged = clock.instant();
        return new Stored(member, isNew);
    }

    private EmulatorResponse read(String listId, String hash) {
        synchronized (storeLock) {
            Member member = lists.getOrDefault(listId, Map.of()).get(hash);
            return member == null ? resourceNotFound() : EmulatorResponse.json(200, memberJson(listId, member));
        }
    }

    /** DELETE: Mailchimp only archives; the member and its data stay. */
    private EmulatorResponse archive(String listId, String hash) {
        synchronized (storeLock) {
            Member member = lists.getOrDefault(listId, Map.of()).get(hash);
            if (member == null) {
                return resourceNotFound();
            }
            if (!member.status.equals("archived")) {
                member.status = "archived";
                member.lastChanged = clock.instant();
                archived.add(new MemberRef(listId, member.emailAddress, hash));
            }
            return EmulatorResponse.empty(204);
        }
    }

    private EmulatorResponse deletePermanent(String listId, String hashInPath) {
        String hash = hashInPath.toLowerCase(Locale.ROOT);
        synchronized (storeLock) {
            Map<String, Member> members = lists.get(listId);
            Member member = members == null ? null : members.remove(hash);
            if (member == null) {
                return resourceNotFound();
            }
            forgotten.computeIfAbsent(listId, id -> new HashSet<>()).add(hash);
            permanentlyDeleted.add(new MemberRef(listId, member.emailAddress, hash));
            return EmulatorResponse.empty(204);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static JsonObject memberJson(String listId, Member member) {
        JsonObjectBuilder mergeFields = JsonSupport.JSON.createObjectBuilder();
        member.mergeFields.forEach((name, value) -> mergeFields.add(name, JsonSupport.toJson(value)));
        return JsonSupport.JSON.createObjectBuilder()
                .add("id", member.subscriberHash)
                .add("email_address", member.emailAddress)
                .add("unique_email_id", member.subscriberHash.substring(0, 10))
                .add("email_type", "html")
                .add("status", member.status)
                .add("merge_fields", mergeFields)
                .add("last_changed", MAILCHIMP_TIME.format(member.lastChanged))
                .add("list_id", listId)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(JsonObject json) {
        return (Map<String, Object>) JsonSupport.toJava(json);
    }

    private static Optional<String> decodeBasic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            return decoded.contains(":") ? Optional.of(decoded) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private static EmulatorResponse resourceNotFound() {
        return problem(404, "Resource Not Found", "The requested resource could not be found.");
    }

    private static EmulatorResponse methodNotAllowed(RecordedRequest request) {
        return problem(405, "Method Not Allowed", "The requested method and resource are not compatible. "
                + request.method() + " is not supported on " + request.path() + ".");
    }

    private static EmulatorResponse invalidResource(String field, String message) {
        JsonObject body = problemBody(400, "Invalid Resource",
                "The resource submitted could not be validated. For field-specific details, see the 'errors' array.")
                .add("errors", JsonSupport.JSON.createArrayBuilder()
                        .add(JsonSupport.JSON.createObjectBuilder().add("field", field).add("message", message)))
                .build();
        return EmulatorResponse.json(400, body, PROBLEM_JSON);
    }

    /** Mailchimp's error body, an RFC 7807 problem detail. */
    private static EmulatorResponse problem(int status, String title, String detail) {
        return EmulatorResponse.json(status, problemBody(status, title, detail).build(), PROBLEM_JSON);
    }

    private static JsonObjectBuilder problemBody(int status, String title, String detail) {
        return JsonSupport.JSON.createObjectBuilder()
                .add("type", ERROR_DOCS)
                .add("title", title)
                .add("status", status)
                .add("detail", detail)
                .add("instance", UUID.randomUUID().toString());
    }
}
