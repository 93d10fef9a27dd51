package io.guestbridge.onboarding.internal;

import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.MailSender.OutgoingMail;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialMailTest {

    // London's clocks go back at 02:00 on 31 October 2027: the window starts in summer time and ends in winter time
    private static final ValidityWindow STAY = new ValidityWindow(Instant.parse("2027-10-29T23:00:00Z"), Instant.parse("2027-11-01T12:00:00Z"));

    @Test
    void theEnglishMailTellsTheWindowInTheVenuesTimeAndCarriesTheJoinCode() throws Exception {
        OutgoingMail mail = CredentialMail.compose(new CredentialMail.Content("guest@example.com", "Grand Hotel", "Grand Guests", CredentialKind.PPSK,
                "wifi-abcdefghjk", "abcd2345efgh67", STAY, ZoneId.of("Europe/London"), Locale.ENGLISH));
        assertEquals("Your WiFi at Grand Hotel", mail.subject());
        assertTrue(mail.text().contains("It works from Saturday 30 October 2027, 00:00 to Monday 1 November 2027, 12:00 (Europe/London time)."),
                mail.text());
        assertTrue(mail.text().contains("Passphrase: abcd2345efgh67"), mail.text());
        assertFalse(mail.text().contains("wifi-abcdefghjk"), "a personal pre-shared key needs no user name");
        assertTrue(mail.html().contains("cid:" + CredentialMail.QR_CONTENT_ID), mail.html());
        assertEquals("WIFI:T:WPA;S:Grand Guests;P:abcd2345efgh67;;", WifiJoinCodeTest.decode(mail.images().get(0).bytes()));
    }

    @Test
    void theFrenchMailNamesTheRadiusUserAndEscapesTheHtml() throws Exception {
        OutgoingMail mail = CredentialMail.compose(new CredentialMail.Content("guest@example.com", "Hôtel <Étoile>", "Etoile", CredentialKind.RADIUS,
                "wifi-abcdefghjk", "abcd2345efgh67", STAY, ZoneId.of("Europe/Paris"), CredentialMail.languageOf("FR")));
        assertEquals("Votre WiFi à Hôtel <Étoile>", mail.subject());
        assertTrue(mail.text().contains("Il fonctionne du samedi 30 octobre 2027, 01h00 au lundi 1 novembre 2027, 13h00 (heure de Europe/Paris)."),
                mail.text());
        assertTrue(mail.text().contains("Nom d'utilisateur : wifi-abcdefghjk"), mail.text());
        assertTrue(mail.html().contains("Hôtel &lt;Étoile&gt;") && !mail.html().contains("<Étoile>"), mail.html());
        assertEquals("WIFI:T:WPA2-EAP;S:Etoile;E:TTLS;PH2:PAP;I:wifi-abcdefghjk;P:abcd2345efgh67;;", WifiJoinCodeTest.decode(mail.images().get(0).bytes()));
        assertEquals(Locale.ENGLISH, CredentialMail.languageOf("GB"));
        assertEquals(Locale.ENGLISH, CredentialMail.languageOf(null));
    }
}
