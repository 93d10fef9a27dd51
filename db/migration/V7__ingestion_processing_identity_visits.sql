-- Processing of the inbox: each row ends in exactly one state, with the reason when it did not become
-- guest data. guest_id links a processed row to its guest, subject_index (the identity blind index of
-- the email) links any row to its data subject, so erasure can remove raw payloads and quarantine items.
ALTER TABLE ing_inbox
    DROP CONSTRAINT ck_ing_inbox_state,
    ADD COLUMN processed_at  DATETIME(6)  NULL,
    ADD COLUMN reason        VARCHAR(500) NULL,
    ADD COLUMN guest_id      CHAR(36)     NULL,
    ADD COLUMN subject_index CHAR(64)     NULL,
    ADD KEY ix_ing_inbox_subject (subject_index),
    ADD KEY ix_ing_inbox_guest (guest_id),
    ADD CONSTRAINT ck_ing_inbox_state CHECK (state IN ('RECEIVED', 'PROCESSED', 'DUPLICATE', 'QUARANTINED', 'REFUSED', 'DISCARDED'));

-- Keys of events already processed, for dropping exact duplicates: Standard Webhooks senders by
-- webhook-id, Purple (no id; retries every 3 hours for as long as it takes) by user, venue and
-- authentication time. Kept at least 7 days (ingestion.dedup.retention-days).
CREATE TABLE ing_dedup (
    dedup_key  CHAR(64)    NOT NULL,
    inbox_id   BIGINT      NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    PRIMARY KEY (dedup_key),
    KEY ix_ing_dedup_expiry (expires_at)
) ENGINE = InnoDB;

-- The venues guests visit, each with its time zone (a visit is a calendar day in the venue's zone) and
-- the wordings its captive portal shows, so a WiFi sign-up is recorded with the text the guest saw.
CREATE TABLE idn_venue (
    id                       CHAR(36)     NOT NULL,
    ref                      VARCHAR(190) NOT NULL,
    name                     VARCHAR(200) NOT NULL,
    time_zone                VARCHAR(64)  NOT NULL,
    terms_wording_id         VARCHAR(64)  NULL,
    terms_wording_version    VARCHAR(16)  NULL,
    marketing_wording_id     VARCHAR(64)  NULL,
    marketing_wording_version VARCHAR(16) NULL,
    created_at               DATETIME(6)  NOT NULL,
    updated_at               DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_idn_venue_ref (ref)
) ENGINE = InnoDB;

-- One visit per guest, venue and day (in the venue's zone): repeated logins of one visit (back
-- button, idle phone, roaming between access points) widen it instead of counting again. Counters on
-- the profile are derived from these rows, so a replayed or late event cannot double count.
CREATE TABLE idn_visit (
    guest_id      CHAR(36)     NOT NULL,
    venue_id      CHAR(36)     NOT NULL,
    visit_day     DATE         NOT NULL,
    first_seen    DATETIME(6)  NOT NULL,
    last_seen     DATETIME(6)  NOT NULL,
    dwell_minutes INT          NULL,
    zone          VARCHAR(100) NULL,
    logins        INT          NOT NULL,
    PRIMARY KEY (guest_id, venue_id, visit_day),
    KEY ix_idn_visit_venue (venue_id, visit_day),
    CONSTRAINT fk_idn_visit_guest FOREIGN KEY (guest_id) REFERENCES idn_guest (id) ON DELETE CASCADE,
    CONSTRAINT fk_idn_visit_venue FOREIGN KEY (venue_id) REFERENCES idn_venue (id)
) ENGINE = InnoDB;

-- Devices a guest logged in with. The MAC is kept only as a keyed hash (pepper from configuration),
-- and that hash only sealed with the guest's data key; device_key (HMAC of guest and MAC) finds the
-- row again without linking guests. Randomised (locally administered) MACs are flagged and never
-- used to link anything.
CREATE TABLE idn_device (
    guest_id        CHAR(36)    NOT NULL,
    device_key      CHAR(64)    NOT NULL,
    mac_hash_sealed TEXT        NOT NULL,
    randomised      BOOLEAN     NOT NULL,
    device_type     VARCHAR(40) NULL,
    os              VARCHAR(60) NULL,
    first_seen      DATETIME(6) NOT NULL,
    last_seen       DATETIME(6) NOT NULL,
    PRIMARY KEY (guest_id, device_key),
    CONSTRAINT fk_idn_device_guest FOREIGN KEY (guest_id) REFERENCES idn_guest (id) ON DELETE CASCADE
) ENGINE = InnoDB;

-- Stays from booking systems, stored in UTC (the sender gives local times of the venue). The latest
-- event by its time at the source wins, so a late "modified" cannot undo a "cancelled".
CREATE TABLE idn_stay (
    source_id        CHAR(36)     NOT NULL,
    reservation_ref  VARCHAR(100) NOT NULL,
    guest_id         CHAR(36)     NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    arrival_utc      DATETIME(6)  NULL,
    departure_utc    DATETIME(6)  NOT NULL,
    time_zone        VARCHAR(64)  NOT NULL,
    last_event_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (source_id, reservation_ref),
    KEY ix_idn_stay_guest (guest_id),
    CONSTRAINT fk_idn_stay_guest FOREIGN KEY (guest_id) REFERENCES idn_guest (id) ON DELETE CASCADE,
    CONSTRAINT ck_idn_stay_status CHECK (status IN ('CONFIRMED', 'CANCELLED', 'CHECKED_IN', 'CHECKED_OUT'))
) ENGINE = InnoDB;

-- The change feed (GET /guests/changes): the audit sequence number of a guest's latest change. Audit
-- appends are serialised on the chain head until commit, so these numbers become visible in order and
-- a reader following them misses nothing and sees nothing twice.
ALTER TABLE idn_guest
    ADD COLUMN change_seq BIGINT NULL,
    ADD KEY ix_idn_guest_change (change_seq);

-- Erased data subjects (privacy): a keyed hash of the normalised email and the erasure time, nothing
-- else. An event that happened before that time is refused; a later one starts a new guest.
CREATE TABLE prv_suppression (
    subject_hash CHAR(64)    NOT NULL,
    erased_at    DATETIME(6) NOT NULL,
    PRIMARY KEY (subject_hash)
) ENGINE = InnoDB;
