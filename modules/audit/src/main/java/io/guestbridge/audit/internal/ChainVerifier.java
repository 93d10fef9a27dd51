package io.guestbridge.audit.internal;

/**
 * Walks the chain in sequence order and stops at the first record that does not hold: a missing
 * sequence number, a previous hash that is not the hash of the record before, or content that no
 * longer matches its own hash.
 */
final class ChainVerifier {

    private long expectedSeq = 1;
    private String previousHash = AuditRecord.GENESIS;
    private long checked;
    private ChainVerification.Break broken;

    /** Checks the next record; false once the chain is broken (later records are not checked). */
    boolean accept(AuditRecord record) {
        if (broken != null) {
            return false;
        }
        if (record.seq() != expectedSeq) {
            broken = new ChainVerification.Break(expectedSeq, "record " + expectedSeq + " is missing (the next record found is "
                    + record.seq() + ")");
            return false;
        }
        if (!record.prevHash().equals(previousHash)) {
            broken = new ChainVerification.Break(record.seq(), "its previous hash does not match the hash of record "
                    + (record.seq() - 1));
            return false;
        }
        if (!record.isIntact()) {
            broken = new ChainVerification.Break(record.seq(), "its content does not match its hash: the record was changed");
            return false;
        }
        previousHash = record.hash();
        expectedSeq++;
        checked++;
        return true;
    }

    /** The outcome, comparing the end of the walk with the recorded head of the chain. */
    ChainVerification result(long headSeq, String headHash) {
        if (broken == null && (headSeq != expectedSeq - 1 || !headHash.equals(previousHash))) {
            broken = headSeq >= expectedSeq
                    ? new ChainVerification.Break(expectedSeq, "records " + expectedSeq + " to " + headSeq + " are missing")
                    : new ChainVerification.Break(headSeq + 1, "the chain head does not match the last record");
        }
        return new ChainVerification(broken == null, checked, headSeq, broken);
    }
}
