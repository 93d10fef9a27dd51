package io.guestbridge.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.sql.Timestamp;
import java.time.Instant;

/** An inbox row as the naive baseline writes it, one JPA insert per request. */
@Entity
@Table(name = "ing_inbox")
public class InboxRow {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "source_id")
    private String sourceId;

    @Column(name = "received_at")
    private Timestamp receivedAt;

    @Column(name = "body")
    private byte[] body;

    @Column(name = "body_sha256")
    private String bodySha256;

    protected InboxRow() {
    }

    InboxRow(String sourceId, Instant at, byte[] body, String sha256) {
        this.sourceId = sourceId;
        this.receivedAt = Timestamp.from(at);
        this.body = body;
        this.bodySha256 = sha256;
    }

    Long id() {
        return id;
    }
}
