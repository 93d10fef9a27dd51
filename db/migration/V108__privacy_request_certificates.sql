-- A privacy request's certificate, issued once: the first time it is asked for after the request ended and a
-- signed checkpoint covers the request's audit records. Kept as issued (its checkpoint and proofs are fixed
-- then), so every later download hands out the same bytes. Ids and hashes only, like the audit trail.
CREATE TABLE prv_certificate (
    request_id  CHAR(36)    NOT NULL,
    issued_at   DATETIME(6) NOT NULL,
    certificate MEDIUMTEXT  NOT NULL,
    PRIMARY KEY (request_id)
) ENGINE = InnoDB;

CREATE TRIGGER prv_certificate_no_update BEFORE UPDATE ON prv_certificate FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'prv_certificate is kept as issued';
