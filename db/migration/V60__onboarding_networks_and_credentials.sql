-- The guest WiFi network of a venue that gives each booked guest a credential of their own: which booking
-- system (a source) takes the venue's reservations, what kind of credential the network uses, and how far the
-- credential's validity reaches beyond the stay.
CREATE TABLE onb_network (
    venue_id                   CHAR(36)    NOT NULL,
    booking_source_id          CHAR(36)    NOT NULL,
    kind                       VARCHAR(16) NOT NULL,
    ssid                       VARCHAR(32) NOT NULL,
    from_start_of_arrival_day  BOOLEAN     NOT NULL,
    grace_before_minutes       INT         NOT NULL,
    grace_after_minutes        INT         NOT NULL,
    updated_at                 DATETIME(6) NOT NULL,
    PRIMARY KEY (venue_id),
    UNIQUE KEY uq_onb_network_source (booking_source_id)
) ENGINE = InnoDB;

-- One credential per guest and venue network while the guest has stays there: the passphrase is sealed under
-- the guest's data key (erasing the guest destroys it with the key); the window is UTC. A revoked credential
-- stays as a row (who had access when) until the guest is erased; at most one is active per guest and venue.
CREATE TABLE onb_credential (
    id                 CHAR(36)       NOT NULL,
    guest_id           CHAR(36)       NOT NULL,
    venue_id           CHAR(36)       NOT NULL,
    kind               VARCHAR(16)    NOT NULL,
    username           VARCHAR(32)    NOT NULL,
    passphrase_sealed  VARBINARY(512) NOT NULL,
    valid_from         DATETIME(6)    NOT NULL,
    valid_until        DATETIME(6)    NOT NULL,
    state              VARCHAR(16)    NOT NULL,
    revoked_at         DATETIME(6)    NULL,
    revoked_reason     VARCHAR(32)    NULL,
    created_at         DATETIME(6)    NOT NULL,
    updated_at         DATETIME(6)    NOT NULL,
    delivered_at       DATETIME(6)    NULL,
    -- the venue while the credential is active, NULL once revoked: the unique key allows one active credential per
    -- guest and venue, and any number of revoked ones
    active_venue_id    CHAR(36)       NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_onb_credential_username (username),
    UNIQUE KEY uq_onb_credential_active (guest_id, active_venue_id),
    KEY ix_onb_credential_guest (guest_id, venue_id),
    KEY ix_onb_credential_delivery (state, delivered_at, valid_from)
) ENGINE = InnoDB;
