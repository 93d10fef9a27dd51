package io.guestbridge.audit.internal;

/**
 * The outcome of verifying the audit chain.
 *
 * @param intact         true when every record checks out
 * @param checkedRecords records verified before the first break (all of them when intact)
 * @param headSequence   the last sequence number the chain head records
 * @param firstBroken    the first record that does not hold, with the reason; null when intact
 */
public record ChainVerification(boolean intact, long checkedRecords, long headSequence, Break firstBroken) {

    /** The first broken record: its sequence number and what is wrong with it. */
    public record Break(long sequence, String reason) {
    }
}
