-- An audit record now waits for its number in aud_pending, a table with no index but its primary key, and the
-- sequencer moves it into aud_record with its number and hashes, in the transaction that numbers it. Before, the
-- transaction of the change inserted it into aud_record itself, unnumbered, and the sequencer's UPDATE then moved
-- five of its seven index entries (every search index ends in seq): writing and numbering a record cost the database
-- about twice what inserting it once, numbered, into aud_record and once into aud_pending costs. aud_record now holds
-- numbered records only and is never updated again.
CREATE TABLE aud_pending (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    occurred_at DATETIME(6)   NOT NULL,
    actor       VARCHAR(128)  NOT NULL,
    action      VARCHAR(64)   NOT NULL,
    module      VARCHAR(32)   NOT NULL,
    subject_ref VARCHAR(80)   NULL,
    details     TEXT          NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB;

-- Records still waiting at the upgrade wait on in the new table, in the order they were written.
INSERT INTO aud_pending (occurred_at, actor, action, module, subject_ref, details)
    SELECT occurred_at, actor, action, module, subject_ref, details FROM aud_record WHERE seq IS NULL ORDER BY id;

DROP TRIGGER aud_record_no_delete;
DELETE FROM aud_record WHERE seq IS NULL;
CREATE TRIGGER aud_record_no_delete BEFORE DELETE ON aud_record FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_record is append-only: records cannot be deleted';

-- seq, prev_hash and hash stay nullable columns: making them NOT NULL would rebuild the whole history at the upgrade,
-- and nothing writes a record without them any more (the sequencer is the only writer).
DROP TRIGGER aud_record_numbered_once;
CREATE TRIGGER aud_record_no_update BEFORE UPDATE ON aud_record FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_record is append-only: records cannot be updated';

-- A waiting record is never changed, and leaves only when the sequencer moves it (it says so in @aud_sequencer_moves
-- for the statement): a stray DELETE from a SQL console would lose a record the tree never saw.
CREATE TRIGGER aud_pending_no_update BEFORE UPDATE ON aud_pending FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_pending holds audit records waiting for their number: they cannot be updated';

CREATE TRIGGER aud_pending_moved_only BEFORE DELETE ON aud_pending FOR EACH ROW
BEGIN
    IF @aud_sequencer_moves IS NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'aud_pending holds audit records waiting for their number: only the audit sequencer removes them, as it numbers them';
    END IF;
END;

-- Every record written, numbered or still waiting (seq NULL): what a transaction wrote is here from its commit on.
CREATE VIEW aud_record_written AS
    SELECT seq, occurred_at, actor, action, module, subject_ref, details FROM aud_record
    UNION ALL
    SELECT NULL, occurred_at, actor, action, module, subject_ref, details FROM aud_pending;
