-- The change feed (GET /guests/changes) now follows the numbered audit records of guest changes
-- (module identity, GUEST_CREATED / GUEST_FIELD_CHANGED / GUEST_RECTIFIED / GUEST_UPDATED), whose
-- numbers the audit sequencer hands out after commit: the guest no longer carries its own copy.
ALTER TABLE idn_guest
    DROP KEY ix_idn_guest_change,
    DROP COLUMN change_seq;
