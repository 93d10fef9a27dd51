-- Retention looks for profiles inactive since a cutoff every round (hourly by default) among the oldest guests
-- first: without an index on when a guest was created that is a scan and a sort of every guest each time.
ALTER TABLE idn_guest
    ADD KEY ix_idn_guest_created (created_at);
