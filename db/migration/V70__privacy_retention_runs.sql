-- One row per retention category: when its purge is due next, and what the last run did (counts only). A run claims
-- its category by moving due_at with a guarded UPDATE, so of several instances exactly one runs each round.
CREATE TABLE prv_retention_run (
    category      VARCHAR(64)  NOT NULL,
    due_at        DATETIME(6)  NOT NULL,
    last_run_at   DATETIME(6)  NULL,
    last_cutoff   DATETIME(6)  NULL,
    last_count    INT          NULL,
    PRIMARY KEY (category)
) ENGINE = InnoDB;
