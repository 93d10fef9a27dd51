package io.guestbridge.privacy.internal.requests;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each law's rights and clock, as instants, across daylight saving time changes. */
class RegimeTest {

    @Test
    void ccpaIs45CaliforniaDaysAcrossTheEndOfDaylightSavingTime() {
        // 10:00 in Los Angeles on 20 October (PDT, UTC-7); 45 days later is 4 December, 10:00 PST (UTC-8)
        Instant received = Instant.parse("2026-10-20T17:00:00Z");
        Instant due = Regime.CCPA.due(RequestType.ERASURE, received);
        assertEquals(Instant.parse("2026-12-04T18:00:00Z"), due);
        assertEquals(Duration.ofDays(45).plusHours(1), Duration.between(received, due), "the day the clocks go back is 25 hours long");
        // and the extension: 45 more California days from the original due date, 10:00 PST on 18 January
        assertEquals(Instant.parse("2027-01-18T18:00:00Z"), Regime.CCPA.extendedDue(RequestType.ERASURE, due, null, null));
        assertEquals(Instant.parse("2027-01-18T18:00:00Z"), Regime.CCPA.extendedDue(RequestType.ERASURE, due, null, 45));
    }

    @Test
    void ccpaAcrossTheStartOfDaylightSavingTime() {
        // 23:30 on 1 March in Los Angeles (PST) is already 2 March in UTC: the days counted are California's
        Instant received = Instant.parse("2026-03-02T07:30:00Z");
        assertEquals(Instant.parse("2026-04-16T06:30:00Z"), Regime.CCPA.due(RequestType.ACCESS, received), "15 April, 23:30 PDT");
    }

    @Test
    void anOptOutIsDueIn15BusinessDaysAndCannotBeExtended() {
        // Friday 30 October 2026, 16:00 PDT: 15 weekdays later is Friday 20 November, 16:00 PST (the clocks went back on 1 November)
        Instant received = Instant.parse("2026-10-30T23:00:00Z");
        assertEquals(Instant.parse("2026-11-21T00:00:00Z"), Regime.CCPA.due(RequestType.OPT_OUT, received));
        // received on a Saturday: the count starts with Monday
        assertEquals(Instant.parse("2026-11-27T18:00:00Z"), Regime.CCPA.due(RequestType.OPT_OUT, Instant.parse("2026-11-07T18:00:00Z")));
        ProblemException refused = assertThrows(ProblemException.class,
                () -> Regime.CCPA.extendedDue(RequestType.OPT_OUT, Instant.parse("2026-11-21T00:00:00Z"), null, 45));
        assertEquals(ProblemType.CONFLICT, refused.type());
        assertTrue(refused.getMessage().contains("15 business days"), refused.getMessage());
    }

    @Test
    void gdprIsOneMonthInUtcWhateverTheLocalClocksDo() {
        Instant received = Instant.parse("2026-03-28T10:00:00Z");
        assertEquals(Instant.parse("2026-04-28T10:00:00Z"), Regime.GDPR.due(RequestType.ERASURE, received), "the night Europe moves to summer time changes nothing");
        assertEquals(Instant.parse("2026-04-28T10:00:00Z"), Regime.UK_GDPR.due(RequestType.OBJECTION, received));
        assertEquals(Instant.parse("2026-06-28T10:00:00Z"), Regime.UK_GDPR.extendedDue(RequestType.OBJECTION, Instant.parse("2026-04-28T10:00:00Z"), 2, null));
    }

    @Test
    void eachLawHasItsOwnRightsAndItsOwnExtensionAndSaysWhatIsAllowed() {
        ProblemException noObjection = assertThrows(ProblemException.class, () -> Regime.CCPA.require(RequestType.OBJECTION));
        assertEquals(ProblemType.VALIDATION, noObjection.type());
        assertTrue(noObjection.getMessage().contains("OPT_OUT (opt out of sale or sharing)"), noObjection.getMessage());
        ProblemException noOptOut = assertThrows(ProblemException.class, () -> Regime.GDPR.require(RequestType.OPT_OUT));
        assertTrue(noOptOut.getMessage().contains("ERASURE, ACCESS, RECTIFICATION, OBJECTION"), noOptOut.getMessage());
        Instant due = Instant.parse("2026-12-04T18:00:00Z");
        assertEquals(ProblemType.VALIDATION, assertThrows(ProblemException.class, () -> Regime.CCPA.extendedDue(RequestType.ERASURE, due, 1, null)).type(),
                "months are not a CCPA period");
        assertEquals(ProblemType.VALIDATION, assertThrows(ProblemException.class, () -> Regime.CCPA.extendedDue(RequestType.ERASURE, due, null, 30)).type());
        assertEquals(ProblemType.VALIDATION, assertThrows(ProblemException.class, () -> Regime.GDPR.extendedDue(RequestType.ERASURE, due, null, 45)).type(),
                "days are not a GDPR period");
        assertEquals(ProblemType.VALIDATION, assertThrows(ProblemException.class, () -> Regime.GDPR.extendedDue(RequestType.ERASURE, due, 3, null)).type());
        ProblemException unknown = assertThrows(ProblemException.class, () -> Regime.parse("PIPEDA"));
        assertTrue(unknown.getMessage().contains("[GDPR, UK_GDPR, CCPA]"), unknown.getMessage());
        assertEquals(Regime.CCPA, Regime.parse("cpra"));
        assertEquals(Regime.UK_GDPR, Regime.parse("UK GDPR"));
    }

    @Test
    void aCcpaRequestIsExtendedOnceAndOnlyWithinItsFirst45Days() {
        Instant received = Instant.parse("2026-10-20T17:00:00Z");
        Instant due = Regime.CCPA.due(RequestType.ERASURE, received);
        PrivacyRequest open = new PrivacyRequest("r1", RequestType.ERASURE, Regime.CCPA, "STAFF", RequestState.IN_PROGRESS, "h", received, due, due, null,
                null, null, null, null, null, null, null, 0);
        assertEquals(Instant.parse("2027-01-18T18:00:00Z"), open.extendedDue(null, null, Instant.parse("2026-12-01T00:00:00Z")));
        assertEquals(ProblemType.CONFLICT, assertThrows(ProblemException.class, () -> open.extendedDue(null, 45, Instant.parse("2026-12-05T00:00:00Z"))).type(),
                "the notice must go out within the first 45 days");
        PrivacyRequest extended = new PrivacyRequest("r1", RequestType.ERASURE, Regime.CCPA, "STAFF", RequestState.IN_PROGRESS, "h", received,
                Instant.parse("2027-01-18T18:00:00Z"), due, "archives", null, null, null, null, null, null, null, 0);
        ProblemException again = assertThrows(ProblemException.class, () -> extended.extendedDue(null, 45, Instant.parse("2026-12-01T00:00:00Z")));
        assertEquals(ProblemType.CONFLICT, again.type());
        assertTrue(again.getMessage().contains("one extension of 45 days"), again.getMessage());
    }
}
