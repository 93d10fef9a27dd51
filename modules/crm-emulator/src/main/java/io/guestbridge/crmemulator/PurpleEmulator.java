package io.guestbridge.crmemulator;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Purple WiFi platform's Company API as guestbridge's erasure uses it: find a company's visitors by email,
 * then delete each one, authentication history included.
 *
 * <p><b>A model, not a copy.</b> Purple does not publish its deletion API in any document we hold, so unlike the
 * other emulators this one is not checked against the vendor's contract; the paths, bodies and error shape below
 * are our assumption and must be revisited once Purple's real contract is known:
 * <ul>
 *   <li>{@code Authorization: Bearer <token>} on every request; anything but the configured token is 401.</li>
 *   <li>{@code GET /api/company/v1/{companyId}/visitors?email=<address>} answers
 *       {@code {"data":{"visitors":[{id, email, first_name, last_name, mobile, macs[], venues[{id, name}]}]}}},
 *       matching the email without regard to case; no match is an empty list, not 404.</li>
 *   <li>{@code DELETE /api/company/v1/{companyId}/visitors/{visitorId}} answers
 *       {@code {"data":{"deleted":true,"visitor_id":…,"deletion_reference":<uuid>}}}; an unknown visitor is 404.</li>
 *   <li>An unknown company is 404; errors are {@code {"error":{"status":…,"message":…}}}.</li>
 *   <li>Over a quota: 429 with Retry-After (assumed, as Purple documents no limits to us).</li>
 * </ul>
 *
 * <p>Deletion is a real erasure (GDPR Art. 17): the visitor, its MACs and its authentication history go, and the
 * emulator keeps only the deleted visitor's id for assertions, never its email.
 */
public final class PurpleEmulator extends ServiceEmulator {

    public static final String DEFAULT_TOKEN = "purple-test-token";

    /** Where {@link #addVisitor} says the visitor first logged in, when a test names no venue. */
    public static final String DEFAULT_VENUE_ID = "888";
    public static final String DEFAULT_VENUE_NAME = "Emulated venue";

    /** Ids start here rather than at 1 so that an id is never mistaken for a list index in a test. */
    private static final long FIRST_VISITOR_ID = 7001;

    private static final Pattern VISITORS_PATH = Pattern.compile("^/api/company/v1/([^/]+)/visitors$");
    private static final Pattern VISITOR_PATH = Pattern.compile("^/api/company/v1/([^/]+)/visitors/([^/]+)$");

    /** One WiFi login: which device, where and when. Purple derives a visitor's MACs and venues from these. */
    private record Authentication(String mac, String venueId, String venueName, Instant at) {
    }

    private static final class Visitor {
        final String id;
        final String email;
        final String firstName;
        final String lastName;
        final String mobile;
        final List<Authentication> authentications = new ArrayList<>();

        Visitor(String id, String email, String firstName, String lastName, String mobile) {
            this.id = id;
            this.email = email;
            this.firstName = firstName;
            this.lastName = lastName;
            this.mobile = mobile;
        }

        boolean hasEmail(String wanted) {
            return email.trim().equalsIgnoreCase(wanted.trim());
        }
    }

    private volatile String token = DEFAULT_TOKEN;

    /** Guards the companies, the id sequence and the deletion log, which change together. */
    private final Object storeLock = new Object();
    /** Each known company's visitors by visitor id. */
    private final Map<String, Map<String, Visitor>> companies = new LinkedHashMap<>();
    private long nextVisitorId = FIRST_VISITOR_ID;
    private final List<String> deletedVisitorIds = new ArrayList<>();

