package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.AttemptLimits;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AttemptLimits} on the table {@code plt_attempt_counter}: one row per (keyed hash of scope and
 * actor, window start), incremented with an upsert in its own transaction.
 */
@ApplicationScoped
public class DatabaseAttemptLimits implements AttemptLimits {

    private static final int LOCALLY_BLOCKED_MAX = 10_000;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Instance<SecretBox> master;

    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();
    volatile SecretKeySpec hashKey;
    private volatile Instant nextSweep = Instant.EPOCH;
    Clock clock = Clock.systemUTC();

    @Override
    @Transactional(value = Transactional.TxType.REQUIRES_NEW, dontRollbackOn = ProblemException.class)
    public void count(Limit limit, String actor) {
        String key = key(limit, actor);
        Instant now = clock.instant();
        Instant window = windowStart(limit, now);
        int hits = Jdbc.inConnection(dataSource, "attempt limits", c -> {
            sweep(c, now);
            return increment(c, key, window);
        });
        if (hits > limit.max()) {
            Instant end = window.plus(limit.window());
            if (blockedUntil.size() > LOCALLY_BLOCKED_MAX) {
                blockedUntil.values().removeIf(until -> until.isBefore(now));
            }
            blockedUntil.put(key, end);
            throw refused(limit, end, now);
        }
    }

    @Override
    public void check(Limit limit, String actor) {
        if (blockedUntil.isEmpty()) {
            return;
        }
        Instant until = blockedUntil.get(key(limit, actor));
        Instant now = clock.instant();
        if (until != null && until.isAfter(now)) {
            throw refused(limit, until, now);
        }
    }

    /** The window an instant falls in: windows are aligned to the epoch, so every instance agrees on them. */
    static Instant windowStart(Limit limit, Instant now) {
        long size = limit.window().toMillis();
        return Instant.ofEpochMilli(now.toEpochMilli() - Math.floorMod(now.toEpochMilli(), size));
    }

    private static int increment(Connection c, String key, Instant window) throws SQLException {
        LocalDateTime start = LocalDateTime.ofInstant(window, ZoneOffset.UTC);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO plt_attempt_counter (counter_key, window_start, hits) VALUES (?, ?, 1) "
                + "ON DUPLICATE KEY UPDATE hits = hits + 1")) {
            s.setString(1, key);
            s.setObject(2, start);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT hits FROM plt_attempt_counter WHERE counter_key = ? AND window_start = ?")) {
            s.setString(1, key);
            s.setObject(2, start);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Windows end; their rows go, a bounded number at a time, at most once a minute per instance. */
    private void sweep(Connection c, Instant now) throws SQLException {
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plusSeconds(60);
        try (PreparedStatement s = c.prepareStatement("DELETE FROM plt_attempt_counter WHERE window_start < ? LIMIT 1000")) {
            s.setObject(1, LocalDateTime.ofInstant(now.minusSeconds(2 * 24 * 3600), ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    private String key(Limit limit, String actor) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey());
            return HexFormat.of().formatHex(mac.doFinal((limit.scope() + "|" + actor).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private SecretKeySpec hashKey() {
        SecretKeySpec key = hashKey;
        if (key == null) {
            key = new SecretKeySpec(master.get().derive("attempt-limits/v1"), "HmacSHA256");
            hashKey = key;
        }
        return key;
    }

    private static ProblemException refused(Limit limit, Instant until, Instant now) {
        long seconds = Math.max(1, until.getEpochSecond() - now.getEpochSecond());
        return new ProblemException(ProblemType.RATE_LIMITED, "Too many attempts from here; try again in "
                + (seconds < 120 ? seconds + " seconds." : (seconds / 60 + 1) + " minutes."), Map.of("retryAfterSeconds", seconds));
    }
}
