-- The erased-subject suppression list is purged by its retention (retention.suppression-records.days): the purge
-- finds the oldest entries by their erasure time, which needs an index on it.
CREATE INDEX ix_prv_suppression_erased ON prv_suppression (erased_at);
