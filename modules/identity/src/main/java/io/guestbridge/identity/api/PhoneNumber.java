package io.guestbridge.identity.api;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.regex.Pattern;

/**
 * A phone number in E.164 form ({@code +447911123456}, followed by {@code ;ext=12} when it has an
 * extension), parsed with libphonenumber. A number written without a country code is read in the country
 * where it was collected.
 *
 * <p>Two ways in. {@link #read} is for what sources report: it never refuses, because a value that
 * cannot be normalised is still what the guest gave and must not be lost; it says instead whether the
 * value is verified and, if not, why. {@link #parse} is for people typing a correction through the API:
 * it refuses anything {@code read} would not verify, so the person can fix it there and then.
 */
public record PhoneNumber(String e164) {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    /**
     * Ranges no subscriber will ever have, published for drama and tests: Ofcom's UK numbers for TV and
     * radio drama (mobile 07700 900xxx, London 020 7946 0xxx, the 496/498 blocks of the big cities, 01632
     * 960xxx, 0808 157 0xxx, 0909 879 0xxx, 03069 990xxx) and North America's 555-0100 to 555-0199.
     */
    private static final Pattern OFCOM_DRAMA = Pattern.compile("\\+44(?:(?:113|114|115|116|117|118|121|131|141|151|161)4960"
            + "|2079460|1914980|2896496|2920180|1632960|7700900|8081570|9098790|3069990)\\d{3}");
    private static final Pattern NANP_FICTIONAL = Pattern.compile("\\+1[2-9]\\d{2}55501\\d{2}");

    static final String NO_COUNTRY = "a national number (no country code) from where no country is known: set the venue's "
            + "country or time zone, or send numbers with their country code";
    static final String DRAMA = "a number Ofcom reserves for drama and tests: nobody can be reached on it";
    static final String FICTIONAL = "a 555-01xx number reserved for fiction: nobody can be reached on it";

    /**
     * What a phone value a source reported becomes.
     *
     * @param value            the E.164 form when it is unambiguous (with {@code ;ext=} when the number has an
     *                         extension), otherwise the value as given with its white space tidied
     * @param unverifiedReason null when the value is a valid number; otherwise why it is not (never quoting it)
     */
    public record Reading(String value, String unverifiedReason) {
        public boolean verified() {
            return unverifiedReason == null;
        }

        @Override
        public String toString() {
            return "Reading[" + (verified() ? "verified" : unverifiedReason) + ", value redacted]";
        }
    }

    /**
     * Reads a reported value; never refuses one. National numbers are read in {@code country} (null when
     * none is known). Fictional ranges are kept in E.164, flagged; anything else that is not a valid number
     * is kept as given, flagged with the reason.
     */
    public static Reading read(String raw, Country country) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("the phone number is empty");
        }
        String given = raw.strip().replaceAll("\\s+", " ");
        Phonenumber.PhoneNumber number;
        try {
            number = PHONES.parseAndKeepRawInput(given, country == null ? "ZZ" : country.code());
        } catch (NumberParseException e) {
            return new Reading(given, switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> country == null && !given.startsWith("+") ? NO_COUNTRY
                        : "no country has the country code it starts with";
                case NOT_A_NUMBER -> "not a phone number";
                case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "too short for a phone number";
                case TOO_LONG -> "too long for a phone number";
            });
        }
        String e164 = PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        String withExtension = number.hasExtension() && !number.getExtension().isEmpty() ? e164 + ";ext=" + number.getExtension() : e164;
        if (OFCOM_DRAMA.matcher(e164).matches()) {
            return new Reading(withExtension, DRAMA);
        }
        if (NANP_FICTIONAL.matcher(e164).matches()) {
            return new Reading(withExtension, FICTIONAL);
        }
        if (PHONES.isValidNumber(number)) {
            return new Reading(withExtension, null);
        }
        boolean national = number.getCountryCodeSource() == Phonenumber.PhoneNumber.CountryCodeSource.FROM_DEFAULT_COUNTRY;
        return new Reading(given, national
                ? "not a valid number in " + country.code() + ", where it was read as a national number"
                : "not a valid number for country code +" + number.getCountryCode());
    }

    /**
     * A number a person types, refused unless it reads as a valid, real number: the message says why and
     * never repeats the number.
     */
    public static PhoneNumber parse(String raw, String defaultRegion) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("the phone number is empty");
        }
        Country country;
        try {
            country = defaultRegion == null ? null : Country.of(defaultRegion);
        } catch (IllegalArgumentException e) {
            country = null;
        }
        Reading reading = read(raw, country);
        if (!reading.verified()) {
            throw new IllegalArgumentException("the phone number is not usable: " + reading.unverifiedReason());
        }
        return new PhoneNumber(reading.value());
    }

    @Override
    public String toString() {
        return "PhoneNumber[redacted]";
    }
}
