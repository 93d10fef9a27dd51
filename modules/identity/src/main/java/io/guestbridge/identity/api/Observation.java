package io.guestbridge.identity.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One value of one field as a source saw it at a moment (the moment at the source, not when it reached
 * us: Purple retries arrive hours late).
 *
 * <p>A value that could not be verified by its field's rules (a phone number that is not a valid number,
 * or has no country to be read in) is still observed, as given, with {@code unverifiedReason} saying why:
 * it is what the guest gave, and dropping it would lose it without a trace.
 */
public record Observation(GuestField field, String value, SourceSystem source, Instant observedAt, String unverifiedReason) {

    public Observation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an observation needs a value; absent values are not observed");
        }
        if (unverifiedReason != null && unverifiedReason.isBlank()) {
            throw new IllegalArgumentException("an unverified value needs its reason");
        }
    }

    /** A value as the source reported it, not yet read by its field's rules. */
    public Observation(GuestField field, String value, SourceSystem source, Instant observedAt) {
        this(field, value, source, observedAt, null);
    }

    public boolean verified() {
        return unverifiedReason == null;
    }

    /**
     * This observation with its value read by the field's rules, in the country where it was collected
     * (empty when unknown): a phone number becomes E.164, or stays as given and unverified with the reason.
     * Other fields are already in their form.
     */
    public Observation readIn(Optional<Country> country) {
        if (field != GuestField.PHONE) {
            return this;
        }
        PhoneNumber.Reading reading = PhoneNumber.read(value, country.orElse(null));
        return new Observation(field, reading.value(), source, observedAt, reading.unverifiedReason());
    }

    @Override
    public String toString() {
        return "Observation[" + field + " from " + source + " at " + observedAt + (verified() ? "" : ", unverified")
                + ", value redacted]";
    }
}
