package io.guestbridge.privacy.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.SubjectErasure;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Erasure requests (Art. 17) and their steps: one per system of the data map — this database
 * ("local") and every enabled CRM connector. Each step runs on the work queue with retries, records the
 * system's confirmation as evidence, and is never redone once confirmed; the request completes when all
 * are confirmed (partially, with the reasons, when a system refused for good). Everything is audited
 * with pseudonymous references only; the email is kept sealed for the CRM calls and dropped at the end.
 */
@ApplicationScoped
public class ErasureRequests {

    public static final String STEP_QUEUE = "privacy-steps";
    static final String LOCAL = "local";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    GuestDirectory guests;

    @Inject
    CrmErasure crms;

    @Inject
    SuppressionList suppression;

    @Inject
    @Any
    Instance<SubjectErasure> participants;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    /** A request as the API shows it (no personal data). */
    public record View(String id, String type, String state, Instant receivedAt, Instant dueAt, long daysLeft, String verifiedBy,
                       Instant completedAt, List<Step> steps, List<Event> history) {
    }

    public record Step(String system, String state, int attempts, String evidence, Instant confirmedAt) {
    }

    public record Event(Instant at, String state, String note) {
    }

    /** Receives a staff-verified erasure request and starts its steps, in one transaction. */
    @Transactional
    public View receive(NormalizedEmail email, String verifiedBy, String actor) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Instant due = LocalDateTime.ofInstant(now, ZoneOffset.UTC).plusMonths(1).toInstant(ZoneOffset.UTC); // Art. 12(3): one month
        List<String> systems = new ArrayList<>();
        systems.add(LOCAL);
        systems.addAll(crms.connectors());
        Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_request (id, type, state, subject_hash, email_sealed, received_at, "
                    + "due_at, verified_by) VALUES (?, 'ERASURE', 'IN_PROGRESS', ?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, suppression.hash(email));
                s.setString(3, master.get().seal(email.value().getBytes(StandardCharsets.UTF_8), "privacy-request:" + id));
                s.setObject(4, utc(now));
                s.setObject(5, utc(due));
                s.setString(6, verifiedBy);
                s.executeUpdate();
            }
            for (String system : systems) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_step (request_id, system, state, attempts) VALUES (?, ?, 'PENDING', 0)")) {
                    s.setString(1, id);
                    s.setString(2, system);
                    s.executeUpdate();
                }
            }
            event(c, id, "RECEIVED", null);
            event(c, id, "VERIFIED", "identity verified by staff");
            event(c, id, "IN_PROGRESS", "steps: " + String.join(", ", systems));
            return null;
        });
        // this database first: its step also removes pending CRM sync work, so no sync can re-create the contact
        // after a CRM has deleted it; the CRM steps are queued when the local step is confirmed
        queue.enqueue(STEP_QUEUE, "{\"request\":\"" + id + "\",\"system\":\"" + LOCAL + "\"}");
        trail.record(AuditEvent.of("privacy", "ERASURE_REQUEST_RECEIVED").by(actor).about("privacy-request:" + id)
                .with("steps", String.join(",", systems)).with("dueAt", due).build());
        return view(id).orElseThrow();
    }

    /** Erases the subject from this database: every module's part, the suppression record, in one transaction. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void eraseLocally(String requestId) {
        NormalizedEmail email = email(requestId).orElseThrow(() -> new IllegalStateException("request " + requestId + " holds no email"));
        Optional<GuestId> guest = guests.find(email);
        SubjectErasure.Subject subject = new SubjectErasure.Subject(guest.map(GuestId::value).orElse(null), guests.subjectIndex(email));
        StringJoiner evidence = new StringJoiner(", ");
        for (SubjectErasure participant : participants) {
            evidence.add(participant.module() + " " + participant.erase(subject) + " rows");
        }
        Instant erasedAt = Instant.now();
        suppression.suppress(email, erasedAt);
        trail.record(AuditEvent.of("privacy", "SUBJECT_ERASED_LOCALLY").by("system:privacy").about(guest.map(GuestId::subjectRef)
                .orElse("privacy-request:" + requestId)).with("request", requestId).with("erasedAt", erasedAt).build());
        confirm(requestId, LOCAL, evidence + "; suppressed from " + erasedAt.truncatedTo(ChronoUnit.SECONDS));
        for (String system : pendingSteps(requestId)) {
            queue.enqueue(STEP_QUEUE, "{\"request\":\"" + requestId + "\",\"system\":\"" + system + "\"}");
        }
    }

    private List<String> pendingSteps(String requestId) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            List<String> systems = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT system FROM prv_step WHERE request_id = ? AND state = 'PENDING'")) {
                s.setString(1, requestId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        systems.add(rs.getString(1));
                    }
                }
            }
            return systems;
        });
    }

    /** Asks one CRM to delete the subject; true when the step is finished (confirmed or failed for good). */
    public CrmErasure.Result eraseInCrm(String requestId, String connector) {
        NormalizedEmail email = email(requestId).orElseThrow(() -> new IllegalStateException("request " + requestId + " holds no email"));
        return crms.erase(connector, email);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void confirm(String requestId, String system, String evidence) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_step SET state = 'CONFIRMED', attempts = attempts + 1, evidence = ?, "
                    + "confirmed_at = ? WHERE request_id = ? AND system = ? AND state = 'PENDING'")) {
                s.setString(1, truncate(evidence));
                s.setObject(2, utc(Instant.now()));
                s.setString(3, requestId);
                s.setString(4, system);
                s.executeUpdate();
            }
            return null;
        });
        trail.record(AuditEvent.of("privacy", "ERASURE_STEP_CONFIRMED").by("system:privacy").about("privacy-request:" + requestId)
                .with("system", system).build());
        finishIfDone(requestId);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void attemptFailed(String requestId, String system, String evidence, boolean finalFailure) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_step SET attempts = attempts + 1, evidence = ?"
                    + (finalFailure ? ", state = 'FAILED'" : "") + " WHERE request_id = ? AND system = ? AND state = 'PENDING'")) {
                s.setString(1, truncate(evidence));
                s.setString(2, requestId);
                s.setString(3, system);
                s.executeUpdate();
            }
            return null;
        });
        trail.record(AuditEvent.of("privacy", finalFailure ? "ERASURE_STEP_FAILED" : "ERASURE_STEP_ATTEMPT_FAILED").by("system:privacy")
                .about("privacy-request:" + requestId).with("system", system).build());
        if (finalFailure) {
            finishIfDone(requestId);
        }
    }

    /** Whether a step still has to run (a replayed work item must not redo a confirmed step). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean pending(String requestId, String system) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM prv_step WHERE request_id = ? AND system = ? AND state = 'PENDING'")) {
                s.setString(1, requestId);
                s.setString(2, system);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private void finishIfDone(String requestId) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            int pending = 0;
            int failed = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT state FROM prv_step WHERE request_id = ? FOR UPDATE")) {
                s.setString(1, requestId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        pending += "PENDING".equals(rs.getString(1)) ? 1 : 0;
                        failed += "FAILED".equals(rs.getString(1)) ? 1 : 0;
                    }
                }
            }
            if (pending > 0) {
                return null;
            }
            String state = failed == 0 ? "COMPLETED" : "PARTIALLY_COMPLETED";
            // the email was kept only to reach the CRMs: with every step over, it goes too
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_request SET state = ?, completed_at = ?, email_sealed = NULL WHERE id = ? "
                    + "AND state = 'IN_PROGRESS'")) {
                s.setString(1, state);
                s.setObject(2, utc(Instant.now()));
                s.setString(3, requestId);
                if (s.executeUpdate() == 1) {
                    event(c, requestId, state, failed == 0 ? "every system confirmed" : failed + " system(s) refused; see the steps");
                    trail.record(AuditEvent.of("privacy", "ERASURE_REQUEST_" + state).by("system:privacy").about("privacy-request:" + requestId).build());
                }
            }
            return null;
        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<View> view(String id) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            View view = null;
            try (PreparedStatement s = c.prepareStatement("SELECT type, state, received_at, due_at, verified_by, completed_at FROM prv_request WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<View>empty();
                    }
                    Instant due = instant(rs, 4);
                    view = new View(id, rs.getString(1), rs.getString(2), instant(rs, 3), due,
                            Math.max(0, ChronoUnit.DAYS.between(LocalDateTime.now(ZoneOffset.UTC).toLocalDate(),
                                    LocalDateTime.ofInstant(due, ZoneOffset.UTC).toLocalDate())),
                            rs.getString(5), instant(rs, 6), new ArrayList<>(), new ArrayList<>());
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT system, state, attempts, evidence, confirmed_at FROM prv_step WHERE request_id = ? ORDER BY system")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        view.steps().add(new Step(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), instant(rs, 5)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT at, state, note FROM prv_request_event WHERE request_id = ? ORDER BY seq")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        view.history().add(new Event(instant(rs, 1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return Optional.of(view);
        });
    }

    private Optional<NormalizedEmail> email(String requestId) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT email_sealed FROM prv_request WHERE id = ?")) {
                s.setString(1, requestId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        return Optional.<NormalizedEmail>empty();
                    }
                    return Optional.of(new NormalizedEmail(new String(master.get().open(rs.getString(1), "privacy-request:" + requestId),
                            StandardCharsets.UTF_8)));
                }
            }
        });
    }

    private static void event(Connection c, String requestId, String state, String note) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_request_event (request_id, at, state, note) VALUES (?, ?, ?, ?)")) {
            s.setString(1, requestId);
            s.setObject(2, utc(Instant.now()));
            s.setString(3, state);
            s.setString(4, note);
            s.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500);
    }
}
