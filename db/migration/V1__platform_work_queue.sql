-- The one durable work queue every module uses (inbox processing, CRM outbox, privacy request steps).
-- A row is claimable when state = 'PENDING' and next_attempt_at <= now. Claiming moves
-- next_attempt_at forward by the lease, so a leased row is invisible until its lease runs out:
-- the rows of a crashed worker come back by themselves. Completed rows are deleted.
CREATE TABLE plt_work_item (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    queue           VARCHAR(64)   NOT NULL,
    -- work for the same thing (e.g. one CRM contact) is coalesced: one row per (queue, coalesce_key)
    coalesce_key    VARCHAR(190)  NULL,
    payload         MEDIUMTEXT    NOT NULL,
    -- bumped when coalesced work arrives while a worker holds the row, so the worker's completion
    -- does not swallow the newer work
    generation      INT           NOT NULL DEFAULT 0,
    state           VARCHAR(16)   NOT NULL DEFAULT 'PENDING',
    attempts        INT           NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6)   NOT NULL,
    lease_owner     CHAR(36)      NULL,
    created_at      DATETIME(6)   NOT NULL,
    updated_at      DATETIME(6)   NOT NULL,
    last_error      VARCHAR(2000) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_plt_work_item_coalesce (queue, coalesce_key),
    KEY ix_plt_work_item_claim (queue, state, next_attempt_at, id),
    CONSTRAINT ck_plt_work_item_state CHECK (state IN ('PENDING', 'DEAD'))
) ENGINE = InnoDB;
