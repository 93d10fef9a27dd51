-- The consent ledger: what each guest decided, for which purpose, having seen which exact wording,
-- captured when and how. Append-only and hash-chained per guest; the current state is derived
-- (latest decision by the time it was captured at the source), never stored.

CREATE TABLE cns_purpose (
    code        VARCHAR(64)  NOT NULL,
    description VARCHAR(255) NOT NULL,
    PRIMARY KEY (code)
) ENGINE = InnoDB;

INSERT INTO cns_purpose (code, description) VALUES
    ('marketing_email', 'Marketing messages by email'),
    ('marketing_sms', 'Marketing messages by SMS'),
    ('analytics', 'Analysis of visits and use of the venue'),
    ('profiling', 'Profiling to personalise offers'),
    ('terms', 'Acceptance of the WiFi terms of service');
-- per-sponsor data sharing (seed 000, Q2) uses codes 'sponsor:<id>', registered when a sponsor is added

-- The exact text a guest was shown. Immutable: a changed text is a new version.
CREATE TABLE cns_wording (
    id           VARCHAR(64) NOT NULL,
    version      VARCHAR(16) NOT NULL,
    purpose      VARCHAR(64) NOT NULL,
    language     VARCHAR(16) NOT NULL,
    text         TEXT        NOT NULL,
    content_hash CHAR(64)    NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (id, version)
) ENGINE = InnoDB;

CREATE TRIGGER cns_wording_immutable BEFORE UPDATE ON cns_wording FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'cns_wording is immutable: publish a new version instead';

CREATE TABLE cns_ledger (
    seq             BIGINT       NOT NULL AUTO_INCREMENT,
    guest_id        CHAR(36)     NOT NULL,
    purpose         VARCHAR(64)  NOT NULL,
    decision        VARCHAR(16)  NOT NULL,
    wording_id      VARCHAR(64)  NULL,
    wording_version VARCHAR(16)  NULL,
    captured_at     DATETIME(6)  NOT NULL,
    recorded_at     DATETIME(6)  NOT NULL,
    channel         VARCHAR(200) NOT NULL,
    evidence        TEXT         NOT NULL,
    prev_hash       CHAR(64)     NOT NULL,
    hash            CHAR(64)     NOT NULL,
    PRIMARY KEY (seq),
    KEY ix_cns_ledger_guest (guest_id, purpose, captured_at, seq),
    CONSTRAINT ck_cns_ledger_decision CHECK (decision IN ('GRANTED', 'DENIED', 'WITHDRAWN', 'INVALID'))
) ENGINE = InnoDB;

-- the last hash of each guest's chain; locked by every append for that guest
CREATE TABLE cns_chain_head (
    guest_id  CHAR(36) NOT NULL,
    last_hash CHAR(64) NOT NULL,
    PRIMARY KEY (guest_id)
) ENGINE = InnoDB;

-- Append-only. The one exception is erasure (Art. 17), done by the privacy module, which declares it
-- in its transaction with SET @guestbridge_erasure = 1.
CREATE TRIGGER cns_ledger_no_update BEFORE UPDATE ON cns_ledger FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'cns_ledger is append-only: record a new decision instead';

CREATE TRIGGER cns_ledger_delete_only_for_erasure BEFORE DELETE ON cns_ledger FOR EACH ROW
BEGIN
    IF @guestbridge_erasure IS NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'cns_ledger rows are deleted only by an erasure';
    END IF;
END;
