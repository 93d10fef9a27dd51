package io.guestbridge.platform.api;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps personal data out of log lines and other free text that leaves the process.
 *
 * <p>Emails, phone numbers (international {@code +…} form and national numbers starting with 0),
 * MAC addresses, bearer tokens and JWTs are replaced by a placeholder; in JSON-like text the values of
 * keys that name personal data (names, email, phone, birth date, MAC, address…) are replaced too,
 * because a name cannot be recognised by its shape. Every log record of the server passes through
 * {@link #redact(String)} (see the platform's log filter), so a developer who logs a payload by
 * mistake does not leak it.
 */
public final class Redaction {

    private static final String PERSONAL_KEYS = "(?:e-?mail(?:_?address)?|first_?name|last_?name|full_?name|"
            + "given_?name|family_?name|name|phone(?:_?number)?|mobile|msisdn|date_?of_?birth|birth_?date|dob|"
            + "mac(?:_?address)?|address|street|postcode|zip|ip(?:_?address)?|password|secret|token|"
            + "firstname|lastname|fullname|phonenumber|dateofbirth|birthdate|macaddress)";

    private static final Pattern JSON_PERSONAL_VALUE = Pattern.compile(
            "(\"\\s*" + PERSONAL_KEYS + "\\s*\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\]\\s]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern KEY_VALUE_PERSONAL = Pattern.compile(
            "(\\b" + PERSONAL_KEYS + "=)([^&\\s,;]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+(?:@|%40)[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern MAC = Pattern.compile(
            "(?i)(?<![0-9a-f])(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}(?![0-9a-f])|(?<![0-9a-f.])(?:[0-9a-f]{4}\\.){2}[0-9a-f]{4}(?![0-9a-f])");
    /** A phone number; not a run of digit groups inside a UUID ("01234567-1234-…"), which ids in audit details are. */
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+-])(?:\\+|00)[1-9][0-9 ().-]{6,18}[0-9](?![\\w-])|(?<![\\w.:-])0[1-9][0-9 ().-]{7,14}[0-9](?![\\w:-])");

    /** The secret key in a webhook URL (e.g. /ingest/purple/<key>): a working credential, never logged. */
    private static final Pattern WEBHOOK_KEY = Pattern.compile("(/ingest/[a-z-]+/)[A-Za-z0-9_-]{16,}");

    private static final List<Pattern> DETECTORS = List.of(EMAIL, MAC, PHONE, JWT);

    private Redaction() {
    }

    /** The text with personal data replaced by placeholders such as {@code <email>}; null stays null. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = replace(JSON_PERSONAL_VALUE, text, m -> m.group(1) + "\"<redacted>\"");
        out = replace(KEY_VALUE_PERSONAL, out, m -> m.group(1) + "<redacted>");
        out = replace(BEARER, out, m -> m.group(1) + "<token>");
        out = replace(WEBHOOK_KEY, out, m -> m.group(1) + "<key>");
        out = JWT.matcher(out).replaceAll("<token>");
        out = EMAIL.matcher(out).replaceAll("<email>");
        out = MAC.matcher(out).replaceAll("<mac>");
        out = PHONE.matcher(out).replaceAll("<phone>");
        return out;
    }

    /** Whether the text looks like it carries personal data (an email, phone, MAC or token). */
    public static boolean containsPersonalData(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (Pattern detector : DETECTORS) {
            if (detector.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }
}
