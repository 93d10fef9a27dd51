package io.guestbridge.tlog;

import java.util.Objects;

/**
 * Walks the chain in sequence order and stops at the first record that does not hold: a missing
 * sequence number, a previous hash that is not the hash of the record before, or content that no
 * longer matches its own hash.
 */
public final class ChainVerifier {

    private long expectedSeq = 1;
    private String previousHash = AuditEntry.GENESIS;
    private long checked;
    private LogBreak broken;

    /** Checks the next record, its content and the hash stored with it; false once the chain is broken (later records are not checked). */
    public boolean accept(AuditEntry record, String storedHash) {
        if (broken != null) {
            return false;
        }
        if (record.seq() != expectedSeq) {
            broken = new LogBreak(expectedSeq, "record " + expectedSeq + " is missing (the next record found is "
                    + record.seq() + ")");
            return false;
        }
        if (!Objects.equals(record.prevHash(), previousHash)) {
            broken = new LogBreak(record.seq(), "its previous hash does not match the hash of record "
                    + (record.seq() - 1));
            return false;
        }
        if (!record.hash().equals(storedHash)) {
            broken = new LogBreak(record.seq(), "its content does not match its hash: the record was changed");
            return false;
        }
        previousHash = storedHash;
        expectedSeq++;
        checked++;
        return true;
    }

    /** Records that held before the first break (all of them when none broke). */
    public long checked() {
        return checked;
    }

    /** The hash of the last record that held. */
    public String lastHash() {
        return previousHash;
    }

    /** The first break, comparing the end of the walk with the recorded head of the chain; null when it holds. */
    public LogBreak result(long headSeq, String headHash) {
        if (broken == null && (headSeq != expectedSeq - 1 || !headHash.equals(previousHash))) {
            broken = headSeq >= expectedSeq
                    ? new LogBreak(expectedSeq, "records " + expectedSeq + " to " + headSeq + " are missing")
                    : new LogBreak(headSeq + 1, "the chain head does not match the last record");
        }
        return broken;
    }

    /** The first break found while walking; null while the chain holds. */
    public LogBreak firstBreak() {
        return broken;
    }
}
