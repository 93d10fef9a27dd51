package io.guestbridge.onboarding.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How a stay becomes the time a credential works, per venue network. Guests arrive before the check-in hour and
 * expect the WiFi in the lobby, so by default access starts at 00:00 on the arrival day in the venue's time zone;
 * it ends an hour after the check-out time, for the guest who settles the bill online on the way out.
 *
 * <p>Stays arrive as instants (the booking intake already read a PMS's UTC or local times in the venue's zone);
 * the arrival's calendar day is taken in the venue's zone, and its first moment is what that zone says it is, so a
 * day that starts in a DST gap (Asia/Beirut springs forward at midnight) starts at 01:00. Grace durations are
 * elapsed time: "an hour after check-out" is 3,600 seconds even across the night the clocks go back.
 *
 * @param fromStartOfArrivalDay start at 00:00 of the arrival day (then less {@code before}); else at the arrival
 *                              instant less {@code before}
 * @param before                grace before the start
 * @param after                 grace after the departure
 */
record ValidityPolicy(boolean fromStartOfArrivalDay, Duration before, Duration after) {

    /** No grace reaches further than a week: longer, a credential outlives the stay it is for. */
    static final Duration LONGEST_GRACE = Duration.ofDays(7);

    static final ValidityPolicy DEFAULT = new ValidityPolicy(true, Duration.ZERO, Duration.ofHours(1));

    ValidityPolicy {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (before.isNegative() || after.isNegative() || before.compareTo(LONGEST_GRACE) > 0 || after.compareTo(LONGEST_GRACE) > 0) {
            throw new IllegalArgumentException("grace before and after the stay must be between 0 and 7 days");
        }
    }

    ValidityWindow window(Instant arrival, Instant departure, ZoneId zone) {
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(departure, "departure");
        Instant start = fromStartOfArrivalDay ? arrival.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant() : arrival;
        return new ValidityWindow(start.minus(before), departure.plus(after));
    }
}
