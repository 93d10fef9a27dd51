-- Work items say which guest they are about in a column of their own, set from the message when it is
-- published, so erasure removes a guest's waiting work without reading any module's payloads or keys.
ALTER TABLE plt_work_item
    ADD COLUMN guest_id CHAR(36) NULL AFTER payload,
    ADD KEY ix_plt_work_item_guest (guest_id);

-- items queued before this column existed: until now the CRM outbox (the only work about a guest) was
-- coalesced under the audit trail's subject reference of the guest, 'guest:' followed by the id
UPDATE plt_work_item SET guest_id = SUBSTRING(coalesce_key, 7)
WHERE coalesce_key LIKE 'guest:%' AND CHAR_LENGTH(coalesce_key) = 42;
