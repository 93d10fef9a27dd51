package io.guestbridge.platform.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Reads query and path parameters with errors a person can act on: a 400 problem whose {@code errors}
 * names the parameter. JAX-RS itself answers 404 when a typed query parameter does not convert, which
 * sends a client looking for the wrong mistake; parameters typed other than String go through the
 * platform's parameter converters, which answer with {@link #invalid} too.
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
        throw invalid(name, "must be a whole number from " + min + " to " + max);
    }

    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw invalid(name, "must be an ISO-8601 instant in UTC, such as 2026-11-25T08:00:00Z");
        }
    }

    /** The problem for a parameter whose value cannot be used; the value itself is not echoed (it may be personal data). */
    public static ProblemException invalid(String name, String message) {
        return new ProblemException(ProblemType.VALIDATION, name + " " + message,
                Map.of("errors", List.of(Map.of("field", name, "message", message))));
    }
}
