-- Transactions write coalesced work items in one shared order, the coalesce key's code points, and a consumer
-- completing a batch locks its items through this key's index in index order: the index must order keys the same
-- way, so the key compares as binary (no padding, no case folding; keys are ids the code builds, never typed).
ALTER TABLE plt_work_item
    MODIFY coalesce_key VARCHAR(190) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL;
