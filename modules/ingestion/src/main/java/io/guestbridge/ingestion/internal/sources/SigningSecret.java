package io.guestbridge.ingestion.internal.sources;

import io.guestbridge.platform.api.InstantConverter;
import io.guestbridge.platform.api.SecretBox;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A source's Standard Webhooks signing secret, sealed under the master key and bound to the source.
 * Rotation gives older secrets an expiry instead of deleting them, so deliveries signed just before
 * the sender switched still verify.
 */
@Entity
@Table(name = "ing_signing_secret")
@NamedQuery(name = "SigningSecret.ofSource", query = "SELECT s FROM SigningSecret s WHERE s.sourceId = :sourceId ORDER BY s.id DESC")
public class SigningSecret {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "source_id", nullable = false)
    private String sourceId;

    @Column(nullable = false)
    private String sealed;

    @Column(name = "created_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant createdAt;

    @Column(name = "expires_at")
    @Convert(converter = InstantConverter.class)
    private Instant expiresAt;

    protected SigningSecret() {
        // for JPA
    }

    SigningSecret(String sourceId, String secret, SecretBox box, Instant at) {
        this.sourceId = sourceId;
        this.sealed = box.seal(secret.getBytes(StandardCharsets.UTF_8), sourceId);
        this.createdAt = at;
    }

    boolean validAt(Instant at) {
        return expiresAt == null || expiresAt.isAfter(at);
    }

    /** Keeps the secret valid for a grace period only, after a newer one was issued. */
    void expireAfter(Instant at) {
        if (expiresAt == null || expiresAt.isAfter(at)) {
            expiresAt = at;
        }
    }

    String open(SecretBox box) {
        return new String(box.open(sealed, sourceId), StandardCharsets.UTF_8);
    }
}
