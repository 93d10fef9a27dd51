-- One request budget for every outbound service: the CRM connectors' budgets move into the platform's table, which
-- now also counts the requests of the current window (opened at window_opened, started again once the window has
-- passed) and of the current UTC day, so a channel can have a daily cap and a status page can show how much is used.
ALTER TABLE plt_rate_budget
    MODIFY channel VARCHAR(100) NOT NULL,
    ADD COLUMN window_opened DATETIME(6) NULL,
    ADD COLUMN window_count  INT         NOT NULL DEFAULT 0,
    ADD COLUMN day           DATE        NULL,
    ADD COLUMN day_count     INT         NOT NULL DEFAULT 0;

-- a connector's channel is 'crm:' and its name; its next allowed request and its counts carry over
INSERT INTO plt_rate_budget (channel, next_at, taken, window_opened, window_count, day, day_count)
SELECT CONCAT('crm:', connector), window_start, day_count, window_opened, window_count, day, day_count FROM crm_rate;

DROP TABLE crm_rate;
