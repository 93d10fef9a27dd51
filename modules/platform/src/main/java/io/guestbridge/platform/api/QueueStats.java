package io.guestbridge.platform.api;

/**
 * The state of one queue.
 *
 * @param pending          items waiting or being worked on
 * @param oldestAgeSeconds age of the oldest pending item, 0 when none
 * @param dead             items that exhausted their attempts or failed permanently
 */
public record QueueStats(String queue, long pending, long oldestAgeSeconds, long dead) {
}
