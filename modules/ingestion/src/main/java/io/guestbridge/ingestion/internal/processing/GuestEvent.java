package io.guestbridge.ingestion.internal.processing;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One event in guestbridge's own terms, whatever the sender's format: who (the email that keys the
 * guest), when it happened at the source, what was observed, where, and which consent decisions came
 * with it. Readers of each format produce it; processing applies it.
 *
 * @param dedupKey  identifies the event across retries of the sender: the source and its webhook-id, or
 *                  Purple's user, venue and authentication time, whichever of our sources delivered it
 * @param venue     where the guest was seen, when the event is a visit
 */
public record GuestEvent(String dedupKey, SourceSystem source, Instant occurredAt, NormalizedEmail email, List<Observation> observations,
                  Optional<VenueSeen> venue, Optional<GuestUpdate.Device> device, Optional<StaySeen> stay, List<ConsentClaim> consents) {

    public GuestEvent {
        Objects.requireNonNull(dedupKey, "dedupKey");
        Objects.requireNonNull(email, "email");
        observations = List.copyOf(observations);
        consents = List.copyOf(consents);
    }

    /** A venue as the sender names it; the registry turns it into a venue with a time zone. */
    record VenueSeen(String ref, String name, Integer dwellMinutes, String zone) {
    }

    /** A booking: the local times already turned into UTC with the venue's zone. */
    record StaySeen(GuestUpdate.Stay stay) {
    }

    /**
     * A consent decision as the sender reported it. A null wording means "what this venue's portal
     * shows" (the venue registry's wording for the purpose).
     */
    record ConsentClaim(String purpose, ConsentDecision decision, String wordingId, String wordingVersion, boolean preTicked,
                        boolean bundled, Map<String, String> evidence) {
    }

    /** Why an event cannot become guest data as it is; it goes to quarantine with this reason. */
    public static final class Unusable extends Exception {
        public Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "GuestEvent[" + source + " at " + occurredAt + ", personal data redacted]";
    }
}
