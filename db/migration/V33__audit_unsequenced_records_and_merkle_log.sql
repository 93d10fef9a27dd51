-- Audit records are written by the transaction of the change they record, without a sequence number
-- and without any shared lock. One sequencer per deployment (it holds the lease in aud_chain_head)
-- later numbers committed records gap-free, links them into the hash chain and appends them as
-- leaves of an RFC 9162 Merkle tree, then signs checkpoints of that tree.
ALTER TABLE aud_record
    DROP PRIMARY KEY,
    ADD COLUMN id BIGINT NOT NULL AUTO_INCREMENT FIRST,
    ADD PRIMARY KEY (id),
    MODIFY seq BIGINT NULL,
    MODIFY prev_hash CHAR(64) NULL,
    MODIFY hash CHAR(64) NULL,
    ADD UNIQUE KEY ux_aud_record_seq (seq);

-- Still append-only: the one update a record ever gets is its numbering, once, content unchanged.
DROP TRIGGER aud_record_no_update;

CREATE TRIGGER aud_record_numbered_once BEFORE UPDATE ON aud_record FOR EACH ROW
BEGIN
    IF OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL OR NEW.id <> OLD.id
        OR NOT (NEW.occurred_at <=> OLD.occurred_at) OR NOT (BINARY NEW.actor <=> BINARY OLD.actor)
        OR NOT (BINARY NEW.action <=> BINARY OLD.action) OR NOT (BINARY NEW.module <=> BINARY OLD.module)
        OR NOT (BINARY NEW.subject_ref <=> BINARY OLD.subject_ref) OR NOT (BINARY NEW.details <=> BINARY OLD.details) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_record is append-only: records cannot be updated, only numbered once by the sequencer';
    END IF;
END;

-- The head now belongs to the sequencer alone: the last numbered record, how many leaves the tree
-- has (it catches up with records numbered before the tree existed), and the sequencer's lease.
ALTER TABLE aud_chain_head
    ADD COLUMN tree_size   BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN leader      VARCHAR(64) NULL,
    ADD COLUMN lease_until DATETIME(6) NULL;

-- Every complete, aligned subtree of the Merkle tree: node (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level), 0-based (leaf i is the record of seq i + 1). Any root or proof
-- is a fold of at most 2 * log2(size) of these.
CREATE TABLE aud_tree_node (
    level TINYINT UNSIGNED NOT NULL,
    idx   BIGINT           NOT NULL,
    hash  BINARY(32)       NOT NULL,
    PRIMARY KEY (level, idx)
) ENGINE = InnoDB;

-- Signed checkpoints (C2SP tlog-checkpoint in a signed note), one per tree size that was signed.
CREATE TABLE aud_checkpoint (
    tree_size  BIGINT      NOT NULL,
    root_hash  BINARY(32)  NOT NULL,
    note       TEXT        NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (tree_size)
) ENGINE = InnoDB;

CREATE TRIGGER aud_tree_node_no_update BEFORE UPDATE ON aud_tree_node FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_tree_node is append-only';

CREATE TRIGGER aud_tree_node_no_delete BEFORE DELETE ON aud_tree_node FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_tree_node is append-only';

CREATE TRIGGER aud_checkpoint_no_update BEFORE UPDATE ON aud_checkpoint FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_checkpoint is append-only';

CREATE TRIGGER aud_checkpoint_no_delete BEFORE DELETE ON aud_checkpoint FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_checkpoint is append-only';
