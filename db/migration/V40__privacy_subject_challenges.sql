-- A data subject proving with a mailed one-time code that an address is theirs, to follow a request (whose
-- own address may be gone: it is matched by the keyed hash the request keeps) or to manage their consents.
-- The address and the code are sealed only until the code mail is sent; rows are deleted after a day.
CREATE TABLE prv_challenge (
    id              CHAR(36)    NOT NULL,
    purpose         VARCHAR(16) NOT NULL,
    request_id      CHAR(36)    NULL,
    guest_id        CHAR(36)    NULL,
    language        VARCHAR(8)  NOT NULL,
    mail_sealed     TEXT        NULL,
    code_hash       CHAR(64)    NOT NULL,
    code_expires_at DATETIME(6) NOT NULL,
    code_attempts   INT         NOT NULL DEFAULT 0,
    created_at      DATETIME(6) NOT NULL,
    verified_at     DATETIME(6) NULL,
    closed          BOOLEAN     NOT NULL DEFAULT FALSE,
    PRIMARY KEY (id),
    KEY ix_prv_challenge_created (created_at),
    CONSTRAINT ck_prv_challenge_purpose CHECK (purpose IN ('FOLLOW', 'CONSENT'))
) ENGINE = InnoDB;

-- The language the subject used, so that every mail about the request is written in it.
ALTER TABLE prv_request
    ADD COLUMN language VARCHAR(8) NULL;
