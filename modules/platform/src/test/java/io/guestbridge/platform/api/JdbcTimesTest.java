package io.guestbridge.platform.api;

import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DATETIME and DATE columns as {@link Jdbc#dateTime}, {@link Jdbc#instant} and {@link Jdbc#date} read them: the UTC wall time MariaDB holds, whatever the JVM's zone. */
class JdbcTimesTest {

    @Test
    void aDateColumnHoldingAnythingButADateIsAnSqlError() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            for (String bad : List.of("2026-3-29", "20260329", "2026-03-29 00:00:00", "2026-02-30")) {
                try (ResultSet rs = s.executeQuery("SELECT '" + bad + "'")) {
                    assertTrue(rs.next());
                    SQLException e = assertThrows(SQLException.class, () -> Jdbc.date(rs, 1), bad);
                    assertTrue(e.getMessage().contains("yyyy-MM-dd"), e.getMessage());
                }
            }
        }
    }

    /** Every precision a column may have, NULL, and a DATE: read as the server writes them out. */
    @Test
    void valuesReadFromMariaDbAreWhatTheServerHolds() throws SQLException {
        valuesReadFromMariaDbAreWhatTheServerHolds(java.util.TimeZone.getDefault());
    }

    /**
     * The same in a JVM whose zone skips an hour (Europe/Berlin, 2026-03-29 02:00 to 03:00; the rows hold 01:30 and 02:30)
     * and in one far from UTC: the times are not moved.
     */
    @Test
    void theJvmsZoneMovesNoTime() throws SQLException {
        java.util.TimeZone before = java.util.TimeZone.getDefault();
        try {
            for (String zone : List.of("Europe/Berlin", "Pacific/Kiritimati", "America/St_Johns")) {
                java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(zone));
                valuesReadFromMariaDbAreWhatTheServerHolds(java.util.TimeZone.getDefault());
            }
        } finally {
            java.util.TimeZone.setDefault(before);
        }
    }

    /** Times before the Gregorian calendar began (1582) are read as {@link LocalDateTime} counts them, not moved by days. */
    @Test
    void timesBeforeTheGregorianCalendarAreNotMoved() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CAST('1500-03-01 12:00:00.5' AS DATETIME(6)), CAST('0001-01-01 00:00:00' AS DATETIME)")) {
            assertTrue(rs.next());
            assertEquals(LocalDateTime.of(1500, 3, 1, 12, 0, 0, 500_000_000), Jdbc.dateTime(rs, 1));
            assertEquals(LocalDateTime.of(1, 1, 1, 0, 0), Jdbc.dateTime(rs, 2));
            assertEquals(Instant.parse("0001-01-01T00:00:00Z"), Jdbc.instant(rs, 2));
        }
    }

    private static void valuesReadFromMariaDbAreWhatTheServerHolds(java.util.TimeZone zone) throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMPORARY TABLE jdbc_times (id INT PRIMARY KEY, t0 DATETIME NULL, t3 DATETIME(3) NULL, "
                    + "t6 DATETIME(6) NULL, d DATE NULL)");
            s.execute("INSERT INTO jdbc_times VALUES (1, '2026-03-29 01:30:00', '2026-03-29 02:30:00.120', '2026-10-25 01:30:00.000001', '2026-03-29'), "
                    + "(2, '1970-01-01 00:00:00', '2038-01-19 03:14:08.999', '9999-12-31 23:59:59.999999', '0001-01-01'), "
                    + "(3, NULL, NULL, NULL, NULL)");
            // what each value is, as the server itself writes it out: the driver's own conversions go through the JVM's zone
            try (PreparedStatement q = c.prepareStatement("SELECT t0, t3, t6, d, DATE_FORMAT(t0, '%Y-%m-%dT%H:%i:%s.%f'), "
                    + "DATE_FORMAT(t3, '%Y-%m-%dT%H:%i:%s.%f'), DATE_FORMAT(t6, '%Y-%m-%dT%H:%i:%s.%f') FROM jdbc_times ORDER BY id");
                 ResultSet rs = q.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    for (int column = 1; column <= 3; column++) {
                        String text = rs.getString(column + 4);
                        LocalDateTime expected = text == null ? null : LocalDateTime.parse(text);
                        assertEquals(expected, Jdbc.dateTime(rs, column), "row " + rows + ", column " + column + ", " + zone.getID());
                        assertEquals(expected == null ? null : expected.toInstant(java.time.ZoneOffset.UTC), Jdbc.instant(rs, column));
                    }
                    assertEquals(rs.getObject(4, LocalDate.class), Jdbc.date(rs, 4), "row " + rows + ", the date");
                }
                assertEquals(3, rows);
            }
            try (ResultSet rs = s.executeQuery("SELECT t6, d FROM jdbc_times WHERE id = 1")) {
                assertTrue(rs.next());
                assertEquals(Instant.parse("2026-10-25T01:30:00.000001Z"), Jdbc.instant(rs, 1), "UTC, whatever the JVM's zone");
                assertEquals(LocalDate.of(2026, 3, 29), Jdbc.date(rs, 2));
            }
            try (ResultSet rs = s.executeQuery("SELECT t3 FROM jdbc_times WHERE id = 1")) {
                assertTrue(rs.next());
                assertEquals(LocalDateTime.of(2026, 3, 29, 2, 30, 0, 120_000_000), Jdbc.dateTime(rs, 1), "in the hour " + zone.getID() + " may skip");
                assertEquals(Instant.parse("2026-03-29T02:30:00.120Z"), Jdbc.instant(rs, 1));
            }
            try (ResultSet rs = s.executeQuery("SELECT t0 FROM jdbc_times WHERE id = 3")) {
                assertTrue(rs.next());
                assertNull(Jdbc.dateTime(rs, 1));
                assertNull(Jdbc.instant(rs, 1));
            }
        }
    }
}
