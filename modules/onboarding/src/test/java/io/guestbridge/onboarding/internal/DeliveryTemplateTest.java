package io.guestbridge.onboarding.internal;

import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.MailSender.OutgoingMail;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryTemplateTest {

    // London's clocks go back at 02:00 on 31 October 2027: the window starts in summer time and ends in winter time
    private static final ValidityWindow STAY = new ValidityWindow(Instant.parse("2027-10-29T23:00:00Z"), Instant.parse("2027-11-01T12:00:00Z"));

    private static CredentialMail.Content content(CredentialKind kind, ZoneId zone, Locale language) {
        return new CredentialMail.Content("guest@example.com", "Hôtel <Étoile>", "Etoile", kind, "wifi-abcdefghjk", "abcd2345efgh67", STAY, zone, language);
    }

    @Test
    void aWellFormedTemplatePasses() {
        assertTrue(DeliveryTemplate.check("email", "Votre WiFi au {venue}", "Bonjour {firstName}, {network} / {passphrase} du {validFrom} au "
                + "{validUntil} ({timeZone})", false).ok());
        assertTrue(DeliveryTemplate.check("sms", null, "{network} {username} {passphrase}", true).ok());
        assertTrue(DeliveryTemplate.check("sms", null, "{network}: {passphrase} {} { x } {1}", false).ok(), "braces that name nothing are text");
    }

    @Test
    void unknownPlaceholdersAreNamedWhereverTheyAre() {
        DeliveryTemplate.Check check = DeliveryTemplate.check("email", "WiFi at {hotel}", "{network} {pasphrase} {passphrase}", false);
        assertFalse(check.ok());
        assertEquals(Set.of("pasphrase", "hotel"), check.unknown());
        assertTrue(check.missing().isEmpty());
        assertTrue(check.problems().stream().anyMatch(p -> p.contains("{pasphrase}") && p.contains("{hotel}") && p.contains("{validFrom}")),
                check.problems().toString());
    }

    @Test
    void aBodyWithoutTheNetworkOrThePassphraseHandsOverNothing() {
        DeliveryTemplate.Check check = DeliveryTemplate.check("sms", null, "Welcome to {venue}!", false);
        assertEquals(List.of("network", "passphrase"), List.copyOf(check.missing()));
        assertTrue(check.problems().stream().anyMatch(p -> p.contains("{network}, {passphrase}")), check.problems().toString());
        DeliveryTemplate.Check radius = DeliveryTemplate.check("sms", null, "{network} {passphrase}", true);
        assertEquals(Set.of("username"), radius.missing(), "a RADIUS guest needs the user name too");
        assertFalse(DeliveryTemplate.check("sms", null, " ", false).ok());
        assertFalse(DeliveryTemplate.check("sms", null, null, false).ok());
    }

    @Test
    void subjectsAreRequiredForMailOneLineAndNeverCarryThePassphrase() {
        assertFalse(DeliveryTemplate.check("email", null, "{network} {passphrase}", false).ok(), "a mail needs a subject");
        assertFalse(DeliveryTemplate.check("email", "a\nb", "{network} {passphrase}", false).ok(), "one line");
        DeliveryTemplate.Check leaky = DeliveryTemplate.check("email", "Your code {passphrase}", "{network} {passphrase}", false);
        assertTrue(leaky.problems().stream().anyMatch(p -> p.contains("lock screens")), leaky.problems().toString());
        assertFalse(DeliveryTemplate.check("sms", "Subject", "{network} {passphrase}", false).ok(), "a text has no subject");
        assertFalse(DeliveryTemplate.check("sms", null, "{network} {passphrase}" + "x".repeat(DeliveryTemplate.SMS_BODY_MAX), false).ok());
        assertFalse(DeliveryTemplate.check("email", "s", "{network} {passphrase}" + "x".repeat(DeliveryTemplate.MAIL_BODY_MAX), false).ok());
    }

    @Test
    void channelsAndLanguagesAreTheKnownOnes() {
        assertEquals(Optional.of("email"), DeliveryTemplate.channel(" EMAIL "));
        assertEquals(Optional.of("sms"), DeliveryTemplate.channel("sms"));
        assertEquals(Optional.empty(), DeliveryTemplate.channel("fax"));
        assertEquals(Optional.of("fr"), DeliveryTemplate.language("FR"));
        assertEquals(Optional.empty(), DeliveryTemplate.language("de"));
        assertEquals(Optional.empty(), DeliveryTemplate.language(null));
    }

    @Test
    void renderingFillsEveryPlaceholderAndLeavesOtherBracesAndDollarSignsAlone() {
        DeliveryTemplate.Values values = new DeliveryTemplate.Values("Grand", "Guests", null, "a$1\\b", "from", "until", "Europe/London", null);
        assertEquals("Hi , Guests a$1\\b from-until Europe/London {} {x y}", DeliveryTemplate.render("Hi {firstName}, {network} {passphrase} "
                + "{validFrom}-{validUntil} {timeZone} {} {x y}", values));
        assertFalse(values.toString().contains("a$1"), "values never print themselves");
    }

    @Test
    void aVenuesFrenchMailIsItsOwnWordsWithTheWindowInItsTimeAndTheJoinCode() throws Exception {
        DeliveryTemplate words = new DeliveryTemplate("email", "fr", "Le WiFi du {venue} pour {firstName}",
                "Bonjour {firstName},\n\nRéseau {network}, identifiant {username}, mot de passe {passphrase}.\nDu {validFrom} au {validUntil}.");
        OutgoingMail mail = CredentialMail.compose(content(CredentialKind.RADIUS, ZoneId.of("Europe/Paris"), Locale.FRENCH).worded(words, "Amélie"));
        assertEquals("Le WiFi du Hôtel <Étoile> pour Amélie", mail.subject());
        assertEquals("Bonjour Amélie,\n\nRéseau Etoile, identifiant wifi-abcdefghjk, mot de passe abcd2345efgh67.\n"
                + "Du samedi 30 octobre 2027, 01h00 au lundi 1 novembre 2027, 13h00.\n", mail.text());
        assertTrue(mail.html().startsWith("<!DOCTYPE html><html lang=\"fr\"><body><p>Bonjour Amélie,</p><p>Réseau Etoile"), mail.html());
        assertTrue(mail.html().contains("mot de passe abcd2345efgh67.<br>Du samedi"), mail.html());
        assertTrue(mail.html().contains("cid:" + CredentialMail.QR_CONTENT_ID), mail.html());
        assertEquals("WIFI:T:WPA2-EAP;S:Etoile;E:TTLS;PH2:PAP;I:wifi-abcdefghjk;P:abcd2345efgh67;;", WifiJoinCodeTest.decode(mail.images().get(0).bytes()));
        assertFalse(mail.text().contains("marketing"), "the venue's words replace the built-in ones");
    }

    @Test
    void theVenuesWordsEscapeInHtmlAndAPpskGuestHasNoUserName() {
        DeliveryTemplate words = new DeliveryTemplate("email", "en", "WiFi", "<b>{network}</b> {passphrase} [{username}]");
        OutgoingMail mail = CredentialMail.compose(content(CredentialKind.PPSK, ZoneId.of("Europe/London"), Locale.ENGLISH).worded(words, null));
        assertEquals("<b>Etoile</b> abcd2345efgh67 []\n", mail.text());
        assertTrue(mail.html().contains("&lt;b&gt;Etoile&lt;/b&gt;"), mail.html());
    }

    @Test
    void aVenuesTextMessageIsItsOwnWordsAndTheBuiltInOneStaysWithout() {
        DeliveryTemplate words = new DeliveryTemplate("sms", "en", null, "{venue}: {network} / {passphrase} until {validUntil}");
        CredentialMail.Content plain = content(CredentialKind.PPSK, ZoneId.of("Europe/London"), Locale.ENGLISH);
        assertEquals("Hôtel <Étoile>: Etoile / abcd2345efgh67 until Monday 1 November 2027, 12:00", CredentialMail.sms(plain.worded(words, null)));
        assertTrue(CredentialMail.sms(plain).startsWith("Hôtel <Étoile> WiFi: network Etoile, passphrase abcd2345efgh67."), CredentialMail.sms(plain));
        assertFalse(plain.worded(words, "Amélie").toString().contains("Amélie"), "the content never prints the name");
    }
}
