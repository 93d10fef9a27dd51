package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The end of the chain: the last sequence number and hash. Appending locks this single row, which
 * orders concurrent writers by commit and gives gap-free sequence numbers (an AUTO_INCREMENT id would
 * leave gaps on rollback and commit out of order).
 */
@Entity
@Table(name = "aud_chain_head")
public class AuditChainHead {

    static final int ID = 1;

    @Id
    private int id;

    @Column(name = "last_seq", nullable = false)
    private long lastSeq;

    @Column(name = "last_hash", nullable = false)
    private String lastHash;

    protected AuditChainHead() {
        // for JPA
    }

    /** Appends an event: returns the new record and moves the head onto it. */
    AuditRecord append(AuditEvent event, Instant at) {
        AuditRecord record = AuditRecord.following(lastSeq + 1, lastHash, event, at);
        lastSeq = record.seq();
        lastHash = record.hash();
        return record;
    }

    long lastSeq() {
        return lastSeq;
    }

    String lastHash() {
        return lastHash;
    }
}
