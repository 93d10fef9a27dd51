package io.guestbridge.audit.internal;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The outcome of verifying the audit chain.
 *
 * @param intact         true when every record checks out
 * @param checkedRecords records verified before the first break (all of them when intact)
 * @param headSequence   the last sequence number the chain head records
 * @param firstBroken    the first record that does not hold, with the reason; null when intact
 */
@Schema(requiredProperties = {"intact", "checkedRecords", "headSequence"})
public record ChainVerification(boolean intact, @Schema(type = SchemaType.INTEGER, format = "int64") long checkedRecords,
                                @Schema(type = SchemaType.INTEGER, format = "int64") long headSequence, Break firstBroken) {

    /** The first broken record: its sequence number and what is wrong with it. */
    @Schema(name = "ChainBreak", requiredProperties = {"sequence", "reason"})
    public record Break(@Schema(type = SchemaType.INTEGER, format = "int64") long sequence, String reason) {
    }
}
