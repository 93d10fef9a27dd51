-- Attempt counters for every limit on guessing and on the public intake (AttemptLimits): one row per
-- keyed hash of (kind of attempt, actor) and fixed window. The actor (a client address, an email) is
-- never stored, only its HMAC under a key derived from the master key. Rows of ended windows are swept.
CREATE TABLE plt_attempt_counter (
    counter_key  CHAR(64)    NOT NULL,
    window_start DATETIME(3) NOT NULL,
    hits         INT         NOT NULL,
    PRIMARY KEY (counter_key, window_start),
    KEY ix_plt_attempt_counter_window (window_start)
) ENGINE = InnoDB;

-- the privacy intake's own counters move to the shared table
DROP TABLE prv_intake_counter;
