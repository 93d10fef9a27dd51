package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestDirectory.StayEntry;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a guest's stays at one venue ask of their credential now, derived from the stays alone (so a late or
 * repeated booking event cannot leave the credential behind): the window of the next stretch of access, or the
 * reason there is none.
 *
 * <p>A stretch is the earliest stay not yet over, joined with every stay whose window overlaps or touches it: a
 * guest with two overlapping stays (a room for themselves, one booked for a colleague under their email) has one
 * credential covering both. Cancelled and checked-out stays give no access: a check-out before the departure
 * time ends the access at once.
 *
 * @param window    the window the credential should have; empty: no credential should work
 * @param endReason when empty, why: CANCELLED, CHECKED_OUT, or NO_STAY (every stay is over, or none has an arrival)
 */
record AccessPlan(Optional<ValidityWindow> window, String endReason) {

    static final String CANCELLED = "CANCELLED";
    static final String CHECKED_OUT = "CHECKED_OUT";
    static final String NO_STAY = "NO_STAY";

    static AccessPlan of(List<StayEntry> stays, String bookingSourceId, ValidityPolicy policy, ZoneId zone, Instant now) {
        List<ValidityWindow> live = new ArrayList<>();
        boolean checkedOut = false;
        boolean cancelled = false;
        for (StayEntry stay : stays) {
            if (!stay.sourceId().equals(bookingSourceId) || stay.arrival() == null) {
                continue; // without an arrival no one can say when access should begin
            }
            ValidityWindow window = policy.window(stay.arrival(), stay.departure(), zone);
            if (!window.until().isAfter(now)) {
                continue;
            }
            switch (stay.status()) {
                case CONFIRMED, CHECKED_IN -> live.add(window);
                case CHECKED_OUT -> checkedOut = true;
                case CANCELLED -> cancelled = true;
            }
        }
        if (live.isEmpty()) {
            return new AccessPlan(Optional.empty(), checkedOut ? CHECKED_OUT : cancelled ? CANCELLED : NO_STAY);
        }
        live.sort(Comparator.comparing(ValidityWindow::from));
        ValidityWindow stretch = live.get(0);
        for (ValidityWindow next : live.subList(1, live.size())) {
            if (!stretch.joins(next)) {
                break;
            }
            stretch = stretch.span(next);
        }
        return new AccessPlan(Optional.of(stretch), null);
    }
}
