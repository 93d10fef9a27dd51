package io.guestbridge.platform.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header of an outbound answer — a CRM, an SMS gateway, a WiFi dashboard (RFC 9110: delay in
 * seconds or an HTTP date), read the same way for every connector: never under a second (0 would invite a tight loop), empty when absent or
 * unreadable, so each client falls back on what its service documents.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Optional<Duration> of(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::trim).flatMap(RetryAfter::parse);
    }

    public static Optional<Duration> parse(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(1, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
