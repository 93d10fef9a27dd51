-- Raw bodies are sealed on write (AES-GCM) under the key of their day of receipt, kept in the key store
-- and destroyed when their retention ends; a processed body is sealed again under its guest's data key,
-- so erasing the guest shreds it too. body_key names what opens a body: 'day:<date>' (the day key), or
-- 'guest+day:<date>' (the guest's key, then the day key); NULL for an empty body.
ALTER TABLE ing_inbox ADD COLUMN body_key VARCHAR(24) NULL AFTER body;

-- Bodies stored in clear before this version: sealed, a chunk at a time, after the server starts;
-- each row leaves this list in the transaction that seals its body.
CREATE TABLE ing_clear_body (
    inbox_id BIGINT NOT NULL,
    PRIMARY KEY (inbox_id)
) ENGINE = InnoDB;

INSERT INTO ing_clear_body (inbox_id) SELECT id FROM ing_inbox WHERE LENGTH(body) > 0;
