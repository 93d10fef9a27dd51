package io.guestbridge.privacy.internal.notices;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subject's mail in each language the module writes: the same words in every file, dates and sentences in the language. */
class MailWordsTest {

    @Test
    void everyLanguageHasEveryWord() throws Exception {
        Properties english = load("privacy/mail.properties");
        Properties french = load("privacy/mail_fr.properties");
        assertEquals(english.keySet(), french.keySet());
        assertFalse(english.isEmpty());
    }

    @Test
    void mailIsWrittenInTheSubjectsLanguage() {
        Locale fr = MailWords.of("fr");
        assertEquals("1er janvier 2027", MailWords.day(Instant.parse("2027-01-01T10:00:00Z"), fr, ZoneOffset.UTC));
        assertEquals("1 January 2027", MailWords.day(Instant.parse("2027-01-01T10:00:00Z"), MailWords.of(null), ZoneOffset.UTC));
        String body = MailWords.text(fr, "notice.verification.body", MailWords.text(fr, "what.ERASURE"), "01234567", "2 janvier 2027 à 10:00 (UTC)", "r1");
        assertTrue(body.startsWith("Nous avons reçu une demande d’effacement de vos données personnelles."), body);
        assertTrue(body.contains("saisissez ce code : 01234567"), body);
        assertEquals("Your privacy request: partially completed", MailWords.text(Locale.ENGLISH, "notice.outcome.subject",
                MailWords.text(Locale.ENGLISH, "outcome.state.PARTIALLY_COMPLETED")));
        assertEquals(Locale.ENGLISH, MailWords.of("de-DE"), "a language the module does not write gets English");
        assertEquals("fr", MailWords.tag(Locale.CANADA_FRENCH));
        assertEquals(null, MailWords.tag(Locale.GERMAN));
    }

    private static Properties load(String name) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = MailWordsTest.class.getClassLoader().getResourceAsStream(name)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
