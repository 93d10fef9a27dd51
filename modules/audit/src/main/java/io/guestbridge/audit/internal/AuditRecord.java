package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.tlog.AuditEntry;
import io.guestbridge.tlog.Canonical;
import io.guestbridge.platform.api.InstantConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * One record of the audit log. Written by the transaction of the change into the table where records wait for their
 * number (aud_pending); the sequencer moves it into the log (aud_record) with its sequence number and the previous
 * record's hash, and there it stays as it is (the table refuses every UPDATE and DELETE). Its canonical form ({@link AuditEntry}) is both what its chain hash is computed over
 * and the entry of its Merkle tree leaf: changing, removing or reordering a record changes the tree.
 */
@Entity
@Table(name = "aud_record")
public class AuditRecord {

    /** The previous hash of the first record. */
    public static final String GENESIS = AuditEntry.GENESIS;

    @Id
    private long id;

    @Column
    private Long seq;

    @Column(name = "occurred_at", nullable = false)
    @Convert(converter = InstantConverter.class)
    private Instant occurredAt;

    @Column(nullable = false)
    private String actor;

    @Column(nullable = false)
    private String action;

    @Column(nullable = false)
    private String module;

    @Column(name = "subject_ref")
    private String subjectRef;

    @Column(nullable = false)
    private String details;

    @Column(name = "prev_hash")
    private String prevHash;

    @Column
    private String hash;

    /** The leaf entry of a record built here (not read by JPA), kept from computing its hash: the sequencer needs both. */
    @Transient
    private byte[] leafEntry;

    protected AuditRecord() {
        // for JPA
    }

    AuditRecord(long seq, Instant occurredAt, String actor, String action, String module, String subjectRef,
                String details, String prevHash) {
        this.seq = seq;
        this.occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
        this.actor = actor;
        this.action = action;
        this.module = module;
        this.subjectRef = subjectRef;
        this.details = details;
        this.prevHash = prevHash;
        this.leafEntry = entry().leafEntry();
        this.hash = AuditEntry.hashOf(leafEntry);
    }

    /** The record that follows {@code prevHash} at {@code seq}. */
    static AuditRecord following(long seq, String prevHash, AuditEvent event, Instant at) {
        return new AuditRecord(seq, at, event.actor(), event.action(), event.module(), event.subjectRef(),
                Canonical.json(event.details()), prevHash);
    }

    /** The record of {@code seq} after {@code prevHash}, read back from its columns. */
    static AuditRecord numbered(long seq, String prevHash, Instant occurredAt, String actor, String action, String module,
                                String subjectRef, String details) {
        return new AuditRecord(seq, occurredAt, actor, action, module, subjectRef, details, prevHash);
    }

    /** The hash this record's content should have. */
    String computeHash() {
        return entry().hash();
    }

    /** The entry of this record's Merkle tree leaf: its canonical form, UTF-8. */
    byte[] leafEntry() {
        return leafEntry != null ? leafEntry.clone() : entry().leafEntry();
    }

    AuditEntry entry() {
        return new AuditEntry(seq, occurredAt, actor, action, module, subjectRef, details, prevHash);
    }

    /** Whether the stored hash still matches the stored content. */
    boolean isIntact() {
        return hash.equals(computeHash());
    }

    /** The sequence number; records are read only once numbered. */
    public long seq() {
        return seq;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String actor() {
        return actor;
    }

    public String action() {
        return action;
    }

    public String module() {
        return module;
    }

    public String subjectRef() {
        return subjectRef;
    }

    /** The details as the canonical JSON they are stored and hashed as. */
    public String detailsJson() {
        return details;
    }

    public Map<String, String> details() {
        try {
            return new TreeMap<>(Canonical.parseFlat(details));
        } catch (IllegalArgumentException e) {
            // a row this module did not write (edited by hand, restored from elsewhere): one such row must not make a whole
            // page of the trail unreadable; verification names it, since its hash no longer holds
            return Map.of("unreadable", "the stored details are not the audit log's canonical form (" + e.getMessage() + ")");
        }
    }

    public String prevHash() {
        return prevHash;
    }

    public String hash() {
        return hash;
    }
}
