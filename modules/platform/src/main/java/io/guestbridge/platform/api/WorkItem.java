package io.guestbridge.platform.api;

import java.time.Instant;

/**
 * One unit of work on the durable queue, as a worker claimed it.
 *
 * @param attempts   how many times it has been claimed, this claim included
 * @param generation bumped when coalesced work arrived for the same key; completion checks it
 * @param leaseOwner the claim that holds it; completion and failure only act for this claim
 */
public record WorkItem(long id, String queue, String coalesceKey, String payload, int attempts,
                       int generation, String leaseOwner, Instant createdAt, String lastError) {
}
