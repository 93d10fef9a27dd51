-- Standard Webhooks signing secrets of the sources that sign (booking systems, generic senders).
-- A secret must be usable to check an HMAC, so it cannot be hashed: it is sealed with AES-256-GCM
-- under the master key from configuration (bound to its source id). Rotation adds a secret and gives
-- the older ones an expiry, so the sender can switch without a gap.
CREATE TABLE ing_signing_secret (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    source_id  CHAR(36)     NOT NULL,
    sealed     VARCHAR(255) NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    expires_at DATETIME(6)  NULL,
    PRIMARY KEY (id),
    KEY ix_ing_signing_secret_source (source_id),
    CONSTRAINT fk_ing_signing_secret_source FOREIGN KEY (source_id) REFERENCES ing_source (id)
) ENGINE = InnoDB;
