-- A CSV import checks each row against the rows already imported from the same source (by the row's
-- content hash, kept as its delivery id), so importing the same file twice changes nothing.
ALTER TABLE ing_inbox ADD KEY ix_ing_inbox_delivery (source_id, delivery_id);
