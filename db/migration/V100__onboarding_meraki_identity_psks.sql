-- A PPSK venue whose passphrases go to a Cisco Meraki dashboard: the network, the SSID's number (0-14), the group
-- policy every identity PSK gets (Meraki requires one at creation) and which configured API key to use (null: the
-- default key). The key itself lives in configuration, never here.
ALTER TABLE onb_network
    ADD COLUMN meraki_network_id VARCHAR(64) NULL,
    ADD COLUMN meraki_ssid_number TINYINT NULL,
    ADD COLUMN meraki_group_policy_id VARCHAR(64) NULL,
    ADD COLUMN meraki_api_key_name VARCHAR(64) NULL;

-- The dashboard's id of the credential's identity PSK once created there; null while none exists.
ALTER TABLE onb_credential ADD COLUMN meraki_psk_id VARCHAR(64) NULL;
