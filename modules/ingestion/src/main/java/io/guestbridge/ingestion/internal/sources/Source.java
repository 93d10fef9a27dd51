package io.guestbridge.ingestion.internal.sources;

import io.guestbridge.platform.api.InstantConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A registered sender of guest data: a Purple company or venue webhook, a booking system, a generic
 * event source. It is known by a secret key that the sender puts in the URL (Purple cannot sign its
 * requests); guestbridge keeps only the key's hash. A revoked source stays for the record but its key
 * no longer opens the door.
 */
@Entity
@Table(name = "ing_source")
@NamedQuery(name = "Source.byKeyHash", query = "SELECT s FROM Source s WHERE s.keyHash = :keyHash")
@NamedQuery(name = "Source.all", query = "SELECT s FROM Source s ORDER BY s.createdAt, s.id")
public class Source {

    /** Where a source's events come from; decides which webhook endpoint accepts its key. */
    public enum Kind { PURPLE, BOOKING, GENERIC }

    enum State { ACTIVE, REVOKED }

    @Id
    private String id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Kind kind;

    @Column(nullable = false)
    private String name;

    @Column(name = "venue_ref")
    private String venueRef;

    @Column(name = "time_zone", nullable = false)
    private String timeZone;

    @Column(name = "key_hash", nullable = false)
    private String keyHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;

    @Column(name = "created_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant createdAt;

    @Column(name = "revoked_at")
    @Convert(converter = InstantConverter.class)
    private Instant revokedAt;

    protected Source() {
        // for JPA
    }

    private Source(Kind kind, String name, String venueRef, ZoneId zone, SourceKey key, Instant at) {
        this.id = UUID.randomUUID().toString();
        this.kind = kind;
        this.name = name;
        this.venueRef = venueRef;
        this.timeZone = zone.getId();
        this.keyHash = key.hash();
        this.state = State.ACTIVE;
        this.createdAt = at;
    }

    /** A new active source and its key; the key is shown to the caller once and never stored. */
    static Registration register(Kind kind, String name, String venueRef, ZoneId zone, Instant at) {
        SourceKey key = SourceKey.generate();
        return new Registration(new Source(kind, name, venueRef, zone, key, at), key);
    }

    /** Closes the door: later requests with this key get 404. Revoking twice changes nothing. */
    boolean revoke(Instant at) {
        if (state == State.REVOKED) {
            return false;
        }
        state = State.REVOKED;
        revokedAt = at;
        return true;
    }

    boolean accepts(Kind endpoint) {
        return state == State.ACTIVE && kind == endpoint;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public String venueRef() {
        return venueRef;
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    public boolean active() {
        return state == State.ACTIVE;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    /** A source just registered, with the key (and for signing senders the secret) to hand over once. */
    record Registration(Source source, SourceKey key, String signingSecret) {

        Registration(Source source, SourceKey key) {
            this(source, key, null);
        }

        Registration withSigningSecret(String secret) {
            return new Registration(source, key, secret);
        }
    }
}
