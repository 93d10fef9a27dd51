-- The append-only, hash-chained audit trail. No personal data: subjects are pseudonymous references.
-- hash = SHA-256 over the canonical form of the record including prev_hash (see AuditRecord).
CREATE TABLE aud_record (
    seq         BIGINT        NOT NULL,
    occurred_at DATETIME(6)   NOT NULL,
    actor       VARCHAR(128)  NOT NULL,
    action      VARCHAR(64)   NOT NULL,
    module      VARCHAR(32)   NOT NULL,
    subject_ref VARCHAR(80)   NULL,
    details     TEXT          NOT NULL,
    prev_hash   CHAR(64)      NOT NULL,
    hash        CHAR(64)      NOT NULL,
    PRIMARY KEY (seq),
    KEY ix_aud_record_subject (subject_ref, seq),
    KEY ix_aud_record_actor (actor, seq),
    KEY ix_aud_record_action (action, seq),
    KEY ix_aud_record_module (module, seq),
    KEY ix_aud_record_time (occurred_at)
) ENGINE = InnoDB;

-- The head of the chain: locked (SELECT ... FOR UPDATE) by every writer, so sequence numbers and
-- previous hashes are assigned in commit order without gaps.
CREATE TABLE aud_chain_head (
    id        TINYINT  NOT NULL,
    last_seq  BIGINT   NOT NULL,
    last_hash CHAR(64) NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

INSERT INTO aud_chain_head (id, last_seq, last_hash) VALUES (1, 0, REPEAT('0', 64));

-- Append-only, also against a stray UPDATE or DELETE from a SQL console. Someone with DDL rights can
-- still drop these triggers; the hash chain is what reveals that kind of tampering.
CREATE TRIGGER aud_record_no_update BEFORE UPDATE ON aud_record FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_record is append-only: records cannot be updated';

CREATE TRIGGER aud_record_no_delete BEFORE DELETE ON aud_record FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_record is append-only: records cannot be deleted';
