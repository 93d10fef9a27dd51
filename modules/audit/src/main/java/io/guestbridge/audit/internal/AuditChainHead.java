package io.guestbridge.audit.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The end of the numbered log: the last sequence number and hash, which only the sequencer moves (in the
 * same row it keeps its lease and the tree size; see {@link SequencerBatch}). Writers never touch it, so
 * they never wait for each other.
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

    long lastSeq() {
        return lastSeq;
    }

    String lastHash() {
        return lastHash;
    }
}
