-- Bearer tokens revoked before their expiry: one token (kind JTI, by its jti) or every token of a person
-- issued up to revoked_at (kind SUBJECT, by its sub). Ids are kept only as keyed hashes. A row is needed
-- while a token it covers can still be valid (keep_until); later rows are ignored and may be deleted.
CREATE TABLE acc_token_revocation (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    kind        VARCHAR(8)   NOT NULL,
    value_hash  CHAR(64)     NOT NULL,
    revoked_at  DATETIME(6)  NOT NULL,
    keep_until  DATETIME(6)  NOT NULL,
    reason      VARCHAR(500) NOT NULL,
    revoked_by  VARCHAR(200) NOT NULL,
    PRIMARY KEY (id),
    KEY ix_acc_token_revocation_keep (keep_until),
    CONSTRAINT ck_acc_token_revocation_kind CHECK (kind IN ('JTI', 'SUBJECT'))
) ENGINE = InnoDB;
