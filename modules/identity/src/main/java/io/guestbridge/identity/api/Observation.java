package io.guestbridge.identity.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One value of one field as a source saw it at a moment (the moment at the source, not when it reached
 * us: Purple retries arrive hours late).
 */
public record Observation(GuestField field, String value, SourceSystem source, Instant observedAt) {

    public Observation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an observation needs a value; absent values are not observed");
        }
    }

    @Override
    public String toString() {
        return "Observation[" + field + " from " + source + " at " + observedAt + ", value redacted]";
    }
}
