package io.guestbridge.audit.internal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The outcome of verifying the audit chain.
 *
 * @param intact         true when every record checks out
 * @param checkedRecords records verified before the first break (all of them when intact)
 * @param headSequence   the last sequence number the chain head records
 * @param checkpointsChecked signed checkpoints the recomputed Merkle tree was found to match
 * @param firstBroken    the first record that does not hold, with the reason; null when intact
 */
@Schema(requiredProperties = {"intact", "checkedRecords", "headSequence", "checkpointsChecked"})
public record ChainVerification(boolean intact, @Schema(type = SchemaType.INTEGER, format = "int64") long checkedRecords,
                                @Schema(type = SchemaType.INTEGER, format = "int64") long headSequence,
                                @Schema(type = SchemaType.INTEGER, format = "int64",
                                        description = "Signed checkpoints whose root the records still hash to (a break stops the count)")
                                long checkpointsChecked,
                                Break firstBroken) {

    /** The outcome of the hash chain alone. */
    ChainVerification(boolean intact, long checkedRecords, long headSequence, Break firstBroken) {
        this(intact, checkedRecords, headSequence, 0, firstBroken);
    }

    /** The first broken record: its sequence number and what is wrong with it. */
    @Schema(name = "ChainBreak", requiredProperties = {"sequence", "reason"})
    public record Break(@Schema(type = SchemaType.INTEGER, format = "int64") long sequence, String reason) {
    }
}
