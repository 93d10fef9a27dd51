package io.guestbridge.privacy.api;

import io.guestbridge.identity.api.NormalizedEmail;

import java.time.Instant;
import java.util.Optional;

/**
 * The suppression list of erased data subjects, as ingestion consults it for every event: an event
 * that happened before the subject's erasure (a Purple retry hours later, a late booking update) must
 * not bring the person back; an event after it (a new login with fresh consent) starts a new guest.
 */
public interface ErasedSubjects {

    /** When the subject with this email was erased, if ever. */
    Optional<Instant> erasedAt(NormalizedEmail email);

    /** When each of these subjects was erased, for those ever erased (one query in the container). */
    default java.util.Map<NormalizedEmail, Instant> erasedAtAll(java.util.Collection<NormalizedEmail> emails) {
        java.util.Map<NormalizedEmail, Instant> erased = new java.util.HashMap<>();
        for (NormalizedEmail email : new java.util.LinkedHashSet<>(emails)) {
            erasedAt(email).ifPresent(at -> erased.put(email, at));
        }
        return erased;
    }

    /** True when an event of this subject that happened at {@code occurredAt} must be refused. */
    default boolean refuses(NormalizedEmail email, Instant occurredAt) {
        return erasedAt(email).map(erased -> !occurredAt.isAfter(erased)).orElse(false);
    }
}
