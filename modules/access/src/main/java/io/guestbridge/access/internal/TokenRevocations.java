package io.guestbridge.access.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Tokens that must no longer work although they have not expired: one token (by its {@code jti}), or
 * every token of a person issued before the revocation (by {@code sub}: the person left, lost a role, or
 * their credentials changed at the identity provider). MicroProfile JWT verifies tokens on its own, with
 * no call to the provider, so without this list a token stays good until it expires.
 *
 * <p>Kept in {@code acc_token_revocation} (hashes of the ids, never the ids) so every instance refuses the
 * same tokens; each instance reads the list again every {@link #REFRESH} and at once after a revocation
 * made through it. A revocation is kept while a token it covers can still be valid: until the token's
 * expiry for one token, for {@code guestbridge.access.max-token-lifetime-hours} (default 24) for a person.
 */
@ApplicationScoped
public class TokenRevocations {

    static final Duration REFRESH = Duration.ofSeconds(5);

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    volatile SecretKeySpec hashKey;

    Clock clock = Clock.systemUTC();

    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Instant.EPOCH);

    /** What is revoked: token ids, and per person the moment before which their tokens were issued. */
    private record Snapshot(Map<String, Boolean> tokens, Map<String, Instant> subjectsBefore, Instant readAt) {
    }

    /** Whether a token with this id, subject and issue time (seconds; 0 when absent) is revoked. */
    boolean revoked(String jti, String subject, long issuedAtSeconds) {
        Snapshot current = current();
        if (jti != null && current.tokens().containsKey(hash("jti", jti))) {
            return true;
        }
        Instant before = subject == null ? null : current.subjectsBefore().get(hash("sub", subject));
        // a token without iat cannot show it was issued after the revocation
        return before != null && (issuedAtSeconds <= 0 || !Instant.ofEpochSecond(issuedAtSeconds).isAfter(before));
    }

    /** Revokes one token until it expires. */
    @Transactional
    public void revokeToken(String jti, Instant expiresAt, String reason, String actor) {
        insert("JTI", hash("jti", jti), clock.instant(), expiresAt, reason, actor);
    }

    /** Revokes every token of a person issued up to now. */
    @Transactional
    public void revokeSubject(String subject, Duration maxTokenLifetime, String reason, String actor) {
        Instant now = clock.instant();
        insert("SUBJECT", hash("sub", subject), now, now.plus(maxTokenLifetime), reason, actor);
    }

    private void insert(String kind, String valueHash, Instant now, Instant keepUntil, String reason, String actor) {
        Jdbc.inConnection(dataSource, "access", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO acc_token_revocation (kind, value_hash, revoked_at, keep_until, reason, revoked_by) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, kind);
                s.setString(2, valueHash);
                s.setTimestamp(3, utc(now));
                s.setTimestamp(4, utc(keepUntil));
                s.setString(5, reason);
                s.setString(6, actor);
                s.executeUpdate();
            }
            return null;
        });
        // the reason is staff's own words about a colleague's access, not about a guest: it stays out of the audit detail all the same
        trail.record(AuditEvent.of("access", "TOKEN_REVOKED").by(actor).about("access:" + kind.toLowerCase() + ":" + valueHash.substring(0, 16))
                .with("kind", kind).with("keepUntil", keepUntil.toString()).build());
        snapshot = new Snapshot(Map.of(), Map.of(), Instant.EPOCH); // read again on the next request
    }

    private Snapshot current() {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (now.isBefore(current.readAt().plus(REFRESH))) {
            return current;
        }
        Snapshot read = Jdbc.inConnection(dataSource, "access", c -> {
            Map<String, Boolean> tokens = new HashMap<>();
            Map<String, Instant> subjects = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT kind, value_hash, revoked_at FROM acc_token_revocation WHERE keep_until > ?")) {
                s.setTimestamp(1, utc(now));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1).equals("JTI")) {
                            tokens.put(rs.getString(2), Boolean.TRUE);
                        } else {
                            Instant at = Jdbc.instant(rs, 3);
                            subjects.merge(rs.getString(2), at, (a, b) -> a.isAfter(b) ? a : b);
                        }
                    }
                }
            }
            return new Snapshot(Map.copyOf(tokens), Map.copyOf(subjects), now);
        });
        snapshot = read;
        return read;
    }

    /** A keyed hash: a subject is a person's identifier at the identity provider, sometimes their email. */
    String hash(String kind, String value) {
        try {
            SecretKeySpec key = hashKey;
            if (key == null) {
                key = new SecretKeySpec(master.get().derive("token-revocations/v1"), "HmacSHA256");
                hashKey = key;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((kind + ":" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static Timestamp utc(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
