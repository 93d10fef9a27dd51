-- When the guest's profile was last rectified (Art. 16) as of a connector's last sync of the guest: a newer
-- correction goes to the connector whatever its triggers, since every recipient is told of a rectification (Art. 19).
-- A time only; erased with the guest like the rest of the row.
ALTER TABLE crm_sync_facts ADD COLUMN rectified_at DATETIME(6) NULL;
