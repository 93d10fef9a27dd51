package io.guestbridge.privacy.internal.requests;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * The SQL of requests, their steps and their history, always on the caller's connection and in its
 * transaction. Every change of state goes through {@link #move}, which checks the state machine, keeps
 * the history row and writes the audit record in the same transaction.
 */
@ApplicationScoped
public class RequestRecords {

    private static final String COLUMNS = "id, type, regime, channel, state, subject_hash, received_at, due_at, original_due_at, extended_reason, "
            + "verified_by, verified_at, completed_at, duplicate_of, outcome, code_hash, code_expires_at, code_attempts";

    @Inject
    AuditTrail trail;

    public record StepRow(String system, String kind, StepState state, int attempts, String evidence, Instant confirmedAt, Instant taskDueAt) {
    }

    public record EventRow(Instant at, String state, String note) {
    }

    public Optional<PrivacyRequest> load(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM prv_request WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public List<PrivacyRequest> query(Connection c, String where, int limit, Object... parameters) throws SQLException {
        List<PrivacyRequest> requests = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM prv_request WHERE " + where + " ORDER BY due_at, id LIMIT " + limit)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i] instanceof Instant instant ? utc(instant) : parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    requests.add(read(rs));
                }
            }
        }
        return requests;
    }

    /** {@code regimeFrom} says where the regime came from (staff, the venue, the default), for the history and the audit record. */
    public void insert(Connection c, String id, RequestType type, Regime regime, String regimeFrom, String channel, String subjectHash, String emailSealed,
                String detailsSealed, Instant receivedAt, String language) throws SQLException {
        regime.require(type);
        Instant due = regime.due(type, receivedAt);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_request (id, type, regime, channel, state, subject_hash, email_sealed, "
                + "details_sealed, received_at, due_at, original_due_at, language) VALUES (?, ?, ?, ?, 'RECEIVED', ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, type.name());
            s.setString(3, regime.name());
            s.setString(4, channel);
            s.setString(5, subjectHash);
            s.setString(6, emailSealed);
            s.setString(7, detailsSealed);
            s.setObject(8, utc(receivedAt));
            s.setObject(9, utc(due));
            s.setObject(10, utc(due));
            s.setString(11, language);
            s.executeUpdate();
        }
        event(c, id, RequestState.RECEIVED.name(), type + " request (" + regime.provision(type) + ") through " + channel.toLowerCase()
                + "; regime " + regime.label + " (" + regimeFrom + "), due " + due);
        trail.record(AuditEvent.of("privacy", "PRIVACY_REQUEST_RECEIVED").by("system:privacy").about(ref(id)).with("type", type)
                .with("regime", regime.name()).with("regimeFrom", regimeFrom).with("channel", channel).with("dueAt", due).build());
    }

    /** Moves a request on, checked against the state machine; history and audit in the same transaction. */
    public PrivacyRequest move(Connection c, PrivacyRequest request, RequestState next, String note, String actor) throws SQLException {
        request.requireMove(next);
        boolean ends = !next.isOpen();
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_request SET state = ?" + (ends ? ", completed_at = ?" : "")
                + " WHERE id = ? AND state = ?")) {
            int i = 1;
            s.setString(i++, next.name());
            if (ends) {
                s.setObject(i++, utc(Instant.now()));
            }
            s.setString(i++, request.id());
            s.setString(i, request.state().name());
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("request " + request.id() + " changed under us; its row must be locked before a move");
            }
        }
        event(c, request.id(), next.name(), note);
        trail.record(AuditEvent.of("privacy", "PRIVACY_REQUEST_" + next.name()).by(actor).about(ref(request.id())).with("type", request.type())
                .with("from", request.state()).build());
        return load(c, request.id(), false).orElseThrow();
    }

    public void event(Connection c, String requestId, String state, String note) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_request_event (request_id, at, state, note) VALUES (?, ?, ?, ?)")) {
            s.setString(1, requestId);
            s.setObject(2, utc(Instant.now()));
            s.setString(3, state);
            s.setString(4, truncate(note));
            s.executeUpdate();
        }
    }

    public void update(Connection c, String requestId, String assignments, Object... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_request SET " + assignments + " WHERE id = ?")) {
            int i = 1;
            for (Object value : values) {
                s.setObject(i++, value instanceof Instant instant ? utc(instant) : value);
            }
            s.setString(i, requestId);
            s.executeUpdate();
        }
    }

    public void insertStep(Connection c, String requestId, String system, String kind, StepState state, String evidence, Instant taskDueAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_step (request_id, system, kind, state, attempts, evidence, task_due_at) "
                + "VALUES (?, ?, ?, ?, 0, ?, ?)")) {
            s.setString(1, requestId);
            s.setString(2, system);
            s.setString(3, kind);
            s.setString(4, state.name());
            s.setString(5, truncate(evidence));
            s.setObject(6, taskDueAt == null ? null : utc(taskDueAt));
            s.executeUpdate();
        }
    }

    /** Ends a step that is still open (pending or waiting for an operator); false when it was not. */
    public boolean finishStep(Connection c, String requestId, String system, StepState state, String evidence) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_step SET state = ?, attempts = attempts + 1, evidence = ?, confirmed_at = ? "
                + "WHERE request_id = ? AND system = ? AND state IN " + StepState.openSqlList())) {
            s.setString(1, state.name());
            s.setString(2, truncate(evidence));
            s.setObject(3, state == StepState.CONFIRMED ? utc(Instant.now()) : null);
            s.setString(4, requestId);
            s.setString(5, system);
            return s.executeUpdate() == 1;
        }
    }

    public void attempted(Connection c, String requestId, String system, String evidence) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_step SET attempts = attempts + 1, evidence = ? WHERE request_id = ? AND system = ? "
                + "AND state = '" + StepState.PENDING.name() + "'")) {
            s.setString(1, truncate(evidence));
            s.setString(2, requestId);
            s.setString(3, system);
            s.executeUpdate();
        }
    }

    public List<StepRow> steps(Connection c, String requestId, boolean forUpdate) throws SQLException {
        List<StepRow> steps = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT system, kind, state, attempts, evidence, confirmed_at, task_due_at FROM prv_step "
                + "WHERE request_id = ? ORDER BY system" + (forUpdate ? " FOR UPDATE" : ""))) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    steps.add(new StepRow(rs.getString(1), rs.getString(2), StepState.valueOf(rs.getString(3)), rs.getInt(4), rs.getString(5), instant(rs, 6),
                            instant(rs, 7)));
                }
            }
        }
        return steps;
    }

    public List<EventRow> history(Connection c, String requestId) throws SQLException {
        List<EventRow> events = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT at, state, note FROM prv_request_event WHERE request_id = ? ORDER BY seq")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.add(new EventRow(instant(rs, 1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return events;
    }

    /** The steps of several requests in one query, by request id (a list page's requests, not one query each). */
    public Map<String, List<StepRow>> steps(Connection c, Collection<String> requestIds) throws SQLException {
        Map<String, List<StepRow>> steps = new HashMap<>();
        if (requestIds.isEmpty()) {
            return steps;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT request_id, system, kind, state, attempts, evidence, confirmed_at, task_due_at FROM prv_step "
                + "WHERE request_id IN (" + String.join(", ", Collections.nCopies(requestIds.size(), "?")) + ") ORDER BY request_id, system")) {
            int i = 1;
            for (String id : requestIds) {
                s.setString(i++, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    steps.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new StepRow(rs.getString(2), rs.getString(3),
                            StepState.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6), instant(rs, 7), instant(rs, 8)));
                }
            }
        }
        return steps;
    }

    /** The histories of several requests in one query, by request id. */
    public Map<String, List<EventRow>> histories(Connection c, Collection<String> requestIds) throws SQLException {
        Map<String, List<EventRow>> events = new HashMap<>();
        if (requestIds.isEmpty()) {
            return events;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT request_id, at, state, note FROM prv_request_event WHERE request_id IN ("
                + String.join(", ", Collections.nCopies(requestIds.size(), "?")) + ") ORDER BY request_id, seq")) {
            int i = 1;
            for (String id : requestIds) {
                s.setString(i++, id);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new EventRow(instant(rs, 2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return events;
    }

    /** A sealed column of the request (email_sealed, details_sealed), null when dropped. */
    public String sealed(Connection c, String requestId, String column) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM prv_request WHERE id = ?")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The language the subject made the request in (null: none given, mail goes in English). */
    public String language(Connection c, String requestId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT language FROM prv_request WHERE id = ?")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
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

    private static PrivacyRequest read(ResultSet rs) throws SQLException {
        return new PrivacyRequest(rs.getString(1), RequestType.valueOf(rs.getString(2)), Regime.valueOf(rs.getString(3)), rs.getString(4),
                RequestState.valueOf(rs.getString(5)), rs.getString(6), instant(rs, 7), instant(rs, 8), instant(rs, 9), rs.getString(10), rs.getString(11),
                instant(rs, 12), instant(rs, 13), rs.getString(14), rs.getString(15), rs.getString(16), instant(rs, 17), rs.getInt(18));
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    public static String truncate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }
}
