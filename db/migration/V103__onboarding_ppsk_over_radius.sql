-- A PPSK venue whose access points ask a RADIUS server for each device's passphrase (MAC authentication): which
-- vendor's attributes the answer carries (CISCO_MERAKI: Cisco-AVPair psk-mode/psk; ARUBA: Aruba-MPSK-Passphrase).
ALTER TABLE onb_network ADD COLUMN radius_vendor VARCHAR(16) NULL;

-- The devices that may join with a PPSK credential, bound by staff: the MAC only as the deployment's keyed device
-- hash, never in the clear. Bindings go with their credential (revoked rows stay, an erasure deletes them).
CREATE TABLE onb_credential_device (
    credential_id  CHAR(36)    NOT NULL,
    device_hash    CHAR(64)    NOT NULL,
    bound_at       DATETIME(6) NOT NULL,
    PRIMARY KEY (credential_id, device_hash),
    KEY ix_onb_credential_device_hash (device_hash),
    CONSTRAINT fk_onb_credential_device_credential FOREIGN KEY (credential_id) REFERENCES onb_credential (id) ON DELETE CASCADE
) ENGINE = InnoDB;
