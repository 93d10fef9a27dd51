package io.guestbridge.privacy.internal.steps;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WorkItem;
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
import java.util.function.Supplier;

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

    /** The request's steps, with its sealed address; empty when it has none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<RequestRecords.StepsAndAddress> steps(String requestId) {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        return Jdbc.inConnection(dataSource, "privacy", c -> records.stepRowsAndAddress(c, requestId));
    }

    /**
     * The local step of any request type, confirmed in the same transaction as its effects, and its work {@code item}
     * completed in it too. A step found confirmed already (the item delivered again after a stop) only checks whether the
     * request can end. The request's steps are read once: the local step's and the others', which its confirmation queues.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void runLocal(String requestId, WorkItem item) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            // JDBC: bench/privacy measures this path (sequential erasure p50)
            queue.complete(item);
            PrivacyRequest request = records.row(c, requestId, true).orElseThrow();
            List<RequestStep> steps = records.stepRows(c, requestId, false);
            Optional<RequestStep> step = steps.stream().filter(s -> s.system().equals(DataMap.LOCAL)).findFirst();
            if (step.isEmpty() || !step.get().canResume()) {
                finishIfDone(c, request);
                return null;
            }
            if (request.state() != RequestState.IN_PROGRESS) {
                return null;
            }
            String evidence = local.run(c, request, email(requestId, request.emailSealed()));
            Instant now = Instant.now();
            if (!records.changeStep(c, step.get(), s -> s.confirm(evidence, now))) {
                return null;
            }
            trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_CONFIRMED").by("system:privacy").about(RequestRecords.ref(requestId))
                    .with("system", DataMap.LOCAL).build());
            boolean queued = false;
            for (RequestStep other : steps) {
                if (other != step.get() && other.canResume()) {
                    // due since the request came: under a burst, this request's steps go before those of requests received after it
                    queue.publishDueSince(new StepDue(requestId, other.system()), request.receivedAt());
                    queued = true;
                }
            }
            if (!queued) {
                finishIfDone(c, requestId); // read again: the step's effects may have moved the request
            } // else a step is pending: the request runs on, whatever the local step did to it
            return null;
        });
    }

    /**
     * One attempt at each of several steps in other systems (of one request or several), each to the address its call
     * opens (only if its system is still in the data map): what each came to, in their order. Called outside any
     * transaction (the calls wait on the network).
     */
    public List<ErasureResult> attemptAll(List<ExternalSteps.Call> calls) {
        return external.attemptAll(calls);
    }

    /** A request's address, opened once however many of its steps ask for it. */
    public Supplier<NormalizedEmail> address(String requestId, String emailSealed) {
        NormalizedEmail[] opened = new NormalizedEmail[1];
        return () -> opened[0] != null ? opened[0] : (opened[0] = email(requestId, emailSealed));
    }

    /**
     * What one of a request's steps in another system came to: its {@code result}, or null when the step had ended before
     * its work {@code item} came (delivered again after a stop).
     */
    public record Attempt(String system, WorkItem item, ErasureResult result) {

        /** The step ends (confirmed, or refused for good): the request may end with it. */
        boolean ends() {
            return result == null || result.confirmed() || !result.retryable();
        }
    }

    /**
     * Records what attempts at several of a request's steps came to, in one transaction: each step's end or failed
     * attempt with its audit record, the items of the steps that are done (confirmed, or ended before) completed, and,
     * when a step ended, the request's end if no step is open any more. The request's row is locked first: two
     * transactions recording steps of one request (items claimed in different batches) then take their turns, and the
     * second sees the first's steps ended. A step refused for good ends as FAILED, and its item is left for the queue's
     * dead letters (the caller reports it dead).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(String requestId, List<Attempt> attempts) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            // JDBC: bench/privacy measures this path (sequential erasure p50)
            PrivacyRequest request = records.row(c, requestId, true).orElseThrow();
            List<RequestStep> rows = records.stepRows(c, requestId, false);
            boolean ended = false;
            Instant now = Instant.now();
            for (Attempt attempt : attempts) {
                ErasureResult result = attempt.result();
                if (result == null || result.confirmed()) {
                    queue.complete(attempt.item());
                }
                ended |= attempt.ends();
                if (result == null || !result.attempted()) {
                    continue;
                }
                Optional<RequestStep> step = rows.stream().filter(r -> r.system().equals(attempt.system())).findFirst();
                if (attempt.ends()) {
                    if (step.isPresent() && records.changeStep(c, step.get(), s -> s.end(result.confirmed(), result.evidence(), now))) {
                        trail.record(AuditEvent.of("privacy", result.confirmed() ? "PRIVACY_STEP_CONFIRMED" : "PRIVACY_STEP_FAILED").by("system:privacy")
                                .about(RequestRecords.ref(requestId)).with("system", attempt.system()).build());
                    }
                    continue;
                }
                if (step.isPresent()) {
                    records.changeStep(c, step.get(), s -> s.attemptFailed(result.evidence()));
                }
                trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_ATTEMPT_FAILED").by("system:privacy").about(RequestRecords.ref(requestId))
                        .with("system", attempt.system()).build());
            }
            if (ended) {
                finishIfDone(c, request);
            }
            return null;
        });
    }

    /**
     * Puts a step that is still pending back on the queue (after its work item gave up, or to resume at once), due since
     * the request came, as its first run was: after an outage its step goes before the steps of requests received later,
     * whose deadlines run out later, instead of behind all of them.
     */
    @Transactional
    public boolean resume(String requestId, String system, String actor) {
        Optional<RequestRecords.StepsAndAddress> steps = steps(requestId);
        if (steps.flatMap(s -> s.step(system)).filter(RequestStep::canResume).isEmpty()) {
            return false;
        }
        queue.publishDueSince(new StepDue(requestId, system), steps.get().receivedAt());
        trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_RESUMED").by(actor).about(RequestRecords.ref(requestId)).with("system", system).build());
        return true;
    }

    /**
     * With no step pending: waiting for operators, or the end (completed, or partially with the reasons). The request and
     * its steps are read and the request moved by SQL: a caller that changed either through the entity manager must have
     * flushed it, and reads the request again (refreshing) afterwards.
     */
    public void finishIfDone(Connection c, String requestId) throws SQLException {
        finishIfDone(c, records.row(c, requestId, true).orElseThrow());
    }

    /** {@link #finishIfDone(Connection, String)} for a request this transaction has read locked ({@code request}, as its row stood then). */
    private void finishIfDone(Connection c, PrivacyRequest request) throws SQLException {
        // JDBC: bench/privacy measures this path (sequential erasure p50)
        String requestId = request.id();
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
        notices.send(c, request, Notices.Kind.OUTCOME);
        for (String recipient : records.recipientsToTell(c, requestId)) {
            notices.send(c, request, Notices.Kind.RECIPIENT_ERASURE, recipient);
        }
    }

    private NormalizedEmail email(String requestId, String emailSealed) {
        if (emailSealed == null) {
            throw new IllegalStateException("request " + requestId + " holds no email any more");
        }
        return new NormalizedEmail(new String(master.get().open(emailSealed, RequestRecords.ref(requestId)), StandardCharsets.UTF_8));
    }
}
