package io.guestbridge.platform.api;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The state of one queue.
 *
 * @param pending          items waiting or being worked on
 * @param oldestAgeSeconds age of the oldest pending item, 0 when none
 * @param dead             items that exhausted their attempts or failed permanently
 */
@Schema(requiredProperties = {"queue", "pending", "oldestAgeSeconds", "dead"})
public record QueueStats(String queue, @Schema(type = SchemaType.INTEGER, format = "int64") long pending,
                         @Schema(type = SchemaType.INTEGER, format = "int64") long oldestAgeSeconds,
                         @Schema(type = SchemaType.INTEGER, format = "int64") long dead) {
}
