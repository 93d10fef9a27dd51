package io.guestbridge.privacy.internal.requests;

import io.guestbridge.identity.api.GuestField;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemException;
import jakarta.json.JsonObjectBuilder;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The corrections of a rectification request (Art. 16): the profile fields a person can state about
 * themselves. The email is not among them — it is how the person is found and verified; a new address
 * is a new request from that address. Behavioural fields (venue, device, dwell) come from systems, not from people.
 */
public final class Corrections {

    private static final Map<String, GuestField> FIELDS = Map.of("firstname", GuestField.FIRST_NAME, "lastname", GuestField.LAST_NAME,
            "phone", GuestField.PHONE, "birthdate", GuestField.BIRTH_DATE, "gender", GuestField.GENDER);

    private Corrections() {
    }

    /** Validates and returns the corrections as the sealed JSON the local step applies ({@code {"FIRST_NAME": "…"}}). */
    static String parse(Map<String, String> corrections) {
        if (corrections == null || corrections.isEmpty()) {
            throw ProblemException.invalid("A RECTIFICATION request needs corrections, e.g. {\"lastName\": \"Smith\"}; fields: firstName, lastName, "
                    + "phone, birthDate, gender.");
        }
        JsonObjectBuilder json = Jsonp.JSON.createObjectBuilder();
        for (Map.Entry<String, String> correction : corrections.entrySet()) {
            String key = correction.getKey() == null ? "" : correction.getKey().replace("_", "").toLowerCase(Locale.ROOT);
            GuestField field = FIELDS.get(key);
            if (field == null) {
                throw ProblemException.invalid("corrections: '" + correction.getKey() + "' cannot be corrected this way; fields: firstName, lastName, "
                        + "phone, birthDate, gender (a new email address is a new request sent from it).");
            }
            String value = correction.getValue() == null ? "" : correction.getValue().strip();
            if (value.isEmpty() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
                throw ProblemException.invalid("corrections." + correction.getKey() + " must be 1 to 200 printable characters.");
            }
            if (field == GuestField.BIRTH_DATE) {
                value = birthDate(value);
            }
            json.add(field.name(), value);
        }
        return json.build().toString();
    }

    /** A date of birth as every source stores it (ISO 8601, yyyy-mm-dd), in the past and not before 1900. */
    private static String birthDate(String value) {
        try {
            LocalDate date = LocalDate.parse(value);
            if (date.getYear() >= 1900 && date.isBefore(LocalDate.now(ZoneOffset.UTC))) {
                return date.toString();
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw ProblemException.invalid("corrections.birthDate must be a past date written yyyy-mm-dd, e.g. 1985-03-27.");
    }

    /** Only rectifications carry corrections. */
    public static String forType(RequestType type, Map<String, String> corrections) {
        if (type == RequestType.RECTIFICATION) {
            return parse(corrections);
        }
        if (corrections != null && !corrections.isEmpty()) {
            throw ProblemException.invalid("corrections belong to RECTIFICATION requests only.");
        }
        return null;
    }
}
