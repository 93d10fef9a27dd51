package io.guestbridge.privacy.internal.notices;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The words of the mail to data subjects, in the language they used: one file per language
 * ({@code privacy/mail_<language>.properties}, English in {@code privacy/mail.properties}), so a language is one file.
 */
public final class MailWords {

    /** The languages mail is written in; any other gets English. */
    static final List<String> WRITTEN = List.of("en", "fr");

    private MailWords() {
    }

    /** The written language closest to a stored language tag (null: English). */
    public static Locale of(String tag) {
        if (tag == null) {
            return Locale.ENGLISH;
        }
        String language = Locale.forLanguageTag(tag).getLanguage();
        return WRITTEN.contains(language) ? Locale.forLanguageTag(language) : Locale.ENGLISH;
    }

    /** What is stored of a subject's language: a written one, or null for English by default. */
    public static String tag(Locale language) {
        return language == null || !WRITTEN.contains(language.getLanguage()) ? null : language.getLanguage();
    }

    public static String text(Locale language, String key, Object... arguments) {
        String pattern = bundle(language).getString(key);
        return arguments.length == 0 ? pattern : new MessageFormat(pattern, language).format(arguments);
    }

    /** A date in words ("2 January 2027", "2 janvier 2027", "1er janvier 2027"), in the given zone. */
    public static String day(Instant instant, Locale language, ZoneId zone) {
        String pattern = instant.atZone(zone).getDayOfMonth() == 1 ? "date.pattern.first-of-month" : "date.pattern";
        return DateTimeFormatter.ofPattern(text(language, pattern), language).withZone(zone).format(instant);
    }

    private static ResourceBundle bundle(Locale language) {
        return ResourceBundle.getBundle("privacy.mail", "en".equals(language.getLanguage()) ? Locale.ROOT : language, MailWords.class.getClassLoader(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }
}
