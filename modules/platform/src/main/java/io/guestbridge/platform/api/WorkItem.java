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

    /**
     * Equal as a record is, written out: the record's generated {@code equals} and {@code hashCode} combine every
     * component through method handles, and as the key of a batch's maps that showed up in the server's profile. The
     * hash is the id's (equal items have equal ids), so the payload is not hashed.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof WorkItem w && id == w.id && attempts == w.attempts && generation == w.generation && java.util.Objects.equals(queue, w.queue)
                && java.util.Objects.equals(coalesceKey, w.coalesceKey) && java.util.Objects.equals(leaseOwner, w.leaseOwner)
                && java.util.Objects.equals(createdAt, w.createdAt) && java.util.Objects.equals(lastError, w.lastError)
                && java.util.Objects.equals(payload, w.payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }
}
