-- What was true of a guest when a connector last stored them (visits counted, their stays' latest booking event, the
-- marketing consent entry in force), so the connector's triggers (first login, return visit, stay, consent change)
-- can tell what happened since. Counts, times and a ledger sequence number only; erased with the guest.
CREATE TABLE crm_sync_facts (
    connector        VARCHAR(64) NOT NULL,
    guest_id         CHAR(36)    NOT NULL,
    synced_at        DATETIME(6) NOT NULL,
    visits           INT         NOT NULL,
    stays_changed_at DATETIME(6) NULL,
    consent_sequence BIGINT      NULL,
    PRIMARY KEY (connector, guest_id),
    KEY ix_crm_sync_facts_guest (guest_id)
) ENGINE = InnoDB;

-- Triggers an operator set for a connector through the API; they replace the connector's configured ones
-- (crm.<name>.triggers) on every instance. No row: the configuration holds.
CREATE TABLE crm_connector_triggers (
    connector  VARCHAR(64)  NOT NULL,
    triggers   VARCHAR(200) NOT NULL,
    changed_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (connector)
) ENGINE = InnoDB;
