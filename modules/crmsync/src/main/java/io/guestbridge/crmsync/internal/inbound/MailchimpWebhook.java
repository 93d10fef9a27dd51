package io.guestbridge.crmsync.internal.inbound;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Digests;
import io.guestbridge.platform.api.ProblemException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Mailchimp's list webhooks, as Mailchimp posts them: form-encoded fields {@code type}, {@code fired_at}
 * ("2009-03-26 21:40:57", UTC) and {@code data[…]}. An {@code unsubscribe} (the campaign's unsubscribe link, or an
 * admin) and a {@code cleaned} (the address bounced for good, or was reported as spam) mean the member is no
 * longer mailed: both are opt-outs. The other types (subscribe, profile, upemail, campaign) are not. Mailchimp
 * gives its events no id, so a redelivery is recognised by a digest of the event's own fields.
 */
final class MailchimpWebhook {

    private static final DateTimeFormatter FIRED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private MailchimpWebhook() {
    }

    /** The opt-out the delivery reports, or empty for the event types that are none. */
    static Optional<OptOut> optOut(byte[] body) {
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        String type = form.getOrDefault("type", "");
        if (!type.equals("unsubscribe") && !type.equals("cleaned")) {
            return Optional.empty();
        }
        String rawEmail = form.get("data[email]");
        if (rawEmail == null || rawEmail.isBlank()) {
            throw ProblemException.invalid("A Mailchimp " + type + " event needs data[email].");
        }
        NormalizedEmail email;
        try {
            email = NormalizedEmail.parse(rawEmail);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("The event's data[email] is not a valid address.");
        }
        String firedAt = form.getOrDefault("fired_at", "");
        Instant at;
        try {
            at = LocalDateTime.parse(firedAt.strip(), FIRED_AT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("fired_at must be Mailchimp's \"yyyy-MM-dd HH:mm:ss\" (UTC), e.g. 2026-11-25 08:00:00.");
        }
        if (at.isAfter(Instant.now().plusSeconds(3600))) {
            throw ProblemException.invalid("fired_at is in the future.");
        }
        Map<String, String> evidence = new TreeMap<>();
        evidence.put("source", "mailchimp webhook");
        evidence.put("event", type);
        copy(form, "data[reason]", evidence, "reason");
        copy(form, "data[action]", evidence, "action");
        copy(form, "data[list_id]", evidence, "listId");
        copy(form, "data[campaign_id]", evidence, "campaignId");
        evidence.put("firedAt", at.toString());
        String key = "mailchimp:" + Digests.sha256Hex(type + "|" + at + "|" + form.getOrDefault("data[list_id]", "") + "|" + email.value());
        return Optional.of(new OptOut(key, email, null, at, type, evidence));
    }

    private static void copy(Map<String, String> form, String field, Map<String, String> evidence, String name) {
        String value = form.get(field);
        if (value != null && !value.isBlank()) {
            evidence.put(name, value.length() > 60 ? value.substring(0, 60) : value);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(key, value);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("The body is not form-encoded (application/x-www-form-urlencoded).");
            }
        }
        return fields;
    }
}
