package io.guestbridge.console.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Instants as the console writes them: in UTC, to the second, the same in every language (ISO-8601 order). */
public final class Times {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    public String at(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }
}
