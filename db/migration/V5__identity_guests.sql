-- Guests, keyed by a blind index of the normalised email (HMAC-SHA256 under a key derived from the
-- master key): the database can find a guest by email without holding the email in clear.
CREATE TABLE idn_guest (
    id          CHAR(36)    NOT NULL,
    email_index CHAR(64)    NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    updated_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_idn_guest_email (email_index)
) ENGINE = InnoDB;

-- Each guest's data key (AES-256), sealed under the master key. Erasure deletes this row
-- (crypto-shredding): every encrypted value of the guest, in this database and in any backup taken
-- before, becomes unreadable.
CREATE TABLE idn_guest_key (
    guest_id    CHAR(36)     NOT NULL,
    wrapped_key VARCHAR(255) NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (guest_id),
    CONSTRAINT fk_idn_guest_key_guest FOREIGN KEY (guest_id) REFERENCES idn_guest (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- One row per field of a guest: the value encrypted with the guest's data key, and its provenance
-- (source system, time observed at the source, whether that source owns the field).
CREATE TABLE idn_guest_field (
    guest_id     CHAR(36)    NOT NULL,
    field        VARCHAR(32) NOT NULL,
    value_sealed TEXT        NOT NULL,
    source       VARCHAR(16) NOT NULL,
    observed_at  DATETIME(6) NOT NULL,
    owning       BOOLEAN     NOT NULL,
    PRIMARY KEY (guest_id, field),
    CONSTRAINT fk_idn_guest_field_guest FOREIGN KEY (guest_id) REFERENCES idn_guest (id) ON DELETE CASCADE
) ENGINE = InnoDB;
