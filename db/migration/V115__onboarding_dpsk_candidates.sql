-- A Ruckus DPSK request from a device not yet bound names only the SSID: its candidates are the venue's active PPSK
-- credentials inside their window, found by the active venue and the window's end.
ALTER TABLE onb_credential ADD KEY ix_onb_credential_active_window (active_venue_id, valid_until);
