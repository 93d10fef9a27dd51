-- Request budgets per CRM connector, shared by every running instance: the current window's count
-- and today's count, taken under a row lock before each request. Waiting, not failing, when spent.
CREATE TABLE crm_rate (
    connector     VARCHAR(64) NOT NULL,
    window_start  DATETIME(6) NOT NULL,
    window_count  INT         NOT NULL,
    day           DATE        NOT NULL,
    day_count     INT         NOT NULL,
    PRIMARY KEY (connector)
) ENGINE = InnoDB;

-- Outcome of every CRM request, for success/error rates, latency and contacts created/updated per day.
CREATE TABLE crm_request_log (
    id          BIGINT      NOT NULL AUTO_INCREMENT,
    connector   VARCHAR(64) NOT NULL,
    at          DATETIME(6) NOT NULL,
    records     INT         NOT NULL,
    succeeded   INT         NOT NULL,
    failed      INT         NOT NULL,
    created     INT         NOT NULL,
    status      INT         NOT NULL,
    latency_ms  INT         NOT NULL,
    PRIMARY KEY (id),
    KEY ix_crm_request_log (connector, at)
) ENGINE = InnoDB;
