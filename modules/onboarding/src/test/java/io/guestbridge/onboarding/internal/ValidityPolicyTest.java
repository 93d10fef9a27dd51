package io.guestbridge.onboarding.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The window rules: the venue's calendar, both DST changes, grace, and a PMS's UTC or local times. */
class ValidityPolicyTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    private static Instant local(String dateTime, ZoneId zone) {
        return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
    }

    @Test
    void byDefaultFromMidnightOfTheArrivalDayToAnHourAfterCheckOut() {
        ValidityWindow window = ValidityPolicy.DEFAULT.window(local("2026-07-10T15:00", LONDON), local("2026-07-12T11:00", LONDON), LONDON);
        assertEquals(Instant.parse("2026-07-09T23:00:00Z"), window.from(), "00:00 British Summer Time");
        assertEquals(Instant.parse("2026-07-12T11:00:00Z"), window.until(), "12:00 BST");
    }

    @Test
    void aStayAcrossTheAutumnChangeStartsInSummerTimeAndEndsInWinterTime() {
        // clocks go back at 02:00 BST on 25 October 2026
        ValidityWindow window = ValidityPolicy.DEFAULT.window(local("2026-10-24T15:00", LONDON), local("2026-10-26T11:00", LONDON), LONDON);
        assertEquals(Instant.parse("2026-10-23T23:00:00Z"), window.from());
        assertEquals(Instant.parse("2026-10-26T12:00:00Z"), window.until());
        assertEquals(Duration.ofHours(24 + 24 + 12 + 1), Duration.between(window.from(), window.until()), "the night of the change has 25 hours");
    }

    @Test
    void aStayAcrossTheSpringChangeStartsInWinterTimeAndEndsInSummerTime() {
        // clocks go forward at 01:00 GMT on 29 March 2026
        ValidityWindow window = ValidityPolicy.DEFAULT.window(local("2026-03-28T15:00", LONDON), local("2026-03-30T11:00", LONDON), LONDON);
        assertEquals(Instant.parse("2026-03-28T00:00:00Z"), window.from());
        assertEquals(Instant.parse("2026-03-30T11:00:00Z"), window.until());
        assertEquals(Duration.ofHours(24 + 24 + 12 - 1), Duration.between(window.from(), window.until()), "the night of the change has 23 hours");
    }

    @Test
    void aDayThatStartsInTheGapStartsWhenTheZoneSaysItDoes() {
        // Beirut moves from 00:00 to 01:00 on 29 March 2026: that day's first moment is 01:00 EEST (UTC+3)
        ZoneId beirut = ZoneId.of("Asia/Beirut");
        ValidityWindow window = ValidityPolicy.DEFAULT.window(local("2026-03-29T14:00", beirut), local("2026-03-30T12:00", beirut), beirut);
        assertEquals(Instant.parse("2026-03-28T22:00:00Z"), window.from());
    }

    @Test
    void theArrivalDayIsTheVenuesDayNotUtcs() {
        // a PMS that sends UTC: 23:30Z on 24 October is 00:30 on the 25th in London
        ValidityWindow fromUtc = ValidityPolicy.DEFAULT.window(Instant.parse("2026-10-24T23:30:00Z"), Instant.parse("2026-10-26T11:00:00Z"), LONDON);
        assertEquals(Instant.parse("2026-10-24T23:00:00Z"), fromUtc.from(), "00:00 BST on the 25th, not 00:00 UTC on the 24th");
        // the same stay from a PMS that sends local times gives the same window
        ValidityWindow fromLocal = ValidityPolicy.DEFAULT.window(local("2026-10-25T00:30", LONDON), local("2026-10-26T11:00", LONDON), LONDON);
        assertEquals(fromUtc, fromLocal);
    }

    @Test
    void theSameStayInAnotherZoneHasItsOwnMidnight() {
        ZoneId newYork = ZoneId.of("America/New_York");
        Instant arrival = Instant.parse("2026-07-10T02:00:00Z"); // 03:00 in London on the 10th, 22:00 in New York on the 9th
        assertEquals(Instant.parse("2026-07-09T23:00:00Z"), ValidityPolicy.DEFAULT.window(arrival, arrival.plusSeconds(86400), LONDON).from());
        assertEquals(Instant.parse("2026-07-09T04:00:00Z"), ValidityPolicy.DEFAULT.window(arrival, arrival.plusSeconds(86400), newYork).from());
    }

    @Test
    void graceIsConfigurable() {
        ValidityPolicy policy = new ValidityPolicy(false, Duration.ofHours(2), Duration.ofMinutes(30));
        ValidityWindow window = policy.window(local("2026-07-10T15:00", LONDON), local("2026-07-12T11:00", LONDON), LONDON);
        assertEquals(Instant.parse("2026-07-10T12:00:00Z"), window.from(), "two hours before the 15:00 BST arrival");
        assertEquals(Instant.parse("2026-07-12T10:30:00Z"), window.until(), "half an hour after 11:00 BST");
        ValidityPolicy dayBefore = new ValidityPolicy(true, Duration.ofHours(12), Duration.ZERO);
        assertEquals(Instant.parse("2026-07-09T11:00:00Z"),
                dayBefore.window(local("2026-07-10T15:00", LONDON), local("2026-07-12T11:00", LONDON), LONDON).from(), "noon the day before");
    }

    @Test
    void graceAfterIsElapsedTimeAcrossTheNightTheClocksGoBack() {
        // departure 01:30 BST on 25 October; an hour later the clocks read 01:30 again, in GMT
        ValidityWindow window = ValidityPolicy.DEFAULT.window(local("2026-10-24T15:00", LONDON), Instant.parse("2026-10-25T00:30:00Z"), LONDON);
        assertEquals(Instant.parse("2026-10-25T01:30:00Z"), window.until());
    }

    @Test
    void refusesGraceBeyondAWeekOrNegative() {
        assertThrows(IllegalArgumentException.class, () -> new ValidityPolicy(true, Duration.ofDays(8), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ValidityPolicy(true, Duration.ZERO, Duration.ofMinutes(-1)));
    }

    @Test
    void aWindowContainsItsStartButNotItsEnd() {
        ValidityWindow window = new ValidityWindow(Instant.parse("2026-07-10T00:00:00Z"), Instant.parse("2026-07-11T00:00:00Z"));
        assertEquals(true, window.contains(window.from()));
        assertEquals(false, window.contains(window.until()));
        assertEquals(false, window.contains(window.from().minusNanos(1000)));
        assertEquals(Duration.ofHours(6), window.leftAt(Instant.parse("2026-07-10T18:00:00Z")), "Session-Timeout shrinks as departure nears");
        assertEquals(Duration.ZERO, window.leftAt(window.until()));
        assertThrows(IllegalArgumentException.class, () -> new ValidityWindow(window.until(), window.from()));
    }
}
