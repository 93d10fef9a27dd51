package io.guestbridge.identity.api;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.net.IDN;
import java.util.Locale;

/**
 * A guest's email address in the one form guestbridge keys guests by.
 *
 * <p>Normalisation: surrounding white space removed; the domain lower-cased and, if it is an
 * internationalised name, converted to its ASCII (punycode) form; the local part lower-cased too.
 * RFC 5321 lets a mail server treat local parts case-sensitively, but no mainstream provider does, and
 * a guest who types {@code Jane.Smith@} at one venue and {@code jane.smith@} at another is one person.
 * Nothing else is changed: dots and {@code +tags} are kept, because only some providers ignore them
 * and merging two real people is worse than keeping one person twice.
 *
 * <p>Validation is RFC 5322 address syntax as Jakarta Mail's strict parser checks it, plus what a
 * deliverable address needs: exactly one address, no display name, no IP-literal domain, a domain with
 * a dot, at most 254 characters.
 */
public record NormalizedEmail(String value) {

    public NormalizedEmail {
        if (value == null || value.isBlank()) {
            throw new InvalidEmail("the email address is empty");
        }
    }

    public static NormalizedEmail parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidEmail("the email address is empty");
        }
        String trimmed = raw.strip();
        if (trimmed.length() > 254) {
            throw new InvalidEmail("the email address is longer than 254 characters");
        }
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1) {
            throw new InvalidEmail("the email address needs a local part, an @ and a domain");
        }
        String domain;
        try {
            domain = IDN.toASCII(trimmed.substring(at + 1), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new InvalidEmail("the domain of the email address is not a valid host name");
        }
        if (!domain.contains(".") || domain.startsWith("[")) {
            throw new InvalidEmail("the domain of the email address must be a host name with a dot");
        }
        String candidate = trimmed.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain;
        try {
            InternetAddress address = new InternetAddress(candidate, true);
            address.validate();
            if (address.getPersonal() != null || !address.getAddress().equals(candidate)) {
                throw new InvalidEmail("give the address alone, without a name or angle brackets");
            }
        } catch (AddressException e) {
            throw new InvalidEmail("the email address is not valid (RFC 5322)");
        }
        return new NormalizedEmail(candidate);
    }

    @Override
    public String toString() {
        return "NormalizedEmail[redacted]";
    }

    /** Why an address was refused; the message never repeats the address. */
    public static final class InvalidEmail extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidEmail(String reason) {
            super(reason);
        }
    }
}
