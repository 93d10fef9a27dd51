-- Which CRM record is which guest, per connector: written when a CRM answers an upsert with its id,
-- read when the CRM reports a change (HubSpot webhooks name the contact by its id, not its email).
CREATE TABLE crm_link (
    connector  VARCHAR(64)  NOT NULL,
    crm_id     VARCHAR(100) NOT NULL,
    guest_id   CHAR(36)     NOT NULL,
    linked_at  DATETIME(6)  NOT NULL,
    PRIMARY KEY (connector, crm_id),
    KEY ix_crm_link_guest (guest_id, connector)
) ENGINE = InnoDB;

-- CRM change notifications already applied (HubSpot eventId), so a redelivery is not applied twice.
CREATE TABLE crm_event_seen (
    connector  VARCHAR(64)  NOT NULL,
    event_id   VARCHAR(100) NOT NULL,
    seen_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (connector, event_id),
    KEY ix_crm_event_seen_at (seen_at)
) ENGINE = InnoDB;
