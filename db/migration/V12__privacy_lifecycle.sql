-- The whole life of a data-subject request (issue #6): identity verification by an emailed one-time code,
-- approval, extension of the statutory clock, escalations to the DPO, the details a request carries
-- (corrections for a rectification, sealed like the email), manual and held steps, access exports behind
-- one-time links, and the intake counters of the public portal.

ALTER TABLE prv_request
    ADD COLUMN channel            VARCHAR(16)  NOT NULL DEFAULT 'STAFF' AFTER type,
    ADD COLUMN details_sealed     TEXT         NULL AFTER email_sealed,
    ADD COLUMN code_hash          CHAR(64)     NULL,
    ADD COLUMN code_expires_at    DATETIME(6)  NULL,
    ADD COLUMN code_attempts      INT          NOT NULL DEFAULT 0,
    ADD COLUMN verified_at        DATETIME(6)  NULL,
    ADD COLUMN original_due_at    DATETIME(6)  NULL,
    ADD COLUMN duplicate_of       CHAR(36)     NULL,
    ADD COLUMN outcome            VARCHAR(500) NULL,
    ADD COLUMN escalated_due_at   DATETIME(6)  NULL;

UPDATE prv_request SET original_due_at = due_at WHERE original_due_at IS NULL;

ALTER TABLE prv_step
    DROP CONSTRAINT ck_prv_step_state;
ALTER TABLE prv_step
    MODIFY COLUMN state VARCHAR(24) NOT NULL,
    ADD CONSTRAINT ck_prv_step_state CHECK (state IN ('PENDING', 'CONFIRMED', 'FAILED', 'AWAITING_OPERATOR', 'HELD')),
    ADD COLUMN kind           VARCHAR(16)  NOT NULL DEFAULT 'API' AFTER system,
    ADD COLUMN task_due_at    DATETIME(6)  NULL,
    ADD COLUMN escalated_at   DATETIME(6)  NULL;

-- An access export (Art. 15/20): the document sealed under a key derived from the master key; the
-- download token kept only as its SHA-256; gone after the first download or at expiry.
CREATE TABLE prv_export (
    request_id    CHAR(36)    NOT NULL,
    token_hash    CHAR(64)    NULL,
    content       LONGTEXT    NULL,
    created_at    DATETIME(6) NOT NULL,
    expires_at    DATETIME(6) NOT NULL,
    downloaded_at DATETIME(6) NULL,
    PRIMARY KEY (request_id),
    UNIQUE KEY ux_prv_export_token (token_hash)
) ENGINE = InnoDB;

-- Public intake counters, per keyed hash of the email and of the client address, per fixed window:
-- shared by every instance, holding no address in the clear.
CREATE TABLE prv_intake_counter (
    counter_key  CHAR(64)    NOT NULL,
    window_start DATETIME    NOT NULL,
    hits         INT         NOT NULL,
    PRIMARY KEY (counter_key, window_start)
) ENGINE = InnoDB;
