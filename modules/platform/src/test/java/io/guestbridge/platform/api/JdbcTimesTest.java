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

/** DATETIME and DATE columns read as text and parsed ({@link Jdbc#dateTime}): the same values the driver's own conversion gives. */
class JdbcTimesTest {

    @Test
    void theFormsMariaDbSendsAreParsed() throws SQLException {
        assertEquals(LocalDateTime.of(2026, 12, 5, 4, 17, 36), Jdbc.dateTime("2026-12-05 04:17:36"));
        assertEquals(LocalDateTime.of(2026, 12, 5, 4, 17, 36, 429_954_000), Jdbc.dateTime("2026-12-05 04:17:36.429954"));
        assertEquals(LocalDateTime.of(2026, 12, 5, 4, 17, 36, 400_000_000), Jdbc.dateTime("2026-12-05 04:17:36.4"));
        assertEquals(LocalDateTime.of(2026, 12, 5, 4, 17, 36, 1), Jdbc.dateTime("2026-12-05 04:17:36.000000001"));
        assertEquals(LocalDateTime.of(1999, 1, 1, 0, 0), Jdbc.dateTime("1999-01-01T00:00:00"));
    }

    @Test
    void anythingElseIsAnSqlErrorNamingTheForm_notAWrongTime() {
        for (String bad : List.of("", "2026-12-05", "2026-12-05 04:17", "2026/12/05 04:17:36", "2026-12-05 04:17:36.", "2026-12-05 04:17:3x",
                "2026-13-05 04:17:36", "2026-02-30 04:17:36", "2026-12-05 04:17:36.1234567890", "2026-12-05 04:17:36,5")) {
            SQLException e = assertThrows(SQLException.class, () -> Jdbc.dateTime(bad), bad);
            assertTrue(e.getMessage().contains("yyyy-MM-dd HH:mm:ss"), e.getMessage());
            assertEquals("22007", e.getSQLState());
        }
    }

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

    /** Every precision a column may have, NULL, and a DATE: what the driver converts them to is what we parse. */
    @Test
    void valuesReadFromMariaDbAreWhatTheDriverGives() throws SQLException {
        try (Connection c = TestDatabase.get().connect(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMPORARY TABLE jdbc_times (id INT PRIMARY KEY, t0 DATETIME NULL, t3 DATETIME(3) NULL, "
                    + "t6 DATETIME(6) NULL, d DATE NULL)");
            s.execute("INSERT INTO jdbc_times VALUES (1, '2026-03-29 01:30:00', '2026-03-29 02:30:00.120', '2026-10-25 01:30:00.000001', '2026-03-29'), "
                    + "(2, '1970-01-01 00:00:00', '2038-01-19 03:14:08.999', '9999-12-31 23:59:59.999999', '0001-01-01'), "
                    + "(3, NULL, NULL, NULL, NULL)");
            try (PreparedStatement q = c.prepareStatement("SELECT t0, t3, t6, d FROM jdbc_times ORDER BY id"); ResultSet rs = q.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    for (int column = 1; column <= 3; column++) {
                        assertEquals(rs.getObject(column, LocalDateTime.class), Jdbc.dateTime(rs, column), "row " + rows + ", column " + column);
                        LocalDateTime local = rs.getObject(column, LocalDateTime.class);
                        assertEquals(local == null ? null : local.toInstant(java.time.ZoneOffset.UTC), Jdbc.instant(rs, column));
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
            try (ResultSet rs = s.executeQuery("SELECT t0 FROM jdbc_times WHERE id = 3")) {
                assertTrue(rs.next());
                assertNull(Jdbc.dateTime(rs, 1));
                assertNull(Jdbc.instant(rs, 1));
            }
        }
    }
}
