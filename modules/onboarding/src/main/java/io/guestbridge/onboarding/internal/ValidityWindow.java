package io.guestbridge.onboarding.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** When a credential works: from {@code from} (inclusive) to {@code until} (exclusive), as instants. */
record ValidityWindow(Instant from, Instant until) {

    ValidityWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("a validity window ends after it starts");
        }
    }

    boolean contains(Instant at) {
        return !at.isBefore(from) && at.isBefore(until);
    }

    /** Two stays whose windows overlap or touch are one stretch of access: the guest never drops off in between. */
    boolean joins(ValidityWindow other) {
        return !other.from.isAfter(until) && !from.isAfter(other.until);
    }

    ValidityWindow span(ValidityWindow other) {
        return new ValidityWindow(from.isBefore(other.from) ? from : other.from, until.isAfter(other.until) ? until : other.until);
    }

    /** What is left at {@code at}: the RADIUS Session-Timeout. Zero outside the window. */
    Duration leftAt(Instant at) {
        return contains(at) ? Duration.between(at, until) : Duration.ZERO;
    }
}
