package io.guestbridge.platform.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads query parameters with errors a person can act on. JAX-RS itself answers 404 when an
 * {@code int} query parameter does not parse, which sends a client looking for the wrong mistake.
 */
public final class Params {

    private Params() {
    }

    public static int intInRange(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // fall through to the problem below
        }
        throw ProblemException.invalid(name + " must be a whole number from " + min + " to " + max);
    }

    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name + " must be an ISO-8601 instant in UTC, such as 2026-11-25T08:00:00Z");
        }
    }
}
