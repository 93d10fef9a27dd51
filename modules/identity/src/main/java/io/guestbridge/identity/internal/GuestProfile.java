package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What guestbridge believes about one guest, field by field, with where each value came from and when
 * it was observed there. It decides itself whether an observation changes a field
 * ({@link #observe}), by the ownership rules of {@link FieldOwnership}: owning sources outrank the
 * others, later observations outrank earlier ones, ties are settled by source and value. Because that
 * is a total order and a field keeps the greatest value it has seen, any arrival order of the same
 * observations ends in the same profile: late Purple retries and replays cannot move a field back.
 */
public final class GuestProfile {

    /**
     * A field's current value and its provenance: the source, when the source observed it, whether that
     * source owns the field, and why the value is unverified (null when it is verified).
     */
    public record FieldValue(String value, SourceSystem source, Instant observedAt, boolean owning, String unverifiedReason) {

        public FieldValue(String value, SourceSystem source, Instant observedAt, boolean owning) {
            this(value, source, observedAt, owning, null);
        }

        public boolean verified() {
            return unverifiedReason == null;
        }

        @Override
        public String toString() {
            return "FieldValue[" + source + " at " + observedAt + (owning ? ", owning" : "") + (verified() ? "" : ", unverified")
                    + ", value redacted]";
        }
    }

    private final Map<GuestField, FieldValue> fields = new EnumMap<>(GuestField.class);

    /** Applies an observation; true when it changed the field. */
    public boolean observe(Observation observation, FieldOwnership ownership) {
        FieldValue candidate = new FieldValue(observation.value(), observation.source(), observation.observedAt(),
                ownership.owns(observation.source(), observation.field()), observation.unverifiedReason());
        FieldValue current = fields.get(observation.field());
        if (current != null && RANK.compare(candidate, current) <= 0) {
            return false;
        }
        fields.put(observation.field(), candidate);
        return true;
    }

    public Optional<FieldValue> field(GuestField field) {
        return Optional.ofNullable(fields.get(field));
    }

    public Map<GuestField, FieldValue> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** Loads a stored field as it is, without judging it (persistence only). */
    void restore(GuestField field, FieldValue value) {
        fields.put(field, value);
    }

    /**
     * The total order of candidate values: owning before non-owning, then later observation, then
     * source (rectification first, then CRM, booking, WiFi), then a verified value before an unverified
     * one, then the value itself and the reason it is unverified.
     *
     * <p>Being unverified never outweighs time: a guest's newer number that cannot be verified replaces an
     * older verified one (flagged), because keeping the old one would silently drop what the guest gave.
     */
    static final Comparator<FieldValue> RANK = Comparator
            .comparing(FieldValue::owning)
            .thenComparing(FieldValue::observedAt)
            .thenComparing(v -> sourceWeight(v.source()))
            .thenComparing(FieldValue::verified)
            .thenComparing(FieldValue::value)
            .thenComparing(FieldValue::unverifiedReason, Comparator.nullsLast(Comparator.naturalOrder()));

    private static int sourceWeight(SourceSystem source) {
        return switch (source) {
            case WIFI -> 0;
            case BOOKING -> 1;
            case CRM -> 2;
            case OPERATOR -> 3;
            case SUBJECT -> 4;
        };
    }
}
