-- The sponsors an erased guest's data went to, noted by the erasure before it removes the trace of them, and told
-- once the erasure has ended (GDPR Art. 19, CCPA §1798.105(c)): no personal data, the recipient's id, when it was
-- told, or why it was not.
CREATE TABLE prv_recipient_notice (
    request_id  CHAR(36)     NOT NULL,
    recipient   VARCHAR(40)  NOT NULL,
    notified_at DATETIME(6)  NULL,
    outcome     VARCHAR(200) NULL,
    PRIMARY KEY (request_id, recipient)
) ENGINE = InnoDB;
