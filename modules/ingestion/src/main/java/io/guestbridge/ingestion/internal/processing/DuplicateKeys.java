package io.guestbridge.ingestion.internal.processing;

import io.guestbridge.platform.api.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How an event's duplicate key is stored in {@code ing_dedup}: an HMAC under a key derived from the master key,
 * written as {@code k1:} and 43 base64url characters. The event's own key is a plain SHA-256 of what identifies
 * it, and for a Purple login that is the guest's email, the venue and the login time: anyone holding the table
 * and a list of addresses could confirm who logged in where. Keys written plain (64 hex characters) before keys
 * were keyed are still looked up until none remains; they expire with the duplicate retention.
 */
@ApplicationScoped
public class DuplicateKeys {

    static final String PREFIX = "k1:";

    /** How often to look again whether plain keys remain, while some do. */
    private static final Duration RECHECK = Duration.ofMinutes(10);

    @Inject
    Instance<SecretBox> master;

    private volatile SecretKeySpec hashKey;
    private volatile boolean plainKeysGone;
    private volatile Instant recheckAt = Instant.EPOCH;

    /** The form stored for an event's key. */
    String stored(String eventKey) {
        return stored(eventKey, hashKey());
    }

    static String stored(String eventKey, SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(eventKey.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * Whether a key written plain may still be in the table. Once none is left none can come back (nothing writes
     * them any more), so the answer stays false without asking the database again.
     */
    boolean plainKeysMayRemain(Connection c) throws SQLException {
        if (plainKeysGone) {
            return false;
        }
        Instant now = Instant.now();
        if (now.isBefore(recheckAt)) {
            return true;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM ing_dedup WHERE dedup_key NOT LIKE 'k1:%' LIMIT 1");
             ResultSet rs = s.executeQuery()) {
            boolean remain = rs.next();
            plainKeysGone = !remain;
            recheckAt = now.plus(RECHECK);
            return remain;
        }
    }

    private SecretKeySpec hashKey() {
        SecretKeySpec key = hashKey;
        if (key == null) {
            key = new SecretKeySpec(master.get().derive("ingestion-duplicate-keys/v1"), "HmacSHA256");
            hashKey = key;
        }
        return key;
    }
}
