package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestMessage;
import io.guestbridge.platform.api.MessageCodec;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A guest to send to one connector's CRM, one of the contacts a {@link ContactsDue} carries. Items queued before contacts
 * were queued in batches hold one of these alone, which {@link ContactsDue#read} reads as a list of one.
 *
 * @param guest     the guest's id
 * @param changedAt when the change was published: the start of the "change to CRM acknowledgement" latency
 *                  (absent in items queued by versions that did not carry it)
 */
public record ContactDue(String guest, Instant changedAt) implements GuestMessage {

    private static final String WITH_TIME = "{\"changedAt\":\"";
    private static final String THEN_GUEST = "\",\"guest\":\"";
    private static final String ONLY_GUEST = "{\"guest\":\"";
    private static final String END = "\"}";

    public ContactDue {
        new GuestId(guest); // refuses anything that is not a guest id
    }

    /**
     * The message a stored payload holds, as {@link MessageCodec#decode} reads it. Every contact a connector syncs passes
     * here, and JSON-B took longer over the payload than the rest of the item's bookkeeping: the forms {@link MessageCodec}
     * writes ({@code {"changedAt":"<ISO instant>","guest":"<id>"}}, or without the time) are read directly; any other
     * payload (other spacing or order, escapes, another instant format, nothing valid) goes to {@link MessageCodec}.
     */
    public static ContactDue read(String payload) {
        try {
            if (payload.startsWith(WITH_TIME) && payload.endsWith(END)) {
                int timeEnd = payload.indexOf('"', WITH_TIME.length());
                if (timeEnd > 0 && payload.startsWith(THEN_GUEST, timeEnd)) {
                    int guestStart = timeEnd + THEN_GUEST.length();
                    String guest = payload.substring(guestStart, payload.length() - END.length());
                    Instant at = instant(payload, WITH_TIME.length(), timeEnd);
                    if (at != null && plain(guest)) {
                        return new ContactDue(guest, at);
                    }
                }
            } else if (payload.startsWith(ONLY_GUEST) && payload.endsWith(END)) {
                String guest = payload.substring(ONLY_GUEST.length(), payload.length() - END.length());
                if (plain(guest)) {
                    return new ContactDue(guest, null);
                }
            }
        } catch (RuntimeException notTheUsualForm) {
            // read below, where a payload that is no message gets its reason
        }
        return MessageCodec.decode(payload, ContactDue.class);
    }

    /** No quote or escape: the characters are the value as they stand. */
    private static boolean plain(String value) {
        return value.indexOf('"') < 0 && value.indexOf('\\') < 0;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} between {@code from} and {@code to}, as ISO_INSTANT writes an instant of years
     * 0000–9999; null for anything else (a leap second, an offset, another length), which the caller leaves to JSON-B.
     */
    static Instant instant(String s, int from, int to) {
        int length = to - from;
        if (length < 20 || length > 30 || s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-' || s.charAt(from + 10) != 'T'
                || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':' || s.charAt(to - 1) != 'Z') {
            return null;
        }
        int year = digits(s, from, 4);
        int month = digits(s, from + 5, 2);
        int day = digits(s, from + 8, 2);
        int hour = digits(s, from + 11, 2);
        int minute = digits(s, from + 14, 2);
        int second = digits(s, from + 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        int fractionDigits = length - 20 - 1; // after the seconds: "." and the digits, then Z
        if (length > 20) {
            if (s.charAt(from + 19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                return null;
            }
            int fraction = digits(s, from + 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long days = LocalDate.of(year, month, day).toEpochDay(); // refuses a day the month does not have
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number of {@code count} digits at {@code at}, or -1 if one is no ASCII digit. */
    private static int digits(String s, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
