package io.guestbridge.identity.api;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * A phone number in E.164 form ({@code +447700900123}), parsed with libphonenumber. A number written
 * without a country code is read in the venue's country.
 */
public record PhoneNumber(String e164) {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    public static PhoneNumber parse(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("the phone number is empty");
        }
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(raw, defaultRegion == null ? "ZZ" : defaultRegion);
            if (!PHONES.isValidNumber(number)) {
                throw new IllegalArgumentException("the phone number is not a valid number"
                        + (defaultRegion == null ? " (without a country code, give it in international form)" : ""));
            }
            return new PhoneNumber(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            throw new IllegalArgumentException("the phone number cannot be read: " + e.getErrorType().name().toLowerCase().replace('_', ' '));
        }
    }

    @Override
    public String toString() {
        return "PhoneNumber[redacted]";
    }
}
