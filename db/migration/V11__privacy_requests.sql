-- Data-subject requests (Art. 15-21): what was asked, by whom (the email sealed under a key derived from
-- the master key, for notices; the keyed hash to find the subject), on which statutory clock.
CREATE TABLE prv_request (
    id              CHAR(36)     NOT NULL,
    type            VARCHAR(16)  NOT NULL,
    state           VARCHAR(24)  NOT NULL,
    subject_hash    CHAR(64)     NOT NULL,
    email_sealed    TEXT         NULL,
    received_at     DATETIME(6)  NOT NULL,
    due_at          DATETIME(6)  NOT NULL,
    extended_reason VARCHAR(300) NULL,
    verified_by     VARCHAR(200) NULL,
    completed_at    DATETIME(6)  NULL,
    PRIMARY KEY (id),
    KEY ix_prv_request_state (state, due_at),
    KEY ix_prv_request_subject (subject_hash),
    CONSTRAINT ck_prv_request_type CHECK (type IN ('ERASURE', 'ACCESS', 'RECTIFICATION', 'OBJECTION'))
) ENGINE = InnoDB;

-- Every transition of a request, kept for good (no personal data).
CREATE TABLE prv_request_event (
    seq        BIGINT       NOT NULL AUTO_INCREMENT,
    request_id CHAR(36)     NOT NULL,
    at         DATETIME(6)  NOT NULL,
    state      VARCHAR(24)  NOT NULL,
    note       VARCHAR(500) NULL,
    PRIMARY KEY (seq),
    KEY ix_prv_request_event (request_id, seq)
) ENGINE = InnoDB;

-- One step per system of the data map: its attempts and the evidence of its confirmation.
CREATE TABLE prv_step (
    request_id   CHAR(36)     NOT NULL,
    system       VARCHAR(64)  NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    attempts     INT          NOT NULL,
    evidence     VARCHAR(500) NULL,
    confirmed_at DATETIME(6)  NULL,
    PRIMARY KEY (request_id, system),
    CONSTRAINT ck_prv_step_state CHECK (state IN ('PENDING', 'CONFIRMED', 'FAILED'))
) ENGINE = InnoDB;
