-- Sponsors: third parties that receive guest data under a data sharing agreement, each for the guests who gave
-- that sponsor's own consent (purpose 'sponsor:<id>' in the consent ledger). The agreement's start and end are
-- instants (UTC): they are compared with the moment of an export, whatever zone the parties signed in.
CREATE TABLE crm_sponsor (
    id            VARCHAR(40)   NOT NULL,
    name          VARCHAR(200)  NOT NULL,
    agreement_ref VARCHAR(100)  NOT NULL,
    purpose       VARCHAR(500)  NOT NULL,
    shared_fields VARCHAR(1000) NOT NULL,
    starts_at     DATETIME(6)   NOT NULL,
    ends_at       DATETIME(6)   NULL,
    created_at    DATETIME(6)   NOT NULL,
    updated_at    DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_crm_sponsor_agreement (agreement_ref)
) ENGINE = InnoDB;

-- Which guests a sponsor received, since when and until when: what the next export leaves out is recorded as
-- stopped with its reason (the guest's sponsor consent no longer in force, or the agreement over), and a guest's
-- access export names the sponsors that received their data (Art. 15(1)(c)).
CREATE TABLE crm_sponsor_share (
    sponsor_id      VARCHAR(40) NOT NULL,
    guest_id        CHAR(36)    NOT NULL,
    first_shared_at DATETIME(6) NOT NULL,
    last_shared_at  DATETIME(6) NOT NULL,
    stopped_at      DATETIME(6) NULL,
    stop_reason     VARCHAR(32) NULL,
    PRIMARY KEY (sponsor_id, guest_id),
    KEY ix_crm_sponsor_share_guest (guest_id),
    CONSTRAINT ck_crm_sponsor_share_reason CHECK (stop_reason IS NULL OR stop_reason IN ('CONSENT_NOT_IN_FORCE', 'AGREEMENT_NOT_IN_FORCE'))
) ENGINE = InnoDB;