    PurpleEmulator(Clock clock) {
        super("Purple", clock, Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------- controls for tests

    /** The bearer token requests must carry (default {@value #DEFAULT_TOKEN}). */
    public void token(String token) {
        this.token = Objects.requireNonNull(token, "token");
    }

    /** Creates a company without visitors, if it does not exist yet; requests about unknown companies get 404. */
    public void company(String companyId) {
        synchronized (storeLock) {
            companies.computeIfAbsent(Objects.requireNonNull(companyId, "companyId"), id -> new LinkedHashMap<>());
        }
    }

    /**
     * Adds a visitor (and its company, if new) as if it had logged in once with {@code mac} at the default venue;
     * {@code firstName}, {@code lastName}, {@code mobile} and {@code mac} may be null. Returns the visitor id.
     *
     * @throws IllegalArgumentException if the company already has a visitor with this email (any case): Purple
     *                                  knows one visitor per email, and {@link #visitor} relies on it
     */
    public String addVisitor(String companyId, String email, String firstName, String lastName, String mobile,
                             String mac) {
        Objects.requireNonNull(companyId, "companyId");
        Objects.requireNonNull(email, "email");
        synchronized (storeLock) {
            Map<String, Visitor> visitors = companies.computeIfAbsent(companyId, id -> new LinkedHashMap<>());
            if (visitors.values().stream().anyMatch(visitor -> visitor.hasEmail(email))) {
                throw new IllegalArgumentException("company " + companyId + " already has a visitor with email " + email);
            }
            Visitor visitor = new Visitor(Long.toString(nextVisitorId++), email, firstName, lastName, mobile);
            if (mac != null) {
                visitor.authentications.add(new Authentication(mac, DEFAULT_VENUE_ID, DEFAULT_VENUE_NAME, clock.instant()));
            }
            visitors.put(visitor.id, visitor);
            return visitor.id;
        }
    }

    /** Records another login of a visitor, so it has several MACs, venues or history entries to be erased. */
    public void recordAuthentication(String companyId, String visitorId, String mac, String venueId, String venueName) {
        synchronized (storeLock) {
            Visitor visitor = companies.getOrDefault(companyId, Map.of()).get(visitorId);
            if (visitor == null) {
                throw new IllegalArgumentException("company " + companyId + " has no visitor " + visitorId);
            }
            visitor.authentications.add(new Authentication(Objects.requireNonNull(mac, "mac"),
                    Objects.requireNonNull(venueId, "venueId"), Objects.requireNonNull(venueName, "venueName"),
                    clock.instant()));
        }
    }

    /** The company's visitor with this email (any case) as the lookup shows it, or empty. */
    public Optional<Map<String, Object>> visitor(String companyId, String email) {
        synchronized (storeLock) {
            return companies.getOrDefault(companyId, Map.of()).values().stream()
                    .filter(visitor -> visitor.hasEmail(email))
                    .findFirst()
                    .map(visitor -> asMap(visitorJson(visitor)));
        }
    }

    /** Ids of the visitors deleted through the API, in order; the only trace a deletion leaves. */
    public List<String> deletedVisitorIds() {
        synchronized (storeLock) {
            return List.copyOf(deletedVisitorIds);
        }
    }

    @Override
    void clearState() {
        token = DEFAULT_TOKEN;
        synchronized (storeLock) {
            companies.clear();
            nextVisitorId = FIRST_VISITOR_ID;
            deletedVisitorIds.clear();
        }
    }

    @Override
    String storedText() {
        StringBuilder text = new StringBuilder("Purple visitors\n");
        synchronized (storeLock) {
            companies.forEach((companyId, visitors) -> {
                text.append("  company ").append(companyId).append('\n');
                for (Visitor visitor : visitors.values()) {
                    text.append("    visitor ").append(visitor.id)
                            .append(": email=").append(visitor.email)
                            .append("; first_name=").append(visitor.firstName)
                            .append("; last_name=").append(visitor.lastName)
                            .append("; mobile=").append(visitor.mobile).append('\n');
                    for (Authentication login : visitor.authentications) {
                        text.append("      authentication: mac=").append(login.mac())
                                .append("; venue=").append(login.venueId()).append(' ').append(login.venueName())
                                .append("; at=").append(JsonSupport.timestamp(login.at())).append('\n');
                    }
                }
            });
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- pipeline hooks

    @Override
    Optional<EmulatorResponse> authenticate(RecordedRequest request) {
        boolean valid = bearerToken(request).filter(token::equals).isPresent();
        return valid ? Optional.empty() : Optional.of(error(401, "Unauthenticated: a valid bearer token is required"));
    }

    @Override
    EmulatorResponse limitExceeded(RecordedRequest request, RequestLimiter.Decision decision) {
        return error(429, "Too many requests").header("Retry-After", Long.toString(decision.retryAfterSeconds()));
    }

    @Override
    EmulatorResponse errorResponse(int status, String message) {
        return error(status, message);
    }

    @Override
    EmulatorResponse handleRequest(RecordedRequest request) {
        Matcher single = VISITOR_PATH.matcher(request.path());
        if (single.matches()) {
            return request.method().equals("DELETE")
                    ? deleteVisitor(single.group(1), single.group(2))
                    : methodNotAllowed(request, "DELETE");
        }
        Matcher collection = VISITORS_PATH.matcher(request.path());
        if (collection.matches()) {
            return request.method().equals("GET")
                    ? findVisitors(collection.group(1), request)
                    : methodNotAllowed(request, "GET");
        }
        return error(404, "The crm-emulator does not implement " + request.describe());
    }

    // ---------------------------------------------------------------- endpoints

    private EmulatorResponse findVisitors(String companyId, RecordedRequest request) {
        List<String> emails = request.queryParameters().getOrDefault("email", List.of());
        if (emails.isEmpty() || emails.get(0).isBlank()) {
            return error(400, "The email query parameter is required");
        }
        String email = emails.get(0);
        synchronized (storeLock) {
            Map<String, Visitor> visitors = companies.get(companyId);
            if (visitors == null) {
                return companyNotFound(companyId);
            }
            JsonArrayBuilder found = JsonSupport.JSON.createArrayBuilder();
            visitors.values().stream().filter(visitor -> visitor.hasEmail(email)).map(PurpleEmulator::visitorJson)
                    .forEach(found::add);
            return EmulatorResponse.json(200, data(JsonSupport.JSON.createObjectBuilder().add("visitors", found)));
        }
    }

    private EmulatorResponse deleteVisitor(String companyId, String visitorId) {
        synchronized (storeLock) {
            Map<String, Visitor> visitors = companies.get(companyId);
            if (visitors == null) {
                return companyNotFound(companyId);
            }
            // Removing the object takes its authentication history with it: nothing of the visitor stays behind.
            if (visitors.remove(visitorId) == null) {
                return error(404, "Visitor " + visitorId + " not found in company " + companyId);
            }
            deletedVisitorIds.add(visitorId);
        }
        return EmulatorResponse.json(200, data(JsonSupport.JSON.createObjectBuilder()
                .add("deleted", true)
                .add("visitor_id", visitorId)
                .add("deletion_reference", UUID.randomUUID().toString())));
    }

    // ---------------------------------------------------------------- helpers

    private static JsonObject visitorJson(Visitor visitor) {
        Set<String> macs = new LinkedHashSet<>();
        Map<String, String> venues = new LinkedHashMap<>();
        for (Authentication login : visitor.authentications) {
            macs.add(login.mac());
            venues.putIfAbsent(login.venueId(), login.venueName());
        }
        JsonArrayBuilder macArray = JsonSupport.JSON.createArrayBuilder();
        macs.forEach(macArray::add);
        JsonArrayBuilder venueArray = JsonSupport.JSON.createArrayBuilder();
        venues.forEach((id, name) -> venueArray.add(JsonSupport.JSON.createObjectBuilder().add("id", id).add("name", name)));
        return JsonSupport.JSON.createObjectBuilder()
                .add("id", visitor.id)
                .add("email", visitor.email)
                .add("first_name", nullable(visitor.firstName))
                .add("last_name", nullable(visitor.lastName))
                .add("mobile", nullable(visitor.mobile))
                .add("macs", macArray)
                .add("venues", venueArray)
                .build();
    }

    private static JsonValue nullable(String value) {
        return value == null ? JsonValue.NULL : JsonSupport.JSON.createValue(value);
    }

    private static JsonObject data(JsonObjectBuilder content) {
        return JsonSupport.JSON.createObjectBuilder().add("data", content).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(JsonObject json) {
        return (Map<String, Object>) JsonSupport.toJava(json);
    }

    private static EmulatorResponse companyNotFound(String companyId) {
        return error(404, "Company " + companyId + " not found");
    }

    private static EmulatorResponse methodNotAllowed(RecordedRequest request, String allowed) {
        return error(405, request.method() + " is not allowed on " + request.path() + "; allowed: " + allowed)
                .header("Allow", allowed);
    }

    /** The modelled error body: {@code {"error":{"status":…,"message":…}}}. */
    private static EmulatorResponse error(int status, String message) {
        JsonObject body = JsonSupport.JSON.createObjectBuilder()
                .add("error", JsonSupport.JSON.createObjectBuilder().add("status", status).add("message", message))
                .build();
        return EmulatorResponse.json(status, body);
    }
}
