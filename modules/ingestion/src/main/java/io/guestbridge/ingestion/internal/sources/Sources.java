package io.guestbridge.ingestion.internal.sources;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.AttemptLimits;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WebhookSignatures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The registry of senders. Registration and revocation are audited; the webhook hot path looks keys
 * up through a short-lived cache so that a burst does not query the registry once per request (a
 * revocation takes effect within {@link #CACHE_TTL}).
 */
@ApplicationScoped
public class Sources {

    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final Duration UNKNOWN_KEY_AUDIT_INTERVAL = Duration.ofMinutes(1);

    @PersistenceContext(unitName = "ingestion")
    EntityManager em;

    @Inject
    AuditTrail trail;

    @Inject
    AttemptLimits attempts;

    /** This bean through its proxy: the audit of an unknown key runs in its own transaction. */
    @Inject
    Sources self;

    @Inject
    @ConfigProperty(name = "ingestion.guessing.unknown-keys-per-10-minutes", defaultValue = "30")
    int unknownKeysPerWindow;

    @Inject
    jakarta.enterprise.inject.Instance<SecretBox> secretBox;

    /** How long a rotated-out signing secret keeps verifying, so the sender can switch without a gap. */
    static final Duration ROTATION_GRACE = Duration.ofHours(24);

    private final Map<String, CachedSecrets> secretsBySource = new ConcurrentHashMap<>();
    private volatile CachedSources signers;

    private record CachedSecrets(List<String> secrets, Instant until) {
    }

    private record CachedSources(List<ActiveSource> sources, Instant until) {
    }

    private final Map<String, Cached> byKeyHash = new ConcurrentHashMap<>();
    private final Map<String, Instant> unknownKeysAudited = new ConcurrentHashMap<>();

    private record Cached(Optional<ActiveSource> source, Instant until) {
    }

    /** What the hot path needs to know about a source, detached from JPA. */
    public record ActiveSource(String id, Source.Kind kind, ZoneId zone) {
    }

    /** Registers a source from what a person typed or sent, with the checks every channel applies. */
    @Transactional
    public Source.Registration register(String kind, String name, String venueRef, String timeZone, String actor) {
        Source.Kind parsed = kind(kind);
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > 120) {
            throw ProblemException.invalid("name is required and at most 120 characters");
        }
        if (venueRef != null && !venueRef.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw ProblemException.invalid("venueRef must be an id of at most 64 letters, digits, '.', '_', ':' or '-'");
        }
        if (timeZone == null) {
            throw ProblemException.invalid("timeZone is required, e.g. Europe/London");
        }
        return register(parsed, stripped, venueRef, timeZone, actor);
    }

    /** Where a source's sender posts: Purple and booking senders by their key in the path, generic ones by their signature. */
    public static String webhookPath(Source.Kind kind, String key) {
        return switch (kind) {
            case PURPLE -> "/api/v1/ingest/purple/" + key;
            case BOOKING -> "/api/v1/ingest/bookings/" + key;
            case GENERIC -> "/api/v1/ingest/guest-events";
        };
    }

    private static Source.Kind kind(String value) {
        try {
            return Source.Kind.valueOf(value == null ? "" : value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("kind must be one of PURPLE, BOOKING, GENERIC");
        }
    }

    @Transactional
    public Source.Registration register(Source.Kind kind, String name, String venueRef, String timeZone, String actor) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        } catch (RuntimeException e) {
            throw ProblemException.invalid("timeZone must be an IANA time zone such as Europe/London");
        }
        Instant now = Instant.now();
        Source.Registration registration = Source.register(kind, name, venueRef, zone, now);
        em.persist(registration.source());
        em.flush(); // the secret's row refers to the source's; EclipseLink does not order unrelated entities
        String secret = null;
        if (kind != Source.Kind.PURPLE) {
            secret = WebhookSignatures.newSecret();
            em.persist(new SigningSecret(registration.source().id(), secret, secretBox.get(), now));
        }
        trail.record(AuditEvent.of("ingestion", "SOURCE_REGISTERED").by(actor)
                .with("source", registration.source().id()).with("kind", kind).build());
        signers = null;
        return registration.withSigningSecret(secret);
    }

    /** Issues a new signing secret; the older ones keep verifying for {@link #ROTATION_GRACE}. Audited. */
    @Transactional
    public String rotateSecret(String id, String actor) {
        Source source = em.find(Source.class, id);
        if (source == null) {
            throw ProblemException.notFound("There is no source with id " + safe(id) + ".");
        }
        if (source.kind() == Source.Kind.PURPLE) {
            throw ProblemException.conflict("Purple sources do not sign their requests; revoke the source and register a new one to change its URL.");
        }
        Instant now = Instant.now();
        em.createNamedQuery("SigningSecret.ofSource", SigningSecret.class).setParameter("sourceId", id).getResultList()
                .forEach(old -> old.expireAfter(now.plus(ROTATION_GRACE)));
        String secret = WebhookSignatures.newSecret();
        em.persist(new SigningSecret(id, secret, secretBox.get(), now));
        trail.record(AuditEvent.of("ingestion", "SOURCE_SECRET_ROTATED").by(actor).with("source", id)
                .with("graceHours", ROTATION_GRACE.toHours()).build());
        secretsBySource.remove(id);
        return secret;
    }

    /** The secrets a source's deliveries may currently be signed with, newest first. */
    public List<String> signingSecrets(String sourceId) {
        Instant now = Instant.now();
        CachedSecrets cached = secretsBySource.get(sourceId);
        if (cached == null || cached.until().isBefore(now)) {
            SecretBox box = secretBox.get();
            List<String> secrets = em.createNamedQuery("SigningSecret.ofSource", SigningSecret.class)
                    .setParameter("sourceId", sourceId).getResultList().stream()
                    .filter(s -> s.validAt(now)).map(s -> s.open(box)).toList();
            cached = new CachedSecrets(secrets, now.plus(CACHE_TTL));
            secretsBySource.put(sourceId, cached);
        }
        return cached.secrets();
    }

    /** The active sources of a kind (the generic endpoint finds its sender by whose secret signed). */
    public List<ActiveSource> active(Source.Kind kind) {
        Instant now = Instant.now();
        CachedSources cached = signers;
        if (cached == null || cached.until().isBefore(now)) {
            cached = new CachedSources(all().stream().filter(Source::active)
                    .map(s -> new ActiveSource(s.id(), s.kind(), s.zone())).toList(), now.plus(CACHE_TTL));
            signers = cached;
        }
        return cached.sources().stream().filter(s -> s.kind() == kind).toList();
    }

    @Transactional
    public Source revoke(String id, String actor) {
        Source source = em.find(Source.class, id);
        if (source == null) {
            throw ProblemException.notFound("There is no source with id " + safe(id) + ".");
        }
        if (source.revoke(Instant.now())) {
            trail.record(AuditEvent.of("ingestion", "SOURCE_REVOKED").by(actor).with("source", id).build());
            byKeyHash.clear();
            signers = null;
        }
        return source;
    }

    public List<Source> all() {
        return em.createNamedQuery("Source.all", Source.class).getResultList();
    }

    /** The active source of {@code kind} with this key, if any. */
    public Optional<ActiveSource> find(String key, Source.Kind kind) {
        if (!SourceKey.plausible(key)) {
            return Optional.empty();
        }
        String hash = SourceKey.hashOf(key);
        Instant now = Instant.now();
        Cached cached = byKeyHash.get(hash);
        if (cached == null || cached.until().isBefore(now)) {
            Optional<ActiveSource> found = em.createNamedQuery("Source.byKeyHash", Source.class)
                    .setParameter("keyHash", hash).getResultStream().findFirst()
                    .filter(Source::active)
                    .map(s -> new ActiveSource(s.id(), s.kind(), s.zone()));
            cached = new Cached(found, now.plus(CACHE_TTL));
            if (byKeyHash.size() > 10_000) {
                byKeyHash.clear(); // unknown keys must not grow the cache without bound
            }
            byKeyHash.put(hash, cached);
        }
        return cached.source().filter(s -> s.kind() == kind);
    }

    /**
     * The active source a webhook key names, for a request from {@code clientAddress}. Unknown keys are
     * counted per client address (AttemptLimits): past the limit every key from that address is refused
     * with 429 until the window ends, right or wrong, so keys cannot be searched for by trying.
     * Without a transaction of its own: a known key is answered from the cache (or by one read), and a
     * transaction begun and ended for every delivery took 2 % of the request threads' CPU in a burst; an
     * unknown key's audit record is written in a transaction of its own, before the refusal.
     */
    public ActiveSource admit(String key, Source.Kind kind, String clientAddress, Supplier<ProblemException> unknown) {
        attempts.check(unknownKeys(), clientAddress);
        Optional<ActiveSource> found = find(key, kind);
        if (found.isPresent()) {
            return found.get();
        }
        self.auditUnknownKey(key, kind, clientAddress);
        attempts.count(unknownKeys(), clientAddress);
        throw unknown.get();
    }

    private AttemptLimits.Limit unknownKeys() {
        return new AttemptLimits.Limit("ingestion-unknown-key", unknownKeysPerWindow, Duration.ofMinutes(10));
    }

    /**
     * Records a request with an unknown or revoked key as a security event, without the payload and
     * without the key (only a prefix of its hash). At most once a minute per key, so a flood of bad
     * requests cannot flood the trail (and with it the sequencer that numbers every record).
     */
    @Transactional
    public void auditUnknownKey(String key, Source.Kind endpoint, String clientAddress) {
        auditRefusal("INGEST_UNKNOWN_SOURCE", SourceKey.hashOf(key == null ? "" : key), endpoint, clientAddress);
    }

    /** A delivery whose signature did not verify: a security event, rate-limited like unknown keys. */
    @Transactional
    public void auditBadSignature(String sourceOrEndpoint, Source.Kind endpoint, String clientAddress) {
        auditRefusal("INGEST_SIGNATURE_REFUSED", SourceKey.hashOf("signature:" + sourceOrEndpoint), endpoint, clientAddress);
    }

    private void auditRefusal(String action, String hash, Source.Kind endpoint, String clientAddress) {
        Instant now = Instant.now();
        Instant last = unknownKeysAudited.get(hash);
        if (last != null && last.plus(UNKNOWN_KEY_AUDIT_INTERVAL).isAfter(now)) {
            return;
        }
        if (unknownKeysAudited.size() > 10_000) {
            unknownKeysAudited.clear();
        }
        unknownKeysAudited.put(hash, now);
        trail.record(AuditEvent.of("ingestion", action).by(Actor.external("client", "anonymous"))
                .with("endpoint", endpoint).with("keyHash", "sha256:" + hash.substring(0, 16))
                .with("clientNetwork", truncateAddress(clientAddress)).build());
    }

    /** The client's network, not its address: the last IPv4 octet / most of an IPv6 address dropped. */
    static String truncateAddress(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (address.contains(":")) {
            String[] groups = address.split(":");
            return "v6:" + String.join("-", java.util.Arrays.copyOf(groups, Math.min(3, groups.length)));
        }
        int lastDot = address.lastIndexOf('.');
        return lastDot < 0 ? "unknown" : "v4:" + address.substring(0, lastDot).replace('.', '-') + "-x";
    }

    private static String safe(String id) {
        return id != null && id.matches("[0-9a-fA-F-]{1,36}") ? id : "(not a source id)";
    }
}
