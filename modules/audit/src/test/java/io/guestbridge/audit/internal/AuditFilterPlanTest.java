package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditReader;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plans of the audit page's filter on MariaDB, for the statements {@link AuditRecords#find} has EclipseLink issue: one
 * value per field is an equality that reads its index's range already in sequence order (no sort), several values an IN
 * list that reads one range of the same index per value. The table is a copy of {@code aud_record} as migrated (its
 * indexes, without its rows), so the trail the other tests check stays empty.
 */
class AuditFilterPlanTest {

    private static final Logger LOG = Logger.getLogger(AuditFilterPlanTest.class.getName());
    private static final String TABLE = "aud_record_plan";
    private static final int ROWS = 40_000;

    private static final TestDatabase DB = TestDatabase.get();

    @BeforeAll
    static void seed() throws Exception {
        try (Connection c = DB.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " LIKE aud_record");
            // 4,000 subjects of 10 records, 200 actors, 60 actions, 12 modules; numbered in insertion order
            s.execute("INSERT INTO " + TABLE + " (seq, occurred_at, actor, action, module, subject_ref, details, prev_hash, hash) "
                    + "SELECT seq, '2026-01-01' + INTERVAL seq SECOND, CONCAT('user:staff-', seq % 200), CONCAT('ACTION_', seq % 60), "
                    + "CONCAT('module', seq % 12), CONCAT('guest:', seq % 4000), '{}', REPEAT('0', 64), REPEAT('1', 64) FROM seq_1_to_" + ROWS);
            s.execute("ANALYZE TABLE " + TABLE);
            c.commit();
        }
    }

    @AfterAll
    static void drop() throws Exception {
        try (Connection c = DB.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    @Test
    void oneSubjectReadsItsIndexRangeInSequenceOrder() throws Exception {
        Map<String, String> plan = explain("subject_ref", List.of("guest:17"));
        assertEquals("ix_aud_record_subject", plan.get("key"), plan.toString());
        assertFalse(plan.get("Extra").contains("filesort"), "one value needs no sort: " + plan);
    }

    @Test
    void severalSubjectsReadOneRangeEachOfTheSameIndex() throws Exception {
        Map<String, String> plan = explain("subject_ref", List.of("guest:17", "guest:18", "guest:3999"));
        assertEquals("ix_aud_record_subject", plan.get("key"), plan.toString());
        assertEquals("range", plan.get("type"), plan.toString());
        assertTrue(Long.parseLong(plan.get("rows")) < 100, "three subjects' ranges, not the table: " + plan);
    }

    @Test
    void oneOrSeveralActorsReadTheActorIndex() throws Exception {
        Map<String, String> one = explain("actor", List.of("user:staff-7"));
        assertEquals("ix_aud_record_actor", one.get("key"), one.toString());
        assertFalse(one.get("Extra").contains("filesort"), one.toString());
        Map<String, String> several = explain("actor", List.of("user:staff-7", "user:staff-8"));
        assertEquals("ix_aud_record_actor", several.get("key"), several.toString());
        assertEquals("range", several.get("type"), several.toString());
    }

    @Test
    void noFilterFieldScansTheTable() throws Exception {
        for (String column : List.of("subject_ref", "actor", "action", "module")) {
            for (List<String> values : List.of(List.of(value(column, 1)), List.of(value(column, 1), value(column, 2), value(column, 3)))) {
                Map<String, String> plan = explain(column, values);
                assertNotEquals("ALL", plan.get("type"), column + " " + values + ": " + plan);
                assertTrue(plan.get("key") != null && !plan.get("key").equals("NULL"), column + " " + values + ": " + plan);
            }
        }
    }

    @Test
    void aFieldTakesAtMostTwentyValues() {
        List<String> twenty = new ArrayList<>();
        for (int i = 0; i < AuditReader.MAX_VALUES; i++) {
            twenty.add("ACTION_" + i);
        }
        assertEquals(20, new AuditReader.Filter(null, null, twenty, null, null, null).actions().size());
        List<String> more = new ArrayList<>(twenty);
        more.add("ACTION_20");
        ProblemException refused = assertThrows(ProblemException.class, () -> new AuditReader.Filter(null, null, more, null, null, null));
        assertTrue(refused.detail().contains("action") && refused.detail().contains("20") && refused.detail().contains("21"), refused.detail());
        List<String> repeated = new ArrayList<>(Collections.nCopies(30, "ACTION_1"));
        repeated.add(" ");
        assertEquals(List.of("ACTION_1"), new AuditReader.Filter(null, null, repeated, null, null, null).actions(), "repeats and blanks are no values");
    }

    private static String value(String column, int i) {
        return switch (column) {
            case "subject_ref" -> "guest:" + i;
            case "actor" -> "user:staff-" + i;
            case "action" -> "ACTION_" + i;
            default -> "module" + i;
        };
    }

    /** EXPLAIN of a page's statement as EclipseLink writes it for this filter (first page, 51 rows for a page of 50 and the next cursor). */
    private static Map<String, String> explain(String column, List<String> values) throws Exception {
        String condition = values.size() == 1 ? column + " = ?" : column + " IN (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")";
        String sql = "EXPLAIN SELECT id, seq, occurred_at, actor, action, module, subject_ref, details, prev_hash, hash FROM " + TABLE
                + " WHERE ((seq > ?) AND (" + condition + ")) ORDER BY seq LIMIT ?";
        try (Connection c = DB.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, 0);
            for (int i = 0; i < values.size(); i++) {
                s.setString(i + 2, values.get(i));
            }
            s.setInt(values.size() + 2, 51);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                Map<String, String> plan = new java.util.LinkedHashMap<>();
                for (String name : List.of("type", "key", "rows", "Extra")) {
                    plan.put(name, String.valueOf(rs.getString(name)));
                }
                LOG.info(() -> column + " " + values.size() + " value(s): " + plan);
                return plan;
            }
        }
    }
}
