package io.guestbridge.crmsync.internal.connectors;

import org.eclipse.microprofile.config.Config;

import io.guestbridge.platform.api.OutboundTargets;
import io.guestbridge.platform.api.RateBudget;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One configured CRM connector, read from MicroProfile Config under {@code crm.<name>.}: its type and
 * endpoint, batching, request budget, field mapping and credentials. A mapping that names a field the
 * CRM does not declare makes the connector invalid (with the field named), and only that connector
 * is disabled.
 *
 * @param mapping  guest field → CRM property, e.g. LAST_DWELL_MINUTES → Last_Visit_Duration__c
 * @param triggers what syncs a guest to this connector as configured ({@code crm.<name>.triggers}, comma-separated,
 *                 default all of {@link SyncTrigger}); an operator may replace them at run time through the API
 */
public record ConnectorSettings(String name, Type type, URI baseUrl, int batchSize, Duration linger, int windowRequests, Duration window,
                         int dailyLimit, Duration timeout, Map<String, String> mapping, String marketingProperty,
                         boolean syncWithoutConsent, String token, Map<String, String> options, List<String> problems,
                         Set<SyncTrigger> triggers) {

    /**
     * How late after its take a request may arrive at the CRM and still be counted in the window the budget meant
     * (crm.&lt;name&gt;.rate-limit-leeway-ms, default 250): the budget spaces its requests by a share of it too, so a
     * request that leaves late on a busy machine or arrives late through the network does not put one more into a
     * window of the CRM's (which answers that with a 429 or, Salesforce, a 403 waited out for a minute). It costs
     * {@code leeway / (window + leeway)} of the rate: 2.4% of 100 requests per 10 s.
     */
    public Duration rateLeeway() {
        return Duration.ofMillis(Long.parseLong(options.getOrDefault("rate-limit-leeway-ms", Long.toString(DEFAULT_RATE_LEEWAY.toMillis()))));
    }

    static final Duration DEFAULT_RATE_LEEWAY = Duration.ofMillis(250);

    /** The connector's request budget, shared by every instance: its window, pace, daily cap and leeway for late arrivals. */
    public RateBudget.Rate rate() {
        return new RateBudget.Rate("crm:" + name, windowRequests, window, dailyLimit, rateLeeway());
    }

    /**
     * A type-specific setting ({@code crm.<name>.<key>}), e.g. Salesforce's client-id, client-secret,
     * api-version, external-id-field; Mailchimp's api-key and list-id; the REST connector's template.
     */
    public String option(String key) {
        return options.get(key);
    }

    /**
     * Requests in flight at once per instance (crm.&lt;name&gt;.concurrency, 1 to 10; by default enough workers for the
     * connector's pace, at least {@link #DEFAULT_CONCURRENCY}; Mailchimp {@link #DEFAULT_MAILCHIMP_CONCURRENCY}). Each
     * in-flight request is a worker's round: claim the batch, read its guests, take the budget, send, record the outcome.
     * A budget slot that comes while every worker is still in its round goes unused and the next request leaves later:
     * at 100 requests per 10 s a slot comes every 102.5 ms, and on two busy cores a round takes 200 to 300 ms, so three
     * workers drained 50,000 contacts in 1.050× the minimum and six in 1.028× (the leeway alone costs 1.025×), with the
     * same CPU per contact. With three CRMs draining at once on the same two cores a round takes up to
     * {@link #BUSY_ROUND} (a HubSpot account at 190 per 10 s, a slot every 54 ms: six workers 1.06 to 1.11× its minimum,
     * ten 1.04 to 1.05×): the default is a worker for every slot within such a round.
     */
    public int concurrency() {
        int fallback = type == Type.MAILCHIMP ? DEFAULT_MAILCHIMP_CONCURRENCY : workersForPace(rate().spacing());
        return Math.max(1, Math.min(MAX_CONCURRENCY, Integer.parseInt(options.getOrDefault("concurrency", Integer.toString(fallback)))));
    }

    /** Workers for a budget slot every {@code spacing}: one per slot within a {@link #BUSY_ROUND}, {@link #DEFAULT_CONCURRENCY} to {@link #MAX_CONCURRENCY}. */
    static int workersForPace(Duration spacing) {
        long perRound = spacing.isZero() ? MAX_CONCURRENCY : (BUSY_ROUND.toNanos() + spacing.toNanos() - 1) / spacing.toNanos();
        return (int) Math.max(DEFAULT_CONCURRENCY, Math.min(MAX_CONCURRENCY, perRound));
    }

    static final int DEFAULT_CONCURRENCY = 6;
    static final int MAX_CONCURRENCY = 10;
    /** How long a worker's round takes on two cores busy with several connectors' drains. */
    static final Duration BUSY_ROUND = Duration.ofMillis(500);
    /** Mailchimp allows 10 simultaneous connections per account, all instances together: 3 leaves room for a second one. */
    static final int DEFAULT_MAILCHIMP_CONCURRENCY = 3;

    /** How long the circuit stays open after the CRM kept failing (crm.<name>.circuit-open-ms, default 30 s). */
    public Duration circuitOpenFor() {
        return Duration.ofMillis(Long.parseLong(options.getOrDefault("circuit-open-ms", "30000")));
    }

    public enum Type {
        HUBSPOT(100), SALESFORCE(200), MAILCHIMP(500), REST(100);

        final int maxBatch;

        Type(int maxBatch) {
            this.maxBatch = maxBatch;
        }
    }

    /** Type-specific settings read into {@link #options()}. */
    static final List<String> OPTIONS = List.of("client-id", "client-secret", "token-url", "api-version", "external-id-field", "api-key",
            "list-id", "template", "signing-secret", "circuit-open-ms", "concurrency", "opt-out-property", "marketing-subscriptions",
            "rate-limit-leeway-ms");

    /**
     * Profile values a mapping may use besides the guest fields ({@link GuestValues}), e.g. the proof of the marketing
     * consent in force: {@code crm.<name>.mapping.consent_captured_at=gb_consent_at}.
     */
    static final Set<String> DERIVED = GuestValues.DERIVED;

    /** HubSpot's default contact properties that guestbridge may write (others must be declared with crm.<name>.fields). */
    static final Set<String> HUBSPOT_DECLARED = Set.of("email", "firstname", "lastname", "phone", "date_of_birth", "gender");

    static final Map<String, String> HUBSPOT_DEFAULT_MAPPING = Map.of("EMAIL", "email", "FIRST_NAME", "firstname", "LAST_NAME", "lastname",
            "PHONE", "phone");

    /** Salesforce Contact's standard fields guestbridge may write, and the default mapping onto them. */
    static final Set<String> SALESFORCE_DECLARED = Set.of("Email", "FirstName", "LastName", "Phone", "MobilePhone", "Birthdate", "HasOptedOutOfEmail");
    static final Map<String, String> SALESFORCE_DEFAULT_MAPPING = Map.of("EMAIL", "Email", "FIRST_NAME", "FirstName", "LAST_NAME", "LastName",
            "PHONE", "Phone", "BIRTH_DATE", "Birthdate");

    /** Mailchimp's default merge fields; the member's status follows the marketing consent (property "marketing"). */
    static final Set<String> MAILCHIMP_DECLARED = Set.of("FNAME", "LNAME", "PHONE", "BIRTHDAY", "marketing");
    static final Map<String, String> MAILCHIMP_DEFAULT_MAPPING = Map.of("FIRST_NAME", "FNAME", "LAST_NAME", "LNAME", "PHONE", "PHONE");

    /** The generic REST connector's default field names (a template can rename them). */
    static final Set<String> REST_DECLARED = Set.of("email", "first_name", "last_name", "phone", "marketing_consent");
    static final Map<String, String> REST_DEFAULT_MAPPING = Map.of("EMAIL", "email", "FIRST_NAME", "first_name", "LAST_NAME", "last_name",
            "PHONE", "phone");

    public boolean enabled() {
        return problems.isEmpty();
    }

    static ConnectorSettings from(Config config, String name) {
        String prefix = "crm." + name + ".";
        List<String> problems = new ArrayList<>();
        Type type;
        try {
            type = Type.valueOf(config.getOptionalValue(prefix + "type", String.class).orElse("").trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(prefix + "type must be hubspot, salesforce, mailchimp or rest");
            type = Type.REST;
        }
        URI base = null;
        Optional<String> url = config.getOptionalValue(prefix + "base-url", String.class);
        if (url.isEmpty()) {
            problems.add(prefix + "base-url is not set");
        } else {
            try {
                base = URI.create(url.get().replaceAll("/+$", ""));
                OutboundTargets.from(config).refusal(base, prefix + "base-url").ifPresent(problems::add);
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "base-url is not a URL");
            }
        }
        config.getOptionalValue(prefix + "token-url", String.class).filter(u -> !u.isBlank()).ifPresent(tokenUrl -> {
            try {
                OutboundTargets.from(config).refusal(URI.create(tokenUrl.strip()), prefix + "token-url").ifPresent(problems::add);
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "token-url is not a URL");
            }
        });
        int batch = config.getOptionalValue(prefix + "batch-size", Integer.class).orElse(type.maxBatch);
        if (batch < 1 || batch > type.maxBatch) {
            problems.add(prefix + "batch-size must be 1.." + type.maxBatch + " for " + type.name().toLowerCase(Locale.ROOT));
        }
        Duration linger = Duration.ofMillis(config.getOptionalValue(prefix + "linger-ms", Long.class).orElse(2_000L));
        int windowRequests = config.getOptionalValue(prefix + "rate-limit-requests", Integer.class).orElse(100);
        Duration window = Duration.ofMillis(config.getOptionalValue(prefix + "rate-limit-window-ms", Long.class).orElse(10_000L));
        int daily = config.getOptionalValue(prefix + "daily-limit", Integer.class).orElse(250_000);
        Duration timeout = Duration.ofMillis(config.getOptionalValue(prefix + "timeout-ms", Long.class).orElse(10_000L));
        Set<String> declared = new TreeSet<>(switch (type) {
            case HUBSPOT -> HUBSPOT_DECLARED;
            case SALESFORCE -> SALESFORCE_DECLARED;
            case MAILCHIMP -> MAILCHIMP_DECLARED;
            case REST -> REST_DECLARED;
        });
        config.getOptionalValue(prefix + "fields", String.class).ifPresent(f -> {
            for (String field : f.split(",")) {
                if (!field.isBlank()) {
                    declared.add(field.trim());
                }
            }
        });
        String marketing = config.getOptionalValue(prefix + "marketing-property", String.class)
                .orElse(type == Type.MAILCHIMP ? "marketing" : type == Type.REST ? "marketing_consent" : null);
        if (marketing != null && !declared.contains(marketing)) {
            problems.add(prefix + "marketing-property " + marketing + " is not a field the CRM declares (" + prefix + "fields)");
        }
        // Salesforce's standard opt-out flag is on by default: a withdrawal must reach the CRM that mails the guest
        String optOut = config.getOptionalValue(prefix + "opt-out-property", String.class).map(String::strip)
                .orElse(type == Type.SALESFORCE ? "HasOptedOutOfEmail" : "");
        if (!optOut.isEmpty() && !declared.contains(optOut)) {
            problems.add(prefix + "opt-out-property " + optOut + " is not a field the CRM declares (" + prefix + "fields)");
        }
        Map<String, String> mapping = new LinkedHashMap<>(switch (type) {
            case HUBSPOT -> HUBSPOT_DEFAULT_MAPPING;
            case SALESFORCE -> SALESFORCE_DEFAULT_MAPPING;
            case MAILCHIMP -> MAILCHIMP_DEFAULT_MAPPING;
            case REST -> REST_DEFAULT_MAPPING;
        });
        // mappings come as crm.<name>.mapping.<field> (properties files, -D) or CRM_<NAME>_MAPPING_<FIELD> (environment)
        String envPrefix = (prefix + "mapping.").toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        for (String property : config.getPropertyNames()) {
            String field = null;
            if (property.startsWith(prefix + "mapping.")) {
                field = property.substring((prefix + "mapping.").length()).toUpperCase(Locale.ROOT).replace('-', '_');
            } else if (property.startsWith(envPrefix)) {
                field = property.substring(envPrefix.length());
            }
            if (field != null) {
                String target = config.getValue(property, String.class).trim();
                if (!isGuestValue(field)) {
                    problems.add(property + ": " + field + " is not a guest field or a derived value");
                } else if (!declared.contains(target)) {
                    problems.add(property + ": the CRM declares no field " + target + " (declare it in " + prefix + "fields)");
                } else {
                    mapping.put(field, target);
                }
            }
        }
        if (!mapping.containsKey("EMAIL") && type != Type.MAILCHIMP) {
            problems.add(prefix + "mapping.email is required: contacts are upserted by email");
        }
        String token = config.getOptionalValue(prefix + "token", String.class).orElse(null);
        if (token == null && type == Type.HUBSPOT) {
            problems.add(prefix + "token is not set (use a secret file or the environment)");
        }
        boolean withoutConsent = config.getOptionalValue(prefix + "sync-without-consent", Boolean.class).orElse(true);
        Set<SyncTrigger> triggers = SyncTrigger.ALL;
        Optional<String> configuredTriggers = config.getOptionalValue(prefix + "triggers", String.class);
        if (configuredTriggers.isPresent()) {
            try {
                triggers = SyncTrigger.parse(List.of(configuredTriggers.get().split(",")).stream().filter(t -> !t.isBlank()).toList());
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "triggers: " + e.getMessage());
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String key : OPTIONS) {
            config.getOptionalValue(prefix + key, String.class).ifPresent(v -> options.put(key, v.trim()));
        }
        if (optOut.isEmpty()) {
            options.remove("opt-out-property");
        } else {
            options.put("opt-out-property", optOut);
        }
        String leeway = options.get("rate-limit-leeway-ms");
        if (leeway != null && !leeway.matches("\\d{1,6}")) {
            problems.add(prefix + "rate-limit-leeway-ms must be a number of milliseconds from 0 to 999999");
            options.remove("rate-limit-leeway-ms");
        }
        for (String required : switch (type) {
            case SALESFORCE -> List.of("client-id", "client-secret");
            case MAILCHIMP -> List.of("api-key", "list-id");
            default -> List.<String>of();
        }) {
            if (!options.containsKey(required)) {
                problems.add(prefix + required + " is not set");
            }
        }
        return new ConnectorSettings(name, type, base, Math.max(1, Math.min(batch, type.maxBatch)), linger, Math.max(1, windowRequests), window,
                Math.max(1, daily), timeout, Map.copyOf(mapping), marketing, withoutConsent, token, Map.copyOf(options), List.copyOf(problems),
                triggers);
    }

    private static boolean isGuestValue(String field) {
        return GuestValues.isGuestValue(field);
    }

    /** The queue that carries this connector's work, one item per guest (coalesced). */
    public String queue() {
        return "crm:" + name;
    }

    @Override
    public String toString() {
        return "ConnectorSettings[" + name + ", " + type + ", credentials and options redacted]";
    }
}
