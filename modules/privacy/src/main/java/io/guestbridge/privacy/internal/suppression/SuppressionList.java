package io.guestbridge.privacy.internal.suppression;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.privacy.api.ErasedSubjects;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The erased subjects, kept as a keyed hash of the normalised email (key derived from the master key)
 * and the erasure time: enough to recognise the person's old events, not enough to learn who they were.
 * Erasure adds rows; ingestion reads them.
 */
@ApplicationScoped
public class SuppressionList implements ErasedSubjects {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Instance<SecretBox> master;

    private volatile SecretKeySpec key;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Instant> erasedAt(NormalizedEmail email) {
        String hash = hash(email);
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT erased_at FROM prv_suppression WHERE subject_hash = ?")) {
                s.setString(1, hash);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(Jdbc.instant(rs, 1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Map<NormalizedEmail, Instant> erasedAtAll(java.util.Collection<NormalizedEmail> emails) {
        java.util.Map<String, NormalizedEmail> byHash = new java.util.HashMap<>();
        emails.forEach(email -> byHash.put(hash(email), email));
        java.util.Map<NormalizedEmail, Instant> erased = new java.util.HashMap<>();
        if (byHash.isEmpty()) {
            return erased;
        }
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT subject_hash, erased_at FROM prv_suppression WHERE subject_hash IN ("
                    + String.join(",", java.util.Collections.nCopies(byHash.size(), "?")) + ")")) {
                int p = 1;
                for (String hash : byHash.keySet()) {
                    s.setString(p++, hash);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        erased.put(byHash.get(rs.getString(1)), Jdbc.instant(rs, 2));
                    }
                }
            }
            return erased;
        });
    }

    /** Records the erasure of a subject (or moves its time forward). Joins the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void suppress(NormalizedEmail email, Instant erasedAt) {
        String hash = hash(email);
        Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_suppression (subject_hash, erased_at) VALUES (?, ?) "
                    + "ON DUPLICATE KEY UPDATE erased_at = GREATEST(erased_at, VALUES(erased_at))")) {
                s.setString(1, hash);
                s.setObject(2, LocalDateTime.ofInstant(erasedAt, ZoneOffset.UTC));
                return s.executeUpdate();
            }
        });
    }

    /** The suppression hash of an email. */
    public String hash(NormalizedEmail email) {
        try {
            if (key == null) {
                key = new SecretKeySpec(master.get().derive("privacy-suppression/v1"), "HmacSHA256");
            }
            return hmac(key, email.value());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A keyed hash for another purpose of the privacy module (one-time codes, intake counters), under its own derived key. */
    public String keyedHash(String purpose, String text) {
        try {
            return hmac(new SecretKeySpec(master.get().derive(purpose), "HmacSHA256"), text);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(SecretKeySpec key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
