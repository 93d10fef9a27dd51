-- Work that must run on one instance of a deployment at a time (the privacy clock and its mails, retention, the
-- inbox's housekeeping, scheduled CRM work): the instance named in holder runs it until lease_until, renewing the
-- lease while it lives; when it dies, the lease runs out and another instance takes the row over. The database's
-- clock alone decides (UTC_TIMESTAMP), so the instances' clocks need not agree. The audit sequencer keeps its own
-- lease on aud_chain_head, whose row its batches lock anyway.
CREATE TABLE plt_singleton_lease (
    name        VARCHAR(64)  NOT NULL,
    holder      CHAR(36)     NULL,
    lease_until DATETIME(6)  NULL,
    taken_at    DATETIME(6)  NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB;
