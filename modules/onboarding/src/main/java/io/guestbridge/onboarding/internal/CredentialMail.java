package io.guestbridge.onboarding.internal;

import io.guestbridge.onboarding.api.CredentialKind;
import io.guestbridge.platform.api.MailSender.InlineImage;
import io.guestbridge.platform.api.MailSender.OutgoingMail;

import java.text.MessageFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;

/**
 * The mail that hands a guest their WiFi credential: the network, the passphrase (and the user name of a RADIUS
 * account), the window in the venue's local time and the Wi-Fi join code as an inline QR image. The words are one
 * resource bundle per language ({@code onboarding/mail_<language>.properties}, English in
 * {@code onboarding/mail.properties}), so a language is one file.
 */
final class CredentialMail {

    /** The content id of the QR image in the HTML part. */
    static final String QR_CONTENT_ID = "wifi-join-code";

    /**
     * Countries whose guests are written to in French. Booking events carry no language of the guest, so the venue's
     * country decides; everyone else reads English.
     */
    private static final Set<String> FRENCH = Set.of("FR", "MC");

    /**
     * What the mail says. {@code username} is shown only for a RADIUS account (a PPSK guest types the passphrase alone).
     * {@code wording}: the venue's own words for this channel and language, or null for the built-in ones;
     * {@code firstName}: the guest's, for a venue's words that greet by name, or null.
     */
    record Content(String to, String venueName, String ssid, CredentialKind kind, String username, String passphrase, ValidityWindow window,
                   ZoneId zone, Locale language, DeliveryTemplate wording, String firstName) {

        Content(String to, String venueName, String ssid, CredentialKind kind, String username, String passphrase, ValidityWindow window,
                ZoneId zone, Locale language) {
            this(to, venueName, ssid, kind, username, passphrase, window, zone, language, null, null);
        }

        /** The same content in the venue's own words (null: the built-in ones) with the guest's first name (may be null). */
        Content worded(DeliveryTemplate venueWords, String guestFirstName) {
            return new Content(to, venueName, ssid, kind, username, passphrase, window, zone, language, venueWords, guestFirstName);
        }

        @Override
        public String toString() {
            return "CredentialMail.Content[" + kind + " " + window + " " + language + (wording == null ? "" : ", the venue's words")
                    + ", recipient, name and passphrase redacted]";
        }
    }

    private CredentialMail() {
    }

    static Locale languageOf(String country) {
        return country != null && FRENCH.contains(country) ? Locale.FRENCH : Locale.ENGLISH;
    }

    static OutgoingMail compose(Content content) {
        if (content.wording() != null) {
            return composeWorded(content);
        }
        Locale language = content.language();
        DateTimeFormatter dates = DateTimeFormatter.ofPattern(words(language, "date.pattern"), language).withZone(content.zone());
        Object[] args = {content.venueName(), content.ssid(), content.username(), content.passphrase(), dates.format(content.window().from()),
                dates.format(content.window().until()), content.zone().getId()};
        List<String> lines = new ArrayList<>();
        lines.add(text(language, "ready", args));
        lines.add("");
        lines.add(text(language, "network", args));
        if (content.kind() == CredentialKind.RADIUS) {
            lines.add(text(language, "username", args));
        }
        lines.add(text(language, "passphrase", args));
        lines.add("");
        lines.add(text(language, "window", args));
        String plain = text(language, "greeting", args) + "\n\n" + String.join("\n", lines) + "\n\n" + text(language, "qr", args)
                + "\n\n" + text(language, "service", args) + "\n";
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"").append(language.getLanguage()).append("\"><body><p>")
                .append(html(text(language, "greeting", args))).append("</p><p>");
        for (String line : lines) {
            html.append(line.isEmpty() ? "</p><p>" : html(line) + "<br>");
        }
        html.append("</p><p><img src=\"cid:").append(QR_CONTENT_ID).append("\" alt=\"QR\" width=\"240\" height=\"240\"></p><p>")
                .append(html(text(language, "qr", args))).append("</p><p><small>").append(html(text(language, "service", args)))
                .append("</small></p></body></html>");
        byte[] qr = WifiJoinCode.png(WifiJoinCode.text(content.kind(), content.ssid(), content.username(), content.passphrase()));
        return new OutgoingMail(null, content.to(), text(language, "subject", args), plain, html.toString(),
                List.of(new InlineImage(QR_CONTENT_ID, "image/png", qr)));
    }

    /** The SMS that carries the same credential: the network, the passphrase and the window, in one message. */
    static String sms(Content content) {
        if (content.wording() != null) {
            return DeliveryTemplate.render(content.wording().body(), values(content));
        }
        Locale language = content.language();
        DateTimeFormatter dates = DateTimeFormatter.ofPattern(words(language, "date.pattern"), language).withZone(content.zone());
        Object[] args = {content.venueName(), content.ssid(), content.username(), content.passphrase(), dates.format(content.window().from()),
                dates.format(content.window().until()), content.zone().getId()};
        return text(language, content.kind() == CredentialKind.RADIUS ? "sms.radius" : "sms", args);
    }

    /**
     * The mail in the venue's own words: the subject and the text as the venue wrote them, the HTML part the same
     * text escaped (paragraphs at blank lines) with the QR code after it.
     */
    private static OutgoingMail composeWorded(Content content) {
        DeliveryTemplate.Values values = values(content);
        String subject = DeliveryTemplate.render(content.wording().subject(), values);
        String plain = DeliveryTemplate.render(content.wording().body(), values).replace("\r\n", "\n");
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"").append(content.language().getLanguage()).append("\"><body>");
        for (String paragraph : plain.strip().split("\n\\s*\n")) {
            html.append("<p>").append(html(paragraph.strip()).replace("\n", "<br>")).append("</p>");
        }
        html.append("<p><img src=\"cid:").append(QR_CONTENT_ID).append("\" alt=\"QR\" width=\"240\" height=\"240\"></p></body></html>");
        byte[] qr = WifiJoinCode.png(WifiJoinCode.text(content.kind(), content.ssid(), content.username(), content.passphrase()));
        return new OutgoingMail(null, content.to(), subject, plain.endsWith("\n") ? plain : plain + "\n", html.toString(),
                List.of(new InlineImage(QR_CONTENT_ID, "image/png", qr)));
    }

    /** The placeholders' values: the window in the venue's time zone, in the language's date format. */
    static DeliveryTemplate.Values values(Content content) {
        Locale language = content.language();
        DateTimeFormatter dates = DateTimeFormatter.ofPattern(words(language, "date.pattern"), language).withZone(content.zone());
        return new DeliveryTemplate.Values(content.venueName(), content.ssid(), content.kind() == CredentialKind.RADIUS ? content.username() : null,
                content.passphrase(), dates.format(content.window().from()), dates.format(content.window().until()), content.zone().getId(),
                content.firstName());
    }

    private static String text(Locale language, String key, Object[] args) {
        return new MessageFormat(words(language, key), language).format(args);
    }

    private static String words(Locale language, String key) {
        return ResourceBundle.getBundle("onboarding.mail", "en".equals(language.getLanguage()) ? Locale.ROOT : language,
                CredentialMail.class.getClassLoader(), ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES))
                .getString(key);
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
