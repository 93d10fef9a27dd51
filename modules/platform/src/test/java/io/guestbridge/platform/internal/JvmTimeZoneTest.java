package io.guestbridge.platform.internal;

import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.TimeZone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmTimeZoneTest {

    @Test
    void zonesWhoseClocksSkippedNothingSince1970AreFine() {
        for (String zone : new String[]{"UTC", "Z", "GMT", "+02:00", "Etc/GMT-3", "Asia/Kolkata", "Asia/Tokyo"}) {
            assertEquals(Optional.empty(), JvmTimeZone.problem(ZoneId.of(zone)), zone);
        }
    }

    @Test
    void aZoneWithDaylightSavingIsRefusedWithWhatToDo() {
        for (String zone : new String[]{"Europe/Berlin", "Europe/London", "America/New_York", "Australia/Sydney", "Asia/Jerusalem"}) {
            String problem = JvmTimeZone.problem(ZoneId.of(zone)).orElseThrow(() -> new AssertionError(zone + " was accepted"));
            assertTrue(problem.contains(zone) && problem.contains("-Duser.timezone=UTC"), problem);
        }
    }

    /** What the check guards against: the conversion the JPA provider and the driver make moves a time in the skipped hour. */
    @Test
    void theRefusedZoneReallyMovesATimeInItsGap() {
        TimeZone before = TimeZone.getDefault();
        LocalDateTime utcWallTime = LocalDateTime.of(2026, 3, 29, 2, 30); // 02:30 UTC: Berlin skips from 02:00 to 03:00 that night
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
            assertNotEquals(utcWallTime, Timestamp.valueOf(utcWallTime).toLocalDateTime(), "no longer moved: the check may be obsolete");
            TimeZone.setDefault(TimeZone.getTimeZone(ZoneOffset.UTC));
            assertEquals(utcWallTime, Timestamp.valueOf(utcWallTime).toLocalDateTime());
        } finally {
            TimeZone.setDefault(before);
        }
    }
}
