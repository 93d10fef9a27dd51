-- The key store: data keys wrapped under the master key, in a database of its own with its own user,
-- backups and retention (never in a backup of the data). kind names what a key seals (guest: a guest's
-- personal data; inbox-day: the raw bodies received on a day), id which one. Deleting a row is the
-- crypto-shredding of everything the key sealed.
CREATE TABLE gbk_key (
    kind       VARCHAR(32)  NOT NULL,
    id         VARCHAR(64)  NOT NULL,
    wrapped    VARCHAR(255) NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (kind, id)
) ENGINE = InnoDB;
