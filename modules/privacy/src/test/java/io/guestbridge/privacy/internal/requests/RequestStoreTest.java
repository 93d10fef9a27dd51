package io.guestbridge.privacy.internal.requests;

import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.testing.TestDatabase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The privacy unit's mapping of requests and steps on a real MariaDB, migrated as in production: the rows the entities
 * write are the ones the rest of the module (and the history, the clock's compare-and-set) reads by SQL, and the store's
 * queries find them. EclipseLink runs here as in the server, on the module's own persistence.xml, with local transactions.
 */
class RequestStoreTest {

    private static EntityManagerFactory units;

    @BeforeAll
    static void unit() {
        units = Persistence.createEntityManagerFactory("privacy", Map.of(
                "jakarta.persistence.transactionType", "RESOURCE_LOCAL",
                "jakarta.persistence.jtaDataSource", TestDatabase.get().dataSource(),
                "jakarta.persistence.nonJtaDataSource", TestDatabase.get().dataSource(),
                "eclipselink.target-server", "None",
                "eclipselink.weaving", "false"));
    }

    @AfterAll
    static void close() {
        if (units != null) {
            units.close();
        }
    }

    @Test
    void aRequestAndItsStepsAreStoredAsTheModulesSqlReadsThemAndMoveOnlyOnce() throws SQLException {
        String id = UUID.randomUUID().toString();
        String subject = (UUID.randomUUID().toString().replace("-", "") + "0".repeat(64)).substring(0, 64);
        Instant received = Instant.parse("2026-01-31T10:00:00.123456Z");
        RequestRecords store = new RequestRecords();
        RequestRecords.OpenCounts before = read(store, s -> s.openCounts(Instant.now(), Instant.now()));

        inTransaction(em -> {
            PrivacyRequest request = PrivacyRequest.received(id, RequestType.ERASURE, Regime.GDPR, PrivacyRequest.STAFF, subject, "sealed-address",
                    null, received, "fr");
            em.persist(request);
            em.persist(RequestStep.pending(id, "local", "LOCAL"));
            em.persist(RequestStep.held(id, "accounting", "JDBC", "kept under Art. 17(3): invoices"));
            em.persist(RequestStep.awaitingOperator(id, "paper", "MANUAL", "operator task: shred", received.plus(7, ChronoUnit.DAYS)));
        }, store);
        try (Connection c = TestDatabase.get().connect();
             PreparedStatement s = c.prepareStatement("SELECT type, regime, channel, state, received_at, due_at, original_due_at, language, "
                     + "email_sealed, code_attempts FROM prv_request WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("ERASURE", rs.getString(1));
                assertEquals("GDPR", rs.getString(2));
                assertEquals("STAFF", rs.getString(3));
                assertEquals("RECEIVED", rs.getString(4));
                assertEquals(LocalDateTime.ofInstant(received, ZoneOffset.UTC), rs.getObject(5, LocalDateTime.class), "UTC, to the microsecond");
                assertEquals(LocalDateTime.ofInstant(PrivacyRequest.dueFor(received), ZoneOffset.UTC), rs.getObject(6, LocalDateTime.class));
                assertEquals(rs.getObject(6, LocalDateTime.class), rs.getObject(7, LocalDateTime.class));
                assertEquals("fr", rs.getString(8));
                assertEquals("sealed-address", rs.getString(9));
                assertEquals(0, rs.getInt(10));
            }
        }
        assertEquals(before.open() + 1, read(store, s -> s.openCounts(Instant.now(), Instant.now())).open());

        Instant confirmed = Instant.parse("2026-02-01T08:00:00Z");
        inTransaction(em -> {
            PrivacyRequest request = store.load(id, true).orElseThrow();
            request.verified("staff member", received);
            request.moveTo(RequestState.VERIFIED, received);
            request.moveTo(RequestState.IN_PROGRESS, received);
            RequestStep local = store.step(id, "local").orElseThrow();
            assertTrue(local.confirm("identity 3 rows", confirmed));
            assertEquals(StepState.CONFIRMED, store.step(id, "local").orElseThrow().state(), "a read in the transaction keeps its changes");
            assertEquals(RequestState.IN_PROGRESS, store.load(id, true).orElseThrow().state());
        }, store);
        inTransaction(em -> {
            RequestStep local = store.step(id, "local").orElseThrow();
            assertFalse(local.confirm("again", Instant.now()), "read back ended: a replay changes nothing");
            assertEquals(List.of("accounting", "local", "paper"), store.steps(id, true).stream().map(RequestStep::system).toList());
            assertEquals(StepState.Progress.WAITING_FOR_OPERATOR, StepState.progress(store.steps(id, false).stream().map(RequestStep::state).toList()));
        }, store);
        try (Connection c = TestDatabase.get().connect();
             PreparedStatement s = c.prepareStatement("SELECT system, kind, state, attempts, evidence, confirmed_at, task_due_at FROM prv_step "
                     + "WHERE request_id = ? ORDER BY system")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("accounting HELD 0 kept under Art. 17(3): invoices", rs.getString(1) + " " + rs.getString(3) + " " + rs.getInt(4) + " "
                        + rs.getString(5));
                assertTrue(rs.next());
                assertEquals("local LOCAL CONFIRMED 1 identity 3 rows", rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getInt(4) + " " + rs.getString(5));
                assertEquals(LocalDateTime.ofInstant(confirmed, ZoneOffset.UTC), rs.getObject(6, LocalDateTime.class));
                assertTrue(rs.next());
                assertEquals("paper AWAITING_OPERATOR", rs.getString(1) + " " + rs.getString(3));
                assertEquals(LocalDateTime.ofInstant(received.plus(7, ChronoUnit.DAYS), ZoneOffset.UTC), rs.getObject(7, LocalDateTime.class));
            }
        }

        // the store's queries: by subject and state (a duplicate's search), the clock's escalation (a column only SQL writes)
        assertEquals(List.of(id), read(store, s -> s.query("r.subjectHash = ?1 AND r.state IN ?2", 10, subject, RequestState.RUNNING))
                .stream().map(PrivacyRequest::id).toList());
        String escalation = "r.subjectHash = ?1 AND (r.escalatedDueAt IS NULL OR r.escalatedDueAt <> r.dueAt)";
        assertEquals(1, read(store, s -> s.query(escalation, 10, subject)).size());
        try (Connection c = TestDatabase.get().connect(); PreparedStatement s = c.prepareStatement("UPDATE prv_request SET escalated_due_at = due_at WHERE id = ?")) {
            s.setString(1, id);
            assertEquals(1, s.executeUpdate());
            c.commit();
        }
        assertEquals(0, read(store, s -> s.query(escalation, 10, subject)).size(), "escalated once for this due date");
        assertEquals(1, read(store, s -> s.query("r.subjectHash = ?1 AND r.dueAt < ?2", 10, subject, PrivacyRequest.dueFor(received).plusSeconds(1))).size(),
                "an instant parameter compares as the column holds it");
        assertEquals(0, read(store, s -> s.query("r.subjectHash = ?1 AND r.dueAt < ?2", 10, subject, PrivacyRequest.dueFor(received))).size());

        // ended a week ago with its address still held: the clock drops it in one statement
        inTransaction(em -> {
            PrivacyRequest request = store.load(id, true).orElseThrow();
            request.outcome("every system confirmed");
            request.moveTo(RequestState.COMPLETED, Instant.now().minus(8, ChronoUnit.DAYS));
        }, store);
        inTransaction(em -> assertTrue(store.forgetEndedBefore(Instant.now().minus(7, ChronoUnit.DAYS)) >= 1), store);
        PrivacyRequest ended = read(store, s -> s.load(id, false).orElseThrow());
        assertEquals(RequestState.COMPLETED, ended.state());
        assertNull(ended.emailSealed());
        assertEquals("every system confirmed", ended.outcome());
        assertEquals(before.open(), read(store, s -> s.openCounts(Instant.now(), Instant.now())).open());
    }

    @Test
    void theStepPathBySqlMovesAStepByItsOwnRulesAndWritesOnlyOverTheRowItRead() throws SQLException {
        String id = UUID.randomUUID().toString();
        String subject = (UUID.randomUUID().toString().replace("-", "") + "0".repeat(64)).substring(0, 64);
        Instant received = Instant.parse("2026-01-31T10:00:00.123456Z");
        RequestRecords store = new RequestRecords();
        inTransaction(em -> {
            em.persist(PrivacyRequest.received(id, RequestType.ERASURE, Regime.GDPR, PrivacyRequest.STAFF, subject, "sealed-address", "sealed-details",
                    received, "de"));
            em.persist(RequestStep.pending(id, "hubspot-main", "CRM"));
            em.persist(RequestStep.pending(id, "local", "LOCAL"));
        }, store);
        Instant confirmed = Instant.parse("2026-02-01T08:00:00.654321Z");
        List<String> audited = new java.util.ArrayList<>();
        store.trail = event -> {
            audited.add(event.action());
            return new AuditTrail.AuditReceipt(Instant.now());
        };
        try (Connection c = TestDatabase.get().connect()) {
            // two steps by one statement: each column of each row lands where it belongs
            store.insertSteps(c, List.of(RequestStep.awaitingOperator(id, "paper", "MANUAL", "operator task: shred", received.plus(7, ChronoUnit.DAYS)),
                    RequestStep.held(id, "warehouse", "JDBC", "kept under Art. 17(3): tax records")));
            assertEquals(List.of("warehouse", "JDBC", StepState.HELD, 0, "kept under Art. 17(3): tax records"),
                    store.stepRow(c, id, "warehouse").map(h -> List.<Object>of(h.system(), h.kind(), h.state(), h.attempts(), h.evidence())).orElseThrow());
            assertNull(store.stepRow(c, id, "warehouse").orElseThrow().taskDueAt());
            PrivacyRequest row = store.row(c, id, true).orElseThrow();
            assertEquals(List.of(RequestState.RECEIVED, subject, "sealed-address", "sealed-details", "de", received, PrivacyRequest.dueFor(received)),
                    List.of(row.state(), row.subjectHash(), row.emailSealed(), row.detailsSealed(), row.language(), row.receivedAt(), row.dueAt()));
            RequestRecords.StepsAndAddress toRun = store.stepRowsAndAddress(c, id).orElseThrow();
            assertEquals(List.of("hubspot-main", "local", "paper", "warehouse"), toRun.steps().stream().map(RequestStep::system).toList());
            assertEquals(List.of(StepState.PENDING, "sealed-address"), List.of(toRun.step("hubspot-main").orElseThrow().state(), toRun.emailSealed()));
            assertEquals(StepState.AWAITING_OPERATOR, toRun.step("paper").orElseThrow().state());
            assertTrue(store.stepRowsAndAddress(c, "no-such-request").isEmpty());
            assertTrue(toRun.step("no-such-system").isEmpty());
            assertTrue(store.stepRow(c, id, "no-such-system").isEmpty());

            RequestStep hubspot = store.stepRow(c, id, "hubspot-main").orElseThrow();
            assertTrue(hubspot.canResume());
            assertTrue(store.changeStep(c, hubspot, s -> s.attemptFailed("status 503")));
            RequestStep stale = store.stepRow(c, id, "hubspot-main").orElseThrow();
            assertTrue(store.changeStep(c, store.stepRow(c, id, "hubspot-main").orElseThrow(), s -> s.confirm("status 200", confirmed)));
            assertFalse(store.changeStep(c, stale, s -> s.fail("too late")), "read before the confirmation: its write finds the row moved");
            assertFalse(store.changeStep(c, store.stepRow(c, id, "hubspot-main").orElseThrow(), s -> s.confirm("again", Instant.now())),
                    "read back ended: a replay changes nothing");
            assertFalse(store.changeStep(c, store.stepRow(c, id, "paper").orElseThrow(), s -> s.attemptFailed("no")), "only a pending step counts attempts");

            List<RequestStep> steps = store.stepRows(c, id, true);
            assertEquals(List.of("hubspot-main", "local", "paper", "warehouse"), steps.stream().map(RequestStep::system).toList());
            assertEquals(List.of(StepState.CONFIRMED, StepState.PENDING, StepState.AWAITING_OPERATOR, StepState.HELD),
                    steps.stream().map(RequestStep::state).toList());
            assertEquals(received.plus(7, ChronoUnit.DAYS), steps.get(2).taskDueAt());
            assertEquals(StepState.Progress.RUNNING, StepState.progress(steps.stream().map(RequestStep::state).toList()));

            // a request read by SQL moves by its state machine, written over the state it was read in
            PrivacyRequest staleRequest = store.row(c, id, false).orElseThrow();
            assertEquals(RequestState.VERIFIED, store.moveRow(c, store.row(c, id, true).orElseThrow(), RequestState.VERIFIED, "verified by staff",
                    "user:dpo").state());
            assertThrows(IllegalStateException.class, () -> store.moveRow(c, staleRequest, RequestState.IDENTITY_UNVERIFIED, "a code is mailed", "user:dpo"),
                    "read before the move: its write finds the row moved");
            assertThrows(ProblemException.class, () -> store.moveRow(c, store.row(c, id, true).orElseThrow(), RequestState.COMPLETED, "skipped",
                    "user:dpo"), "the state machine refuses a move it does not allow");
            assertEquals(List.of("PRIVACY_REQUEST_VERIFIED"), audited);
            assertEquals(List.of("VERIFIED verified by staff"), store.history(c, id).stream().map(e -> e.state() + " " + e.note()).toList());
            c.commit();
        }
        // what the SQL wrote is what the entity reads
        RequestStep mapped = read(store, s -> s.step(id, "hubspot-main").orElseThrow());
        assertEquals(List.of(StepState.CONFIRMED, 2, "status 200", confirmed), List.of(mapped.state(), mapped.attempts(), mapped.evidence(), mapped.confirmedAt()));
        assertEquals(StepState.PENDING, read(store, s -> s.step(id, "local").orElseThrow()).state());
    }

    /** A batch of notices reads its requests in one statement, writes a code by SQL and forgets the addresses of several at once. */
    @Test
    void severalRequestsAreReadLockedAndForgottenTogetherAsTheEntityMapsThem() throws SQLException {
        RequestRecords store = new RequestRecords();
        List<String> ids = new java.util.ArrayList<>();
        Instant received = Instant.parse("2026-03-02T09:00:00.5Z");
        inTransaction(em -> {
            for (int i = 0; i < 3; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                em.persist(PrivacyRequest.received(id, RequestType.ERASURE, Regime.GDPR, PrivacyRequest.PORTAL, ("%064d").formatted(i), "sealed-" + i,
                        "details-" + i, received, "en"));
            }
        }, store);
        Instant expires = Instant.parse("2026-03-03T09:00:00.25Z");
        try (Connection c = TestDatabase.get().connect()) {
            Map<String, PrivacyRequest> rows = store.rows(c, List.of(ids.get(2), ids.get(0), ids.get(2), "no-such-request"), true);
            assertEquals(java.util.Set.of(ids.get(0), ids.get(2)), rows.keySet(), "each request found once, the unknown one left out");
            assertEquals(List.of("sealed-2", "details-2", received), List.of(rows.get(ids.get(2)).emailSealed(), rows.get(ids.get(2)).detailsSealed(),
                    rows.get(ids.get(2)).receivedAt()));

            PrivacyRequest first = rows.get(ids.get(0));
            first.codeSent("code-hash-0", expires);
            store.codeSentRow(c, first);
            store.forgetRows(c, List.of(ids.get(1), ids.get(2)));
            store.forgetRows(c, List.of());
            c.commit();
        }
        PrivacyRequest coded = read(store, s -> s.load(ids.get(0), false).orElseThrow());
        assertEquals(List.of("code-hash-0", expires, "sealed-0"), List.of(coded.codeHash(), coded.codeExpiresAt(), coded.emailSealed()));
        for (String forgotten : ids.subList(1, 3)) {
            PrivacyRequest request = read(store, s -> s.load(forgotten, false).orElseThrow());
            assertNull(request.emailSealed());
            assertNull(request.detailsSealed());
            assertNull(request.codeHash());
        }
    }

    private static void inTransaction(Consumer<EntityManager> work, RequestRecords store) {
        EntityManager em = units.createEntityManager();
        try {
            store.em = em;
            em.getTransaction().begin();
            work.accept(em);
            em.getTransaction().commit();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }

    /**
     * The histories of a page of requests are read by the request index whatever MariaDB's statistics say (statistics
     * that say one request holds every event, as sampling can say of a table that grows fast, made the read of a batch
     * by an index's first column a read of the whole table).
     */
    @Test
    void theHistoriesOfManyRequestsAreReadByTheRequestIndexWhateverTheStatisticsSay() throws Exception {
        RequestRecords store = new RequestRecords();
        List<String> page = new java.util.ArrayList<>();
        try (Connection c = TestDatabase.get().connect()) {
            for (int i = 0; i < 100; i++) {
                String id = UUID.randomUUID().toString();
                page.add(id);
                store.event(c, id, "RECEIVED", null);
                store.event(c, id, "VERIFIED", null);
            }
            try (var others = c.createStatement()) {
                others.executeUpdate("INSERT INTO prv_request_event (request_id, at, state, note) "
                        + "SELECT UUID(), NOW(6), 'RECEIVED', NULL FROM seq_1_to_20000");
            }
            c.commit();
        }
        long events = TestDatabase.get().rowCount("prv_request_event");
        long read = TestDatabase.get().rowsReadUnderWorstStatistics("prv_request_event", () -> {
            try (Connection c = TestDatabase.get().connect()) {
                Map<String, List<RequestRecords.EventRow>> histories = store.histories(c, page);
                assertEquals(100, histories.size());
                assertEquals(List.of("RECEIVED", "VERIFIED"), histories.get(page.get(0)).stream().map(RequestRecords.EventRow::state).toList());
            }
        });
        assertTrue(read < events / 10, "events read for 100 requests among 20,100: " + read + " of " + events);
    }

    private static <T> T read(RequestRecords store, java.util.function.Function<RequestRecords, T> query) {
        EntityManager em = units.createEntityManager();
        try {
            store.em = em;
            em.getTransaction().begin(); // a lock (load for update) needs one; a read commits nothing
            T result = query.apply(store);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
