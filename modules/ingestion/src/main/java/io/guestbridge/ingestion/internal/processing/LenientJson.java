package io.guestbridge.ingestion.internal.processing;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A sender's JSON object read the forgiving way real senders need: keys match whatever their case,
 * spaces, underscores or dashes (Purple documents {@code " dateOfBirth"} and
 * {@code "visitCountsFor Venues"}), numbers may come as strings and strings as numbers, and fields we
 * do not know are ignored, never refused.
 */
public final class LenientJson {

    private static final Pattern KEY_NOISE = Pattern.compile("[\\s_\\-]");

    private final Map<String, JsonValue> values = new HashMap<>();

    LenientJson(JsonObject object) {
        object.forEach((key, value) -> values.putIfAbsent(normalize(key), value));
    }

    public static String normalize(String key) {
        return KEY_NOISE.matcher(key).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /** The text of the first of these keys that holds a non-blank string or a number. */
    Optional<String> text(String... keys) {
        for (String key : keys) {
            JsonValue value = values.get(normalize(key));
            if (value instanceof JsonString s && !s.getString().isBlank()) {
                return Optional.of(s.getString().strip());
            }
            if (value instanceof JsonNumber n) {
                return Optional.of(n.toString());
            }
        }
        return Optional.empty();
    }

    Optional<LenientJson> object(String key) {
        JsonValue value = values.get(normalize(key));
        return value instanceof JsonObject o ? Optional.of(new LenientJson(o)) : Optional.empty();
    }

    Optional<JsonValue> raw(String key) {
        return Optional.ofNullable(values.get(normalize(key)));
    }

    /** A whole number, also written as a string ("47") or with stray spaces; empty when absent or not a number. */
    Optional<Integer> integer(String... keys) throws GuestEvent.Unusable {
        for (String key : keys) {
            Optional<String> text = text(key);
            if (text.isPresent()) {
                try {
                    return Optional.of(new java.math.BigDecimal(text.get().replace(" ", "")).intValueExact());
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new GuestEvent.Unusable("'" + key + "' must be a whole number");
                }
            }
        }
        return Optional.empty();
    }

    /** true/false, also "yes"/"no", "1"/"0", "true"/"false" as strings; empty when absent. */
    Optional<Boolean> bool(String... keys) throws GuestEvent.Unusable {
        for (String key : keys) {
            JsonValue value = values.get(normalize(key));
            if (value == null || value == JsonValue.NULL) {
                continue;
            }
            if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
                return Optional.of(value == JsonValue.TRUE);
            }
            String text = value instanceof JsonString s ? s.getString().strip().toLowerCase(Locale.ROOT)
                    : value instanceof JsonNumber n ? n.toString() : "?";
            if (text.isEmpty()) {
                continue;
            }
            switch (text) {
                case "true", "yes", "y", "1", "on" -> {
                    return Optional.of(true);
                }
                case "false", "no", "n", "0", "off" -> {
                    return Optional.of(false);
                }
                default -> throw new GuestEvent.Unusable("'" + key + "' must be true or false");
            }
        }
        return Optional.empty();
    }
}
