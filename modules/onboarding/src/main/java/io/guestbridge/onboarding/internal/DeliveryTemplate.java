package io.guestbridge.onboarding.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A venue's own words for the credential message of one channel and language, in place of the built-in ones. The
 * text holds placeholders in braces, filled in when the message is sent: {@code {network}} and {@code {passphrase}}
 * (both required in the body: a message without them hands over nothing), {@code {validFrom}} and
 * {@code {validUntil}} (in the venue's time zone and the language's date format), {@code {timeZone}},
 * {@code {venue}}, {@code {username}} (a RADIUS account's user name) and {@code {firstName}} (the guest's first name,
 * empty when unknown). A subject never carries the passphrase: subjects show on lock screens and in mail logs.
 * A brace that opens no placeholder name is text; a name that is no placeholder is refused, so a typo never reaches a
 * guest as {@code {pasphrase}}.
 *
 * @param channel  {@link #EMAIL} or {@link #SMS}
 * @param language {@code en} or {@code fr}
 * @param subject  the mail's subject; null for a text message
 * @param body     the mail's text (its HTML part is the same text, escaped, with the QR code), or the text message
 */
record DeliveryTemplate(String channel, String language, String subject, String body) {

    static final String EMAIL = "email";
    static final String SMS = "sms";

    /** The languages with built-in words, which a venue may replace. */
    static final List<String> LANGUAGES = List.of("en", "fr");

    static final Set<String> PLACEHOLDERS = Set.of("network", "passphrase", "validFrom", "validUntil", "timeZone", "venue", "username", "firstName");

    static final Set<String> REQUIRED_IN_BODY = new LinkedHashSet<>(List.of("network", "passphrase"));

    static final int SUBJECT_MAX = 200;
    static final int MAIL_BODY_MAX = 4000;
    /** Three concatenated GSM-7 segments: what every gateway delivers as one message. */
    static final int SMS_BODY_MAX = 459;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    /** The values a message is rendered with; {@code firstName} and {@code username} may be null. */
    record Values(String venue, String network, String username, String passphrase, String validFrom, String validUntil, String timeZone,
                  String firstName) {

        Map<String, String> asMap() {
            return Map.of("venue", nullToEmpty(venue), "network", nullToEmpty(network), "username", nullToEmpty(username),
                    "passphrase", nullToEmpty(passphrase), "validFrom", nullToEmpty(validFrom), "validUntil", nullToEmpty(validUntil),
                    "timeZone", nullToEmpty(timeZone), "firstName", nullToEmpty(firstName));
        }

        @Override
        public String toString() {
            return "DeliveryTemplate.Values[redacted]";
        }

        private static String nullToEmpty(String s) {
            return s == null ? "" : s;
        }
    }

    /** The channel's name as stored, or empty for anything else. */
    static Optional<String> channel(String given) {
        String c = given == null ? "" : given.strip().toLowerCase(Locale.ROOT);
        return c.equals(EMAIL) || c.equals(SMS) ? Optional.of(c) : Optional.empty();
    }

    /** The language's code as stored, or empty for a language without built-in words. */
    static Optional<String> language(String given) {
        String l = given == null ? "" : given.strip().toLowerCase(Locale.ROOT);
        return LANGUAGES.contains(l) ? Optional.of(l) : Optional.empty();
    }

    /**
     * What is wrong with this template, each in words a person can act on; empty when it can be stored. Also
     * {@code unknown} and {@code missing} placeholders, for the problem's members.
     */
    record Check(List<String> problems, Set<String> unknown, Set<String> missing) {

        boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks a template for a venue whose network is a RADIUS one or not ({@code radius}: the guest needs the user
     * name as well, so the body must carry {@code {username}}).
     */
    static Check check(String channel, String subject, String body, boolean radius) {
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        if (body == null || body.isBlank()) {
            problems.add("body must be the message's text, with {network} and {passphrase} in it");
        } else {
            int max = EMAIL.equals(channel) ? MAIL_BODY_MAX : SMS_BODY_MAX;
            if (body.length() > max) {
                problems.add("body must be at most " + max + " characters" + (SMS.equals(channel) ? " (three SMS segments)" : ""));
            }
            Set<String> used = placeholders(body);
            used.stream().filter(p -> !PLACEHOLDERS.contains(p)).forEach(unknown::add);
            REQUIRED_IN_BODY.stream().filter(p -> !used.contains(p)).forEach(missing::add);
            if (radius && !used.contains("username")) {
                missing.add("username");
            }
        }
        if (EMAIL.equals(channel)) {
            if (subject == null || subject.isBlank()) {
                problems.add("subject must be the mail's subject (1–" + SUBJECT_MAX + " characters)");
            } else {
                if (subject.length() > SUBJECT_MAX || subject.contains("\n") || subject.contains("\r")) {
                    problems.add("subject must be one line of at most " + SUBJECT_MAX + " characters");
                }
                Set<String> inSubject = placeholders(subject);
                inSubject.stream().filter(p -> !PLACEHOLDERS.contains(p)).forEach(unknown::add);
                if (inSubject.contains("passphrase")) {
                    problems.add("subject must not carry {passphrase}: subjects show on lock screens and in mail logs");
                }
            }
        } else if (subject != null && !subject.isBlank()) {
            problems.add("a text message has no subject: send the body only");
        }
        if (!unknown.isEmpty()) {
            problems.add("unknown placeholder(s) " + braced(unknown) + "; the placeholders are " + braced(new java.util.TreeSet<>(PLACEHOLDERS)));
        }
        if (!missing.isEmpty()) {
            problems.add("the body must carry " + braced(missing) + (missing.contains("username") ? " (the venue's network is a RADIUS one: "
                    + "the guest signs in with the user name and the passphrase)" : "") + ", or the guest gets no access from the message");
        }
        return new Check(List.copyOf(problems), unknown, missing);
    }

    /** The text with every placeholder replaced by its value; braces that open no placeholder stay as they are. */
    static String render(String text, Values values) {
        Map<String, String> map = values.asMap();
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = map.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String braced(Set<String> names) {
        return String.join(", ", names.stream().map(n -> "{" + n + "}").toList());
    }
}
