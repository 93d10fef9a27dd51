package io.guestbridge.identity.internal;

import io.guestbridge.identity.api.FieldOwnership;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failure modes of WiFi-to-CRM integrations (a login overwriting a CRM correction, duplicates, pre-ticked consent), made impossible by the profile's rules. */
class GuestProfileTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private final FieldOwnership ownership = FieldOwnership.defaults();

    @Test
    void aWifiLoginDoesNotOverwriteAPhoneTheGuestCorrectedInTheCrm() {
        GuestProfile profile = new GuestProfile();
        profile.observe(new Observation(GuestField.PHONE, "+447700900111", SourceSystem.WIFI, T0), ownership);
        assertTrue(profile.observe(new Observation(GuestField.PHONE, "+447700900222", SourceSystem.CRM, T0.plusSeconds(60)), ownership));
        assertFalse(profile.observe(new Observation(GuestField.PHONE, "+447700900111", SourceSystem.WIFI, T0.plusSeconds(3600)), ownership),
                "a later WiFi login does not overwrite the CRM's phone");
        assertEquals("+447700900222", profile.field(GuestField.PHONE).orElseThrow().value());
        assertEquals(SourceSystem.CRM, profile.field(GuestField.PHONE).orElseThrow().source());
    }

    @Test
    void wifiDataFillsAnEmptyCrmMasterField() {
        GuestProfile profile = new GuestProfile();
        assertTrue(profile.observe(new Observation(GuestField.FIRST_NAME, "Jane", SourceSystem.WIFI, T0), ownership));
        assertEquals("Jane", profile.field(GuestField.FIRST_NAME).orElseThrow().value());
    }

    @Test
    void crmValuesNeverOverwriteWifiMasterFields() {
        GuestProfile profile = new GuestProfile();
        profile.observe(new Observation(GuestField.LAST_VENUE, "venue-1", SourceSystem.WIFI, T0), ownership);
        assertFalse(profile.observe(new Observation(GuestField.LAST_VENUE, "venue-9", SourceSystem.CRM, T0.plusSeconds(3600)), ownership));
        assertEquals("venue-1", profile.field(GuestField.LAST_VENUE).orElseThrow().value());
    }

    @Test
    void aLateRetryOfAnOlderLoginDoesNotMoveTheLastVenueBack() {
        GuestProfile profile = new GuestProfile();
        profile.observe(new Observation(GuestField.LAST_VENUE, "venue-2", SourceSystem.WIFI, T0.plusSeconds(7200)), ownership);
        // Purple retries every 3 hours: the older login arrives after the newer one
        assertFalse(profile.observe(new Observation(GuestField.LAST_VENUE, "venue-1", SourceSystem.WIFI, T0), ownership));
        assertEquals("venue-2", profile.field(GuestField.LAST_VENUE).orElseThrow().value());
    }

    @Test
    void theGuestsRectificationStandsUntilTheCrmReportsANewerValue() {
        GuestProfile profile = new GuestProfile();
        profile.observe(new Observation(GuestField.LAST_NAME, "Smyth", SourceSystem.CRM, T0), ownership);
        assertTrue(profile.observe(new Observation(GuestField.LAST_NAME, "Smith", SourceSystem.SUBJECT, T0.plusSeconds(60)), ownership));
        assertFalse(profile.observe(new Observation(GuestField.LAST_NAME, "Smyth", SourceSystem.CRM, T0.plusSeconds(30)), ownership));
        assertTrue(profile.observe(new Observation(GuestField.LAST_NAME, "Smith-Jones", SourceSystem.CRM, T0.plusSeconds(120)), ownership));
    }

    @Test
    void aPhoneThatCannotBeVerifiedIsKeptAsGivenWithItsReason() {
        GuestProfile profile = new GuestProfile();
        Observation national = new Observation(GuestField.PHONE, "07911 123456", SourceSystem.WIFI, T0).readIn(Optional.empty());
        assertTrue(profile.observe(national, ownership), "an unverified value is still observed");
        GuestProfile.FieldValue kept = profile.field(GuestField.PHONE).orElseThrow();
        assertEquals("07911 123456", kept.value());
        assertFalse(kept.verified());
        assertEquals(national.unverifiedReason(), kept.unverifiedReason());
        assertFalse(kept.toString().contains("7911"), "no value in toString");
    }

    @Test
    void aNewerUnverifiedNumberReplacesAnOlderVerifiedOneAndATieGoesToTheVerified() {
        GuestProfile profile = new GuestProfile();
        profile.observe(new Observation(GuestField.PHONE, "+447911123456", SourceSystem.BOOKING, T0), ownership);
        assertTrue(profile.observe(new Observation(GuestField.PHONE, "07922 000000", SourceSystem.BOOKING, T0.plusSeconds(60), "no country"),
                ownership), "the guest's newer number is kept, flagged, rather than dropped for being unverifiable");
        assertEquals("07922 000000", profile.field(GuestField.PHONE).orElseThrow().value());
        assertFalse(profile.observe(new Observation(GuestField.PHONE, "+447911123456", SourceSystem.BOOKING, T0), ownership),
                "an older verified value does not move the field back");

        GuestProfile tie = new GuestProfile();
        tie.observe(new Observation(GuestField.PHONE, "+447700900123", SourceSystem.WIFI, T0, "drama"), ownership);
        assertTrue(tie.observe(new Observation(GuestField.PHONE, "+447911123456", SourceSystem.WIFI, T0), ownership));
        assertFalse(tie.observe(new Observation(GuestField.PHONE, "+447700900123", SourceSystem.WIFI, T0, "drama"), ownership));
        assertTrue(tie.field(GuestField.PHONE).orElseThrow().verified(), "at the same moment from the same source, the verified value wins");
    }

    @Test
    void ownershipIsConfigurablePerField() {
        FieldOwnership wifiOwnsGender = FieldOwnership.defaults().with(GuestField.GENDER, FieldOwnership.Master.WIFI);
        GuestProfile profile = new GuestProfile();
        profile.observe(new Observation(GuestField.GENDER, "F", SourceSystem.CRM, T0), wifiOwnsGender);
        assertTrue(profile.observe(new Observation(GuestField.GENDER, "X", SourceSystem.WIFI, T0.plusSeconds(1)), wifiOwnsGender));
    }
}
