package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.SourceSystem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sponsor's agreement: what can be registered, when it is in force, how its end moves. */
class SponsorTest {

    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant END = Instant.parse("2027-12-01T00:00:00Z");

    private static Sponsor.Terms terms(String id, String ref, List<String> fields, Instant start, Instant end) {
        return new Sponsor.Terms(id, "Acme Drinks Ltd", ref, "Offers from Acme Drinks", fields, start, end, null);
    }

    @Test
    void anAgreementIsInForceFromItsStartUntilJustBeforeItsEnd() {
        Sponsor sponsor = Sponsor.register(terms("acme", "DSA-2026-014", List.of("email", "FIRST_NAME"), START, END), START);
        assertEquals(Sponsor.Status.NOT_STARTED, sponsor.statusAt(START.minusNanos(1000)));
        assertTrue(sponsor.inForceAt(START));
        assertTrue(sponsor.inForceAt(END.minusNanos(1000)));
        assertFalse(sponsor.inForceAt(END));
        assertEquals(Sponsor.Status.ENDED, sponsor.statusAt(END));
        assertEquals(List.of("EMAIL", "FIRST_NAME"), sponsor.sharedFields(), "the vocabulary's names, as the connectors map them");
        assertEquals("sponsor:acme", sponsor.consentPurpose());
    }

    @Test
    void badTermsAreRefusedWithAReasonAPersonCanActOn() {
        IllegalArgumentException endBeforeStart = assertThrows(IllegalArgumentException.class,
                () -> Sponsor.register(terms("acme", "DSA-1", List.of("EMAIL"), END, START), START));
        assertTrue(endBeforeStart.getMessage().contains("must be after its start"), endBeforeStart.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sponsor.register(terms("acme", "DSA-1", List.of("EMAIL"), START, START), START),
                "an agreement of no time at all");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Sponsor.register(terms("acme", "DSA-1", List.of("EMAIL", "SHOE_SIZE"), START, END), START));
        assertTrue(unknown.getMessage().contains("unknown field SHOE_SIZE") && unknown.getMessage().contains("LAST_VENUE"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sponsor.register(terms("acme", "DSA-1", List.of(), START, END), START));
        assertThrows(IllegalArgumentException.class, () -> Sponsor.register(terms("Acme Drinks", "DSA-1", List.of("EMAIL"), START, END), START),
                "the id is the consent purpose's, lower case and without spaces");
        assertThrows(IllegalArgumentException.class, () -> Sponsor.register(terms("acme", "ceo@acme.example", List.of("EMAIL"), START, END), START),
                "the reference is audited: nothing personal");
        assertThrows(IllegalArgumentException.class, () -> Sponsor.register(terms("acme", "DSA-1", List.of("EMAIL"), null, END), START));
        Sponsor openEnded = Sponsor.register(terms("acme", "DSA-1", List.of("EMAIL"), START, null), START);
        assertTrue(openEnded.inForceAt(Instant.parse("2099-01-01T00:00:00Z")));
    }

    @Test
    void thePrivacyContactIsAnAddressOrNothing() {
        Sponsor.Terms base = terms("acme", "DSA-1", List.of("EMAIL"), START, END);
        Sponsor.Terms withContact = new Sponsor.Terms(base.id(), base.name(), base.agreementRef(), base.purpose(), base.sharedFields(), base.startsAt(),
                base.endsAt(), " Privacy@Acme-Drinks.example ");
        assertEquals("privacy@acme-drinks.example", Sponsor.register(withContact, START).view(START).contactEmail());
        assertEquals(null, Sponsor.register(base, START).view(START).contactEmail(), "a sponsor registered without one is not told");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Sponsor.register(new Sponsor.Terms(base.id(), base.name(),
                base.agreementRef(), base.purpose(), base.sharedFields(), base.startsAt(), base.endsAt(), "the privacy office"), START));
        assertTrue(bad.getMessage().startsWith("contactEmail must be"), bad.getMessage());

        Sponsor later = Sponsor.register(base, START);
        assertEquals(false, later.changeContact(" Privacy@Acme-Drinks.example ", START), "none registered before");
        assertEquals("privacy@acme-drinks.example", later.view(START).contactEmail(), "a contact added after registration");
        IllegalArgumentException badChange = assertThrows(IllegalArgumentException.class, () -> later.changeContact("the privacy office", START));
        assertTrue(badChange.getMessage().startsWith("contactEmail must be"), badChange.getMessage());
        assertEquals("privacy@acme-drinks.example", later.view(START).contactEmail(), "a refused change keeps the contact");
        assertEquals(true, later.changeContact(null, START));
        assertEquals(null, later.view(START).contactEmail(), "and removed");
    }

    @Test
    void theEndMovesButNeverBeforeTheStartAndEndingNowStopsItAtOnce() {
        Sponsor sponsor = Sponsor.register(terms("acme", "DSA-1", List.of("EMAIL"), START, END), START);
        Instant renewed = Instant.parse("2028-12-01T00:00:00Z");
        assertEquals(END, sponsor.changeEnd(renewed, START));
        assertTrue(sponsor.inForceAt(END));
        assertThrows(IllegalArgumentException.class, () -> sponsor.changeEnd(START.minusSeconds(1), START));
        assertEquals(renewed, sponsor.endsAt(), "a refused change leaves the end as it was");
        Instant now = START.plusSeconds(86_400);
        sponsor.endNow(now);
        assertFalse(sponsor.inForceAt(now));
        assertTrue(sponsor.inForceAt(now.minusNanos(1000)));
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> sponsor.endNow(now.plusSeconds(1)));
        assertTrue(again.getMessage().contains("already ended"));

        Sponsor notYet = Sponsor.register(terms("later", "DSA-2", List.of("EMAIL"), END, null), START);
        notYet.endNow(START);
        assertFalse(notYet.inForceAt(END), "ended before it began: never in force");
    }

    @Test
    void anExportRowHoldsTheSharedFieldsOnlyAndNoUnverifiedValue() {
        GuestId guest = GuestId.random();
        Instant at = Instant.parse("2026-12-02T09:00:00Z");
        GuestDirectory.Profile profile = new GuestDirectory.Profile(guest, Map.of(
                GuestField.EMAIL, new GuestDirectory.Value("ada@example.com", SourceSystem.WIFI, at, true, true, null),
                GuestField.FIRST_NAME, new GuestDirectory.Value("Ada", SourceSystem.WIFI, at, true, true, null),
                GuestField.LAST_NAME, new GuestDirectory.Value("Lovelace", SourceSystem.WIFI, at, true, true, null),
                GuestField.PHONE, new GuestDirectory.Value("12", SourceSystem.WIFI, at, true, false, "not a valid number")));
        ConsentLedger.Entry grant = new ConsentLedger.Entry(7, "sponsor:acme", ConsentDecision.GRANTED, "acme-optin", "2", at, at,
                "captive-portal:venue-1", Map.of(), "h");
        Map<String, String> row = SponsorExports.row(List.of("EMAIL", "FIRST_NAME", "PHONE", "VISIT_COUNT", "CONSENT_WORDING_ID"), profile,
                new GuestDirectory.VisitSummary(3, 90, at, at), grant);
        assertEquals(Arrays.asList("ada@example.com", "Ada", null, "3", "acme-optin"), new java.util.ArrayList<>(row.values()));
        assertFalse(row.containsKey("LAST_NAME"), "a field outside the agreement is not shared");
        assertNull(row.get("PHONE"), "an unverified phone is not shared, as it is not sent to the CRMs");
    }
}
