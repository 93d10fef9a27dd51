package io.guestbridge.privacy.internal.steps;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.privacy.internal.datamap.DataMap;
import io.guestbridge.privacy.internal.notices.Notices;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.RequestStep;
import io.guestbridge.privacy.internal.requests.StepState;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The life of a request's steps: the local step runs in one transaction with its confirmation (so it happens exactly
 * once); a step in another system is one call per attempt, its outcome recorded in a transaction of its own, never redone
 * once confirmed. When no step is open any more (checked after each step's end has committed) the request ends, completed
 * or partially completed with the reasons, and the subject is told. What the steps do is {@link LocalStep}'s and
 * {@link ExternalSteps}'.
 */
@ApplicationScoped
public class RequestSteps {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    RequestRecords records;

    @Inject
    LocalStep local;

    @Inject
    ExternalSteps external;

    @Inject
    Notices notices;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    /**
     * The step, with its request's sealed address, while it still has to run; empty once it does not (a replayed work item
     * must not redo a confirmed step).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<RequestRecords.StepAndAddress> pending(String requestId, String system) {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        return Jdbc.inConnection(dataSource, "privacy", c -> records.stepRowAndAddress(c, requestId, system).filter(s -> s.step().canResume()));
    }

    /** The local step of any request type, confirmed in the same transaction as its effects. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void runLocal(String requestId) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            // JDBC: bench/privacy measures this path (sequential erasure p50)
            PrivacyRequest request = records.row(c, requestId, true).orElseThrow();
            if (request.state() != RequestState.IN_PROGRESS) {
                return null;
            }
            String evidence = local.run(c, request, email(requestId, request.emailSealed()));
            Instant now = Instant.now();
            Optional<RequestStep> step = records.stepRow(c, requestId, DataMap.LOCAL);
            if (step.isEmpty() || !records.changeStep(c, step.get(), s -> s.confirm(evidence, now))) {
                return null;
            }
            trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_CONFIRMED").by("system:privacy").about(RequestRecords.ref(requestId))
                    .with("system", DataMap.LOCAL).build());
            for (RequestStep other : records.stepRows(c, requestId, false)) {
                if (other.canResume()) {
                    // due since the request came: under a burst, this request's steps go before those of requests received after it
                    queue.publishDueSince(new StepDue(requestId, other.system()), request.receivedAt());
                }
            }
            finishIfDone(c, requestId);
            return null;
        });
    }

    /**
     * One attempt at another system's step, to the address {@link #pending} read; called outside any transaction (it waits
     * on the network).
     */
    public ErasureResult runExternal(String requestId, String system, String emailSealed) {
        return external.attempt(system, () -> email(requestId, emailSealed));
    }

    /**
     * Records what an attempt came to; true when it ended the step (confirmed, or failed for good), and the caller then
     * calls {@link #finishIfDone(String)}. The request is not locked here: each step's row is changed by compare-and-set,
     * and the steps of one request end side by side. Locking the request would make their commits wait for one
     * another's (on a disk that syncs each commit, some 10 to 20 ms apiece), and the last of four steps would end three
     * commits late.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean record(String requestId, String system, ErasureResult result) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            // JDBC: bench/privacy measures this path (sequential erasure p50)
            Optional<RequestStep> step = records.stepRow(c, requestId, system);
            if (result.confirmed() || !result.retryable()) {
                Instant now = Instant.now();
                if (step.isPresent() && records.changeStep(c, step.get(), s -> s.end(result.confirmed(), result.evidence(), now))) {
                    trail.record(AuditEvent.of("privacy", result.confirmed() ? "PRIVACY_STEP_CONFIRMED" : "PRIVACY_STEP_FAILED").by("system:privacy")
                            .about(RequestRecords.ref(requestId)).with("system", system).build());
                    return true;
                }
                return false;
            }
            if (step.isPresent()) {
                records.changeStep(c, step.get(), s -> s.attemptFailed(result.evidence()));
            }
            trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_ATTEMPT_FAILED").by("system:privacy").about(RequestRecords.ref(requestId))
                    .with("system", system).build());
            return false;
        });
    }

    /**
     * Ends the request if none of its steps is open any more, in a transaction of its own, after a step's end committed:
     * of steps that end side by side, the one whose check starts last sees every one of them ended. While some step is
     * still open (every step but the last) a plain read says so and nothing is locked. Also called for a step that was
     * found ended already (its work item delivered again after a crash between the step's end and this check), so that
     * such a request still ends.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finishIfDone(String requestId) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            // JDBC: bench/privacy measures this path (sequential erasure p50)
            List<StepState> states = records.stepRows(c, requestId, false).stream().map(RequestStep::state).toList();
            if (StepState.progress(states) != StepState.Progress.RUNNING) {
                finishIfDone(c, requestId);
            }
            return null;
        });
    }

    /** Puts a step that is still pending back on the queue (after its work item gave up, or to resume at once). */
    @Transactional
    public boolean resume(String requestId, String system, String actor) {
        if (pending(requestId, system).isEmpty()) {
            return false;
        }
        queue.publish(new StepDue(requestId, system));
        trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_RESUMED").by(actor).about(RequestRecords.ref(requestId)).with("system", system).build());
        return true;
    }

    /**
     * With no step pending: waiting for operators, or the end (completed, or partially with the reasons). The request and
     * its steps are read and the request moved by SQL: a caller that changed either through the entity manager must have
     * flushed it, and reads the request again (refreshing) afterwards.
     */
    public void finishIfDone(Connection c, String requestId) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        PrivacyRequest request = records.row(c, requestId, true).orElseThrow();
        if (request.state() != RequestState.IN_PROGRESS && request.state() != RequestState.REQUIRES_INPUT) {
            return;
        }
        List<RequestStep> steps = records.stepRows(c, requestId, true);
        StepState.Progress progress = StepState.progress(steps.stream().map(RequestStep::state).toList());
        if (progress == StepState.Progress.RUNNING) {
            return;
        }
        if (progress == StepState.Progress.WAITING_FOR_OPERATOR) {
            if (request.state() == RequestState.IN_PROGRESS) {
                List<String> waiting = steps.stream().filter(RequestStep::awaitsOperator).map(RequestStep::system).toList();
                records.moveRow(c, request, RequestState.REQUIRES_INPUT, "waiting for an operator to confirm: " + String.join(", ", waiting),
                        "system:privacy");
            }
            return;
        }
        StringJoiner reasons = new StringJoiner("; ");
        for (RequestStep step : steps) {
            if (step.state().needsExplaining()) {
                reasons.add(step.system() + ": " + step.evidence());
            }
        }
        RequestState end = progress == StepState.Progress.COMPLETED ? RequestState.COMPLETED : RequestState.PARTIALLY_COMPLETED;
        String outcome = end == RequestState.COMPLETED ? "every system confirmed" : reasons.toString();
        request.outcome(outcome);
        records.moveRow(c, request, end, outcome, "system:privacy");
        notices.send(c, requestId, Notices.Kind.OUTCOME);
        for (String recipient : records.recipientsToTell(c, requestId)) {
            notices.send(c, requestId, Notices.Kind.RECIPIENT_ERASURE, recipient);
        }
    }

    private NormalizedEmail email(String requestId, String emailSealed) {
        if (emailSealed == null) {
            throw new IllegalStateException("request " + requestId + " holds no email any more");
        }
        return new NormalizedEmail(new String(master.get().open(emailSealed, RequestRecords.ref(requestId)), StandardCharsets.UTF_8));
    }
}
