-- Where guest data comes from: one row per registered sender (a Purple company/venue webhook, a PMS,
-- a ticketing system). Purple cannot sign its requests, so its URL carries an unguessable key; only
-- the key's SHA-256 is stored, so a database dump does not hand out working webhook URLs.
CREATE TABLE ing_source (
    id          CHAR(36)     NOT NULL,
    kind        VARCHAR(16)  NOT NULL,
    name        VARCHAR(120) NOT NULL,
    venue_ref   VARCHAR(64)  NULL,
    time_zone   VARCHAR(64)  NOT NULL,
    key_hash    CHAR(64)     NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    revoked_at  DATETIME(6)  NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_ing_source_key (key_hash),
    CONSTRAINT ck_ing_source_kind CHECK (kind IN ('PURPLE', 'BOOKING', 'GENERIC')),
    CONSTRAINT ck_ing_source_state CHECK (state IN ('ACTIVE', 'REVOKED'))
) ENGINE = InnoDB;

-- The inbox: every accepted request body exactly as received, committed before the sender gets its
-- 2xx. Processing (on the platform work queue) turns rows into identity, consent and visit changes;
-- raw bodies are kept only as long as processing and replay need them.
CREATE TABLE ing_inbox (
    id           BIGINT       NOT NULL AUTO_INCREMENT,
    source_id    CHAR(36)     NOT NULL,
    received_at  DATETIME(6)  NOT NULL,
    content_type VARCHAR(100) NULL,
    body         MEDIUMBLOB   NOT NULL,
    body_sha256  CHAR(64)     NOT NULL,
    delivery_id  VARCHAR(190) NULL,
    state        VARCHAR(16)  NOT NULL DEFAULT 'RECEIVED',
    PRIMARY KEY (id),
    KEY ix_ing_inbox_source (source_id, id),
    KEY ix_ing_inbox_state (state, id),
    CONSTRAINT fk_ing_inbox_source FOREIGN KEY (source_id) REFERENCES ing_source (id),
    CONSTRAINT ck_ing_inbox_state CHECK (state IN ('RECEIVED', 'PROCESSED', 'DUPLICATE', 'QUARANTINED', 'REFUSED'))
) ENGINE = InnoDB;
