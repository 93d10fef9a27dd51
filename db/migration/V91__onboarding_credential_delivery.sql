-- When a credential's delivery was handed to the mail queue: the delivery run takes each due credential once (a
-- second run, on this instance or another, skips it), and a moved window clears it with delivered_at, so the guest
-- is told the new dates.
ALTER TABLE onb_credential ADD COLUMN delivery_queued_at DATETIME(6) NULL AFTER delivered_at;
