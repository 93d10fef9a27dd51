-- Request budgets of outbound channels (an SMS gateway, a mail relay), shared by every running instance: the
-- earliest moment the channel's next request may go. Paced, one request per window/N, so the receiver's own
-- rolling window never sees a burst.
CREATE TABLE plt_rate_budget (
    channel     VARCHAR(64) NOT NULL,
    next_at     DATETIME(6) NOT NULL,
    taken       BIGINT      NOT NULL,
    PRIMARY KEY (channel)
) ENGINE = InnoDB;

-- When the SMS gateway accepted a credential's text (NULL: not yet, or its window moved since).
ALTER TABLE onb_credential ADD COLUMN sms_delivered_at DATETIME(6) NULL AFTER delivered_at;
