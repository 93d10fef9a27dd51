package io.guestbridge.onboarding.internal;

import io.guestbridge.identity.api.GuestDirectory.StayEntry;
import io.guestbridge.identity.api.GuestUpdate.Stay.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a guest's stays ask of their credential: issue, move, revoke, one credential for overlapping stays. */
class AccessPlanTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final String PMS = "8f14e45f-ceea-4e7a-9b2f-1c2d3e4f5a6b";
    private static final String OTHER_PMS = "0b6c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4";
    private static final Instant BEFORE_ALL = Instant.parse("2026-07-01T00:00:00Z");

    private static StayEntry stay(String source, String ref, Status status, String arrival, String departure) {
        return new StayEntry(source, ref, status, arrival == null ? null : Instant.parse(arrival), Instant.parse(departure), "Europe/London");
    }

    private static AccessPlan plan(Instant now, StayEntry... stays) {
        return AccessPlan.of(List.of(stays), PMS, ValidityPolicy.DEFAULT, LONDON, now);
    }

    private static ValidityWindow window(String from, String until) {
        return new ValidityWindow(Instant.parse(from), Instant.parse(until));
    }

    @Test
    void aConfirmedStayGivesItsWindow() {
        AccessPlan plan = plan(BEFORE_ALL, stay(PMS, "R1", Status.CONFIRMED, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"));
        assertEquals(Optional.of(window("2026-07-09T23:00:00Z", "2026-07-12T11:00:00Z")), plan.window());
    }

    @Test
    void aCheckedInStayKeepsItsWindow() {
        AccessPlan plan = plan(Instant.parse("2026-07-11T00:00:00Z"), stay(PMS, "R1", Status.CHECKED_IN, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"));
        assertEquals(Optional.of(window("2026-07-09T23:00:00Z", "2026-07-12T11:00:00Z")), plan.window());
    }

    @Test
    void aModifiedStayMovesTheWindow() {
        AccessPlan before = plan(BEFORE_ALL, stay(PMS, "R1", Status.CONFIRMED, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"));
        AccessPlan after = plan(BEFORE_ALL, stay(PMS, "R1", Status.CONFIRMED, "2026-07-11T14:00:00Z", "2026-07-14T10:00:00Z"));
        assertEquals(Optional.of(window("2026-07-10T23:00:00Z", "2026-07-14T11:00:00Z")), after.window());
        assertEquals(false, before.window().equals(after.window()));
    }

    @Test
    void aCancelledStayGivesNothingAndSaysWhy() {
        AccessPlan plan = plan(BEFORE_ALL, stay(PMS, "R1", Status.CANCELLED, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"));
        assertEquals(Optional.empty(), plan.window());
        assertEquals(AccessPlan.CANCELLED, plan.endReason());
    }

    @Test
    void anEarlyCheckOutEndsAccessAtOnce() {
        AccessPlan plan = plan(Instant.parse("2026-07-11T08:00:00Z"), stay(PMS, "R1", Status.CHECKED_OUT, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"));
        assertEquals(Optional.empty(), plan.window());
        assertEquals(AccessPlan.CHECKED_OUT, plan.endReason());
    }

    @Test
    void aStayThatIsOverGivesNothing() {
        AccessPlan plan = plan(Instant.parse("2026-07-12T11:00:00Z"), stay(PMS, "R1", Status.CONFIRMED, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"));
        assertEquals(Optional.empty(), plan.window());
        assertEquals(AccessPlan.NO_STAY, plan.endReason());
    }

    @Test
    void overlappingStaysShareOneWindow() {
        AccessPlan plan = plan(BEFORE_ALL,
                stay(PMS, "R2", Status.CONFIRMED, "2026-07-11T14:00:00Z", "2026-07-15T10:00:00Z"),
                stay(PMS, "R1", Status.CONFIRMED, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"));
        assertEquals(Optional.of(window("2026-07-09T23:00:00Z", "2026-07-15T11:00:00Z")), plan.window());
    }

    @Test
    void aLaterSeparateStayWaitsForItsTurn() {
        StayEntry first = stay(PMS, "R1", Status.CONFIRMED, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z");
        StayEntry later = stay(PMS, "R2", Status.CONFIRMED, "2026-08-10T14:00:00Z", "2026-08-12T10:00:00Z");
        assertEquals(Optional.of(window("2026-07-09T23:00:00Z", "2026-07-12T11:00:00Z")), plan(BEFORE_ALL, later, first).window());
        assertEquals(Optional.of(window("2026-08-09T23:00:00Z", "2026-08-12T11:00:00Z")), plan(Instant.parse("2026-07-20T00:00:00Z"), later, first).window());
    }

    @Test
    void aCancelledStayBesideALiveOneLeavesTheLiveOne() {
        AccessPlan plan = plan(BEFORE_ALL,
                stay(PMS, "R1", Status.CANCELLED, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"),
                stay(PMS, "R2", Status.CONFIRMED, "2026-07-11T14:00:00Z", "2026-07-13T10:00:00Z"));
        assertEquals(Optional.of(window("2026-07-10T23:00:00Z", "2026-07-13T11:00:00Z")), plan.window());
    }

    @Test
    void staysOfAnotherBookingSourceOrWithoutArrivalGiveNothingHere() {
        AccessPlan plan = plan(BEFORE_ALL,
                stay(OTHER_PMS, "R1", Status.CONFIRMED, "2026-07-10T14:00:00Z", "2026-07-12T10:00:00Z"),
                stay(PMS, "R2", Status.CONFIRMED, null, "2026-07-12T10:00:00Z"));
        assertEquals(Optional.empty(), plan.window());
        assertEquals(AccessPlan.NO_STAY, plan.endReason());
    }
}
