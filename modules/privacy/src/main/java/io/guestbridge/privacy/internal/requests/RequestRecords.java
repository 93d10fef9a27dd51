package io.guestbridge.privacy.internal.requests;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * Requests and their steps, read and changed as objects in the caller's transaction, and the SQL of their history and of
 * the sponsors an erasure must tell. Every change of a request's state goes through {@link #move} (or {@link #moveRow}),
 * which the request checks against its state machine; the history row and the audit record are written in the same
 * transaction. Each read goes to the database (JDBC in the same transaction may have written since) after the changes made
 * so far are flushed (the unit's flush mode is AUTO: a query writes them first, so the refresh does not drop them); each
 * move is flushed at once (the SQL that follows reads it). A caller outside a transaction gets a short one: the container's
 * entity manager outside a transaction needs the calling component's invocation, which a worker thread does not always
 * have (a NullPointerException otherwise).
 *
 * <p>An erasure's step path (bench/privacy) reads, moves and ends by SQL instead, on the caller's connection and in its
 * transaction or none: {@link #row}, {@link #stepRow} and {@link #stepRows} read objects the store does not manage, the
 * step's or the request's own rule decides each move, and {@link #changeStep} and {@link #moveRow} write it by a
 * compare-and-set on the row as it was read.
 */
@ApplicationScoped
@Transactional
public class RequestRecords {

    /** The query hint that makes EclipseLink overwrite an object already read in this transaction with its row. */
    private static final String REFRESH = "eclipselink.refresh";

    @PersistenceContext(unitName = "privacy")
    EntityManager em;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    public record EventRow(Instant at, String state, String note) {
    }

    /** The request, as its row stands; {@code forUpdate} locks the row until the transaction ends (a move needs it). */
    public Optional<PrivacyRequest> load(String id, boolean forUpdate) {
        TypedQuery<PrivacyRequest> query = em.createQuery("SELECT r FROM PrivacyRequest r WHERE r.id = :id", PrivacyRequest.class)
                .setParameter("id", id).setHint(REFRESH, "true");
        if (forUpdate) {
            query.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        return query.getResultStream().findFirst();
    }

    /**
     * Requests matching a JPQL condition on {@code r} with positional parameters ({@code ?1}, …), by due date, at most
     * {@code limit}.
     */
    public List<PrivacyRequest> query(String where, int limit, Object... parameters) {
        TypedQuery<PrivacyRequest> query = em.createQuery("SELECT r FROM PrivacyRequest r WHERE " + where + " ORDER BY r.dueAt, r.id",
                PrivacyRequest.class).setHint(REFRESH, "true").setMaxResults(limit);
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query.getResultList();
    }

    /** Another request of the same type for the same subject that is already running (verified, not ended). */
    public Optional<PrivacyRequest> runningLike(PrivacyRequest request) {
        return query("r.subjectHash = ?1 AND r.type = ?2 AND r.id <> ?3 AND r.state IN ?4", 1, request.subjectHash(), request.type(), request.id(),
                RequestState.RUNNING).stream().findFirst();
    }

    /** {@code regimeFrom} says where the regime came from (staff, the venue, the default), for the history and the audit record. */
    public PrivacyRequest insert(String id, RequestType type, Regime regime, String regimeFrom, String channel, String subjectHash, String emailSealed,
                                 String detailsSealed, Instant receivedAt, String language) {
        PrivacyRequest request = PrivacyRequest.received(id, type, regime, channel, subjectHash, emailSealed, detailsSealed, receivedAt, language);
        em.persist(request);
        em.flush();
        event(id, RequestState.RECEIVED.name(), type + " request (" + regime.provision(type) + ") through " + channel.toLowerCase()
                + "; regime " + regime.label + " (" + regimeFrom + "), due " + request.dueAt());
        trail.record(AuditEvent.of("privacy", "PRIVACY_REQUEST_RECEIVED").by("system:privacy").about(ref(id)).with("type", type)
                .with("regime", regime.name()).with("regimeFrom", regimeFrom).with("channel", channel).with("dueAt", request.dueAt()).build());
        return request;
    }

    /**
     * Moves a request on, checked against the state machine; history and audit in the same transaction. The request must
     * have been loaded for update in this transaction (or inserted in it).
     */
    public PrivacyRequest move(PrivacyRequest request, RequestState next, String note, String actor) {
        RequestState from = request.moveTo(next, Instant.now());
        em.flush();
        event(request.id(), next.name(), note);
        trail.record(AuditEvent.of("privacy", "PRIVACY_REQUEST_" + next.name()).by(actor).about(ref(request.id())).with("type", request.type())
                .with("from", from).build());
        return request;
    }

    /** Closes a request as the duplicate of one already running. */
    public PrivacyRequest closeAsDuplicate(PrivacyRequest request, PrivacyRequest running, String note, String actor) {
        request.duplicateOf(running.id());
        return move(request, RequestState.CANCELLED, note, actor);
    }

    /** The history row of something that happened to a request without a move (a mail sent, an extension, an escalation). */
    public void event(String requestId, String state, String note) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            event(c, requestId, state, note);
            return null;
        });
    }

    /** Open requests: how many, how many fall due before {@code soon} (from {@code now}), how many are overdue. */
    public record OpenCounts(long open, long dueSoon, long overdue) {
    }

    public OpenCounts openCounts(Instant now, Instant soon) {
        Object[] row = em.createQuery("SELECT COUNT(r), SUM(CASE WHEN r.dueAt >= ?2 AND r.dueAt < ?3 THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN r.dueAt < ?2 THEN 1 ELSE 0 END) FROM PrivacyRequest r WHERE r.state IN ?1", Object[].class)
                .setParameter(1, RequestState.OPEN).setParameter(2, now).setParameter(3, soon).getSingleResult();
        return new OpenCounts(number(row[0]), number(row[1]), number(row[2]));
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** An ended request whose last notice never got through keeps the address no longer than this: one statement for all. */
    public int forgetEndedBefore(Instant before) {
        return em.createQuery("UPDATE PrivacyRequest r SET r.emailSealed = NULL, r.detailsSealed = NULL, r.codeHash = NULL "
                + "WHERE r.completedAt < ?1 AND (r.emailSealed IS NOT NULL OR r.detailsSealed IS NOT NULL)").setParameter(1, before).executeUpdate();
    }

    /** The request's steps by system, as their rows stand; {@code forUpdate} locks them. */
    public List<RequestStep> steps(String requestId, boolean forUpdate) {
        TypedQuery<RequestStep> query = em.createQuery("SELECT s FROM RequestStep s WHERE s.requestId = :id ORDER BY s.system", RequestStep.class)
                .setParameter("id", requestId).setHint(REFRESH, "true");
        if (forUpdate) {
            query.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        return query.getResultList();
    }

    /** One step, as its row stands. */
    public Optional<RequestStep> step(String requestId, String system) {
        return em.createQuery("SELECT s FROM RequestStep s WHERE s.requestId = :id AND s.system = :system", RequestStep.class)
                .setParameter("id", requestId).setParameter("system", system).setHint(REFRESH, "true").getResultStream().findFirst();
    }

    /** The steps of several requests in one query, by request id (a list page's requests, not one query each). */
    public Map<String, List<RequestStep>> steps(Collection<String> requestIds) {
        Map<String, List<RequestStep>> steps = new HashMap<>();
        if (requestIds.isEmpty()) {
            return steps;
        }
        for (RequestStep step : em.createQuery("SELECT s FROM RequestStep s WHERE s.requestId IN :ids ORDER BY s.requestId, s.system", RequestStep.class)
                .setParameter("ids", requestIds).setHint(REFRESH, "true").getResultList()) {
            steps.computeIfAbsent(step.requestId(), k -> new ArrayList<>()).add(step);
        }
        return steps;
    }

    private static final String COLUMNS = "id, type, regime, channel, state, subject_hash, received_at, due_at, original_due_at, extended_reason, "
            + "verified_by, verified_at, completed_at, duplicate_of, outcome, code_hash, code_expires_at, code_attempts, email_sealed, details_sealed, "
            + "language";

    /*
     * The step path by SQL on the caller's connection (the methods below join the caller's transaction or run without
     * one): the rows are read into objects that are not managed, the step's own rules decide its move, and the move is
     * written by a compare-and-set on what was read. The entity manager stays for the request's moves.
     */

    /**
     * The request as its row stands, not managed (a move goes through {@link #load} and {@link #move}); {@code forUpdate}
     * locks the row until the transaction ends.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<PrivacyRequest> row(Connection c, String id, boolean forUpdate) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM prv_request WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(requestOf(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Several requests as their rows stand, not managed, by id (an id without a row is left out); {@code forUpdate} locks
     * them in the order of their ids, so two transactions locking overlapping sets take their turns instead of deadlocking.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, PrivacyRequest> rows(Connection c, Collection<String> ids, boolean forUpdate) throws SQLException {
        Map<String, PrivacyRequest> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        List<String> sorted = ids.stream().distinct().sorted().toList();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM prv_request WHERE id IN (" + String.join(", ", Collections.nCopies(sorted.size(), "?"))
                + ") ORDER BY id" + (forUpdate ? " FOR UPDATE" : ""))) {
            for (int i = 0; i < sorted.size(); i++) {
                s.setString(i + 1, sorted.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    PrivacyRequest request = requestOf(rs);
                    rows.put(request.id(), request);
                }
            }
        }
        return rows;
    }

    private static PrivacyRequest requestOf(ResultSet rs) throws SQLException {
        return new PrivacyRequest(rs.getString(1), RequestType.valueOf(rs.getString(2)), Regime.valueOf(rs.getString(3)),
                rs.getString(4), RequestState.valueOf(rs.getString(5)), rs.getString(6), Jdbc.instant(rs, 7), Jdbc.instant(rs, 8), Jdbc.instant(rs, 9),
                rs.getString(10), rs.getString(11), Jdbc.instant(rs, 12), Jdbc.instant(rs, 13), rs.getString(14), rs.getString(15), rs.getString(16),
                Jdbc.instant(rs, 17), rs.getInt(18)).sealed(rs.getString(19), rs.getString(20), rs.getString(21));
    }

    /** Writes the one-time code a request row (read by {@link #rows}, locked) was given by {@link PrivacyRequest#codeSent}. */
    public void codeSentRow(Connection c, PrivacyRequest request) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_request SET code_hash = ?, code_expires_at = ? WHERE id = ?")) {
            s.setString(1, request.codeHash());
            s.setObject(2, utc(request.codeExpiresAt()));
            s.setString(3, request.id());
            s.executeUpdate();
        }
    }

    /** {@link PrivacyRequest#forgetPersonalData} for several request rows at once, by SQL. */
    public void forgetRows(Connection c, Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        List<String> sorted = ids.stream().distinct().sorted().toList();
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_request SET email_sealed = NULL, details_sealed = NULL, code_hash = NULL WHERE id IN ("
                + String.join(", ", Collections.nCopies(sorted.size(), "?")) + ")")) {
            for (int i = 0; i < sorted.size(); i++) {
                s.setString(i + 1, sorted.get(i));
            }
            s.executeUpdate();
        }
    }

    /** One step as its row stands, not managed: its moves are written by {@link #changeStep}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<RequestStep> stepRow(Connection c, String requestId, String system) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        try (PreparedStatement s = c.prepareStatement("SELECT " + STEP_COLUMNS + " FROM prv_step WHERE request_id = ? AND system = ?")) {
            s.setString(1, requestId);
            s.setString(2, system);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(stepOf(rs)) : Optional.empty();
            }
        }
    }

    /**
     * A request's steps as their rows stand (by system), with its sealed address and when it came: what a step's worker
     * reads before its attempts, and what a resumption needs to put a step back in the request's place in the queue.
     */
    public record StepsAndAddress(List<RequestStep> steps, String emailSealed, java.time.Instant receivedAt) {

        /** The step of {@code system}, if the request has one. */
        public Optional<RequestStep> step(String system) {
            return steps.stream().filter(s -> s.system().equals(system)).findFirst();
        }
    }

    /**
     * A request's steps and its sealed address in one read (a worker of each step read its step and then the address, two
     * round trips per step), not managed; empty when the request has no steps.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<StepsAndAddress> stepRowsAndAddress(Connection c, String requestId) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        try (PreparedStatement s = c.prepareStatement("SELECT " + STEP_COLUMNS_OF_S + ", r.email_sealed, r.received_at FROM prv_step s "
                + "JOIN prv_request r ON r.id = s.request_id WHERE s.request_id = ? ORDER BY s.system")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                List<RequestStep> steps = new ArrayList<>();
                String emailSealed = null;
                java.time.Instant receivedAt = null;
                while (rs.next()) {
                    steps.add(stepOf(rs));
                    emailSealed = rs.getString(9);
                    receivedAt = Jdbc.instant(rs, 10);
                }
                return steps.isEmpty() ? Optional.empty() : Optional.of(new StepsAndAddress(steps, emailSealed, receivedAt));
            }
        }
    }

    /** The request's steps by system as their rows stand, not managed; {@code forUpdate} locks them. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RequestStep> stepRows(Connection c, String requestId, boolean forUpdate) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        List<RequestStep> steps = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + STEP_COLUMNS + " FROM prv_step WHERE request_id = ? ORDER BY system"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    steps.add(stepOf(rs));
                }
            }
        }
        return steps;
    }

    /**
     * Makes one of a step's checked moves ({@code move}, e.g. {@code s -> s.confirm(evidence, now)}) on a step read by
     * {@link #stepRow} or {@link #stepRows} and writes it, compare-and-set on the state and attempts it was read with:
     * false, and nothing written, when the step refused the move or its row moved since it was read.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean changeStep(Connection c, RequestStep step, Predicate<RequestStep> move) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        StepState was = step.state();
        int attempts = step.attempts();
        if (!move.test(step)) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_step SET state = ?, attempts = ?, evidence = ?, confirmed_at = ? "
                + "WHERE request_id = ? AND system = ? AND state = ? AND attempts = ?")) {
            s.setString(1, step.state().name());
            s.setInt(2, step.attempts());
            s.setString(3, step.evidence());
            s.setObject(4, step.confirmedAt() == null ? null : utc(step.confirmedAt()));
            s.setString(5, step.requestId());
            s.setString(6, step.system());
            s.setString(7, was.name());
            s.setInt(8, attempts);
            return s.executeUpdate() == 1;
        }
    }

    /**
     * A request's new steps (see {@link RequestStep}'s factories), written by one statement; the request's row must be
     * written already.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void insertSteps(Connection c, List<RequestStep> steps) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        if (steps.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_step (" + STEP_COLUMNS + ") VALUES "
                + String.join(", ", Collections.nCopies(steps.size(), "(?, ?, ?, ?, ?, ?, ?, ?)")))) {
            int i = 0;
            for (RequestStep step : steps) {
                s.setString(++i, step.requestId());
                s.setString(++i, step.system());
                s.setString(++i, step.kind());
                s.setString(++i, step.state().name());
                s.setInt(++i, step.attempts());
                s.setString(++i, step.evidence());
                s.setObject(++i, step.confirmedAt() == null ? null : utc(step.confirmedAt()));
                s.setObject(++i, step.taskDueAt() == null ? null : utc(step.taskDueAt()));
            }
            s.executeUpdate();
        }
    }

    /**
     * As {@link #move}, for a request read by {@link #row} for update: the request checks the move, and its row is written
     * by a compare-and-set on the state it was read in (with the completion and the outcome a move may set).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PrivacyRequest moveRow(Connection c, PrivacyRequest request, RequestState next, String note, String actor) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        RequestState from = request.moveTo(next, Instant.now());
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_request SET state = ?, completed_at = ?, outcome = ? WHERE id = ? AND state = ?")) {
            s.setString(1, next.name());
            s.setObject(2, request.completedAt() == null ? null : utc(request.completedAt()));
            s.setString(3, request.outcome());
            s.setString(4, request.id());
            s.setString(5, from.name());
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("request " + request.id() + " changed under us; its row must be locked before a move");
            }
        }
        event(c, request.id(), next.name(), note);
        trail.record(AuditEvent.of("privacy", "PRIVACY_REQUEST_" + next.name()).by(actor).about(ref(request.id())).with("type", request.type())
                .with("from", from).build());
        return request;
    }

    private static final String STEP_COLUMNS = "request_id, system, kind, state, attempts, evidence, confirmed_at, task_due_at";
    private static final String STEP_COLUMNS_OF_S = "s.request_id, s.system, s.kind, s.state, s.attempts, s.evidence, s.confirmed_at, s.task_due_at";

    private static RequestStep stepOf(ResultSet rs) throws SQLException {
        return RequestStep.row(rs.getString(1), rs.getString(2), rs.getString(3), StepState.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6),
                Jdbc.instant(rs, 7), Jdbc.instant(rs, 8));
    }

    /** As {@link #event(String, String, String)}, on a connection the caller holds. */
    public void event(Connection c, String requestId, String state, String note) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_request_event (request_id, at, state, note) VALUES (?, ?, ?, ?)")) {
            s.setString(1, requestId);
            s.setObject(2, utc(Instant.now()));
            s.setString(3, state);
            s.setString(4, truncate(note));
            s.executeUpdate();
        }
    }

    public List<EventRow> history(Connection c, String requestId) throws SQLException {
        List<EventRow> events = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT at, state, note FROM prv_request_event WHERE request_id = ? ORDER BY seq")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new EventRow(Jdbc.instant(rs, 1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return events;
    }

    /** The histories of several requests in one query, by request id. */
    public Map<String, List<EventRow>> histories(Connection c, Collection<String> requestIds) throws SQLException {
        Map<String, List<EventRow>> events = new HashMap<>();
        if (requestIds.isEmpty()) {
            return events;
        }
        try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT request_id, at, state, note FROM prv_request_event WHERE request_id IN ("
                + String.join(", ", Collections.nCopies(requestIds.size(), "?")) + ") ORDER BY request_id, seq"))) {
            int i = 1;
            for (String id : requestIds) {
                s.setString(i++, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new EventRow(Jdbc.instant(rs, 2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return events;
    }

    /** The recipients (sponsor ids) an erasure must tell once it has ended. */
    public void noteRecipients(Connection c, String requestId, List<String> recipients) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO prv_recipient_notice (request_id, recipient) VALUES (?, ?)")) {
            for (String recipient : recipients) {
                s.setString(1, requestId);
                s.setString(2, recipient);
                s.addBatch();
            }
            if (!recipients.isEmpty()) {
                s.executeBatch();
            }
        }
    }

    /** Recipients not yet told (nor found impossible to tell), in id order. */
    public List<String> recipientsToTell(Connection c, String requestId) throws SQLException {
        List<String> recipients = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT recipient FROM prv_recipient_notice WHERE request_id = ? AND notified_at IS NULL "
                + "AND outcome IS NULL ORDER BY recipient")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    recipients.add(rs.getString(1));
                }
            }
        }
        return recipients;
    }

    /** The recipient was told ({@code notified} true) or cannot be ({@code outcome} says why); false when that was settled already. */
    public boolean recipientSettled(Connection c, String requestId, String recipient, boolean notified, String outcome) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_recipient_notice SET notified_at = ?, outcome = ? WHERE request_id = ? "
                + "AND recipient = ? AND notified_at IS NULL AND outcome IS NULL")) {
            s.setObject(1, notified ? utc(Instant.now()) : null);
            s.setString(2, truncate(outcome));
            s.setString(3, requestId);
            s.setString(4, recipient);
            return s.executeUpdate() == 1;
        }
    }

    public static String ref(String requestId) {
        return "privacy-request:" + requestId;
    }

    public static String truncate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }
}
