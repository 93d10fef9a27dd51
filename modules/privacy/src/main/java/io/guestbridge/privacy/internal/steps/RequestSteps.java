package io.guestbridge.privacy.internal.steps;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.crmsync.api.CrmErasure;
import io.guestbridge.crmsync.api.Sponsors;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.GuestUpdate;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.identity.api.Observation;
import io.guestbridge.identity.api.SourceSystem;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.SubjectErasure;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.privacy.internal.datamap.DataMap;
import io.guestbridge.privacy.internal.exports.SubjectExports;
import io.guestbridge.privacy.internal.notices.Notices;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.StepState;
import io.guestbridge.privacy.internal.suppression.SuppressionList;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * What the steps of a request do. The local step runs in one transaction with its confirmation (so it
 * happens exactly once); a step in another system is one call per attempt, its outcome recorded in a
 * transaction of its own, never redone once confirmed. When no step is open any more the request ends,
 * completed or partially completed with the reasons, and the subject is told.
 */
@ApplicationScoped
public class RequestSteps {


    /** Art. 21 objects to direct marketing and the profiling related to it. */
    static final List<String> MARKETING_PURPOSES = List.of("marketing_email", "marketing_sms", "profiling");

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    RequestRecords records;

    @Inject
    DataMap dataMap;

    @Inject
    GuestDirectory guests;

    @Inject
    ConsentLedger consent;

    @Inject
    CrmErasure crms;

    @Inject
    Sponsors sponsors;

    @Inject
    PurpleErasure purple;

    @Inject
    WarehouseErasure warehouse;

    @Inject
    SuppressionList suppression;

    @Inject
    SubjectExports exports;

    @Inject
    @Any
    Instance<SubjectErasure> participants;

    @Inject
    Notices notices;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    /** Whether a step still has to run (a replayed work item must not redo a confirmed step). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean pending(String requestId, String system) {
        return Jdbc.inConnection(dataSource, "privacy", c -> records.steps(c, requestId, false).stream()
                .anyMatch(s -> s.system().equals(system) && s.state() == StepState.PENDING));
    }

    /** The local step of any request type, confirmed in the same transaction as its effects. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void runLocal(String requestId) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            PrivacyRequest request = records.load(c, requestId, true).orElseThrow();
            if (request.state() != RequestState.IN_PROGRESS) {
                return null;
            }
            NormalizedEmail email = email(c, requestId);
            String evidence = switch (request.type()) {
                case ERASURE -> eraseLocally(c, requestId, email);
                case ACCESS -> exports.create(c, request, email);
                case RECTIFICATION -> rectify(c, request, email);
                case OBJECTION -> object(requestId, email);
                case OPT_OUT -> optOut(requestId, email);
            };
            if (!records.finishStep(c, requestId, DataMap.LOCAL, StepState.CONFIRMED, evidence)) {
                return null;
            }
            trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_CONFIRMED").by("system:privacy").about(RequestRecords.ref(requestId))
                    .with("system", DataMap.LOCAL).build());
            for (RequestRecords.StepRow step : records.steps(c, requestId, false)) {
                if (step.state() == StepState.PENDING) {
                    queue.publish(new StepDue(requestId, step.system()));
                }
            }
            finishIfDone(c, requestId);
            return null;
        });
    }

    /** Erases the subject from this database: every module's part and the suppression record. */
    private String eraseLocally(Connection c, String requestId, NormalizedEmail email) throws SQLException {
        Optional<GuestId> guest = guests.find(email);
        // which sponsors received the guest goes with the erasure; they are told once it has ended (Art. 19)
        List<String> recipients = guest.isEmpty() ? List.of() : sponsors.receivedBy(guest.get().value());
        records.noteRecipients(c, requestId, recipients);
        SubjectErasure.Subject subject = new SubjectErasure.Subject(guest.map(GuestId::value).orElse(null), guests.subjectIndex(email));
        StringJoiner evidence = new StringJoiner(", ");
        for (SubjectErasure participant : participants) {
            evidence.add(participant.module() + " " + participant.erase(subject) + " rows");
        }
        Instant erasedAt = Instant.now();
        suppression.suppress(email, erasedAt);
        trail.record(AuditEvent.of("privacy", "SUBJECT_ERASED_LOCALLY").by("system:privacy").about(guest.map(GuestId::subjectRef)
                .orElse(RequestRecords.ref(requestId))).with("request", requestId).with("erasedAt", erasedAt).build());
        return evidence + "; suppressed from " + erasedAt.truncatedTo(ChronoUnit.SECONDS)
                + (recipients.isEmpty() ? "" : "; sponsors to tell when the erasure ends: " + String.join(", ", recipients));
    }

    /** Art. 16: the subject's corrections outrank every source (see SourceSystem#isRectification). */
    private String rectify(Connection c, PrivacyRequest request, NormalizedEmail email) throws SQLException {
        Optional<GuestId> guest = guests.find(email);
        if (guest.isEmpty()) {
            return "no profile held: nothing to correct";
        }
        String sealed = records.sealed(c, request.id(), "details_sealed");
        JsonObject corrections;
        try (JsonReader reader = Jsonp.JSON.createReader(new StringReader(new String(master.get().open(sealed, RequestRecords.ref(request.id())
                + "/details"), StandardCharsets.UTF_8)))) {
            corrections = reader.readObject();
        }
        SourceSystem source = PrivacyRequest.PORTAL.equals(request.channel()) ? SourceSystem.SUBJECT : SourceSystem.OPERATOR;
        Instant now = Instant.now();
        List<Observation> observations = new ArrayList<>();
        for (Map.Entry<String, jakarta.json.JsonValue> correction : corrections.entrySet()) {
            observations.add(new Observation(GuestField.valueOf(correction.getKey()), ((jakarta.json.JsonString) correction.getValue()).getString(),
                    source, now));
        }
        guests.update(guest.get(), new GuestUpdate(observations, Optional.empty(), Optional.empty(), Optional.empty()), "privacy-request:" + request.id());
        return observations.size() + " field(s) corrected: " + String.join(", ", corrections.keySet()) + "; the CRMs follow with the next sync";
    }

    /**
     * Art. 21: every marketing purpose not already withdrawn is withdrawn, also one the guest never granted here: the
     * objection covers the marketing a CRM does on a subscription made elsewhere (the venue's website), and only a
     * withdrawal unsubscribes there. The ledger queues the CRM sync that unsubscribes.
     */
    private String object(String requestId, NormalizedEmail email) {
        Optional<GuestId> guest = guests.find(email);
        if (guest.isEmpty()) {
            return "no profile held: nothing to withdraw";
        }
        List<String> withdrawn = new ArrayList<>();
        Instant now = Instant.now();
        for (String purpose : MARKETING_PURPOSES) {
            if (consent.current(guest.get(), purpose).orElse(null) != ConsentDecision.WITHDRAWN) {
                consent.append(new ConsentRecord(guest.get(), purpose, ConsentDecision.WITHDRAWN, null, null, now, "privacy-request:" + requestId,
                        Map.of("basis", "Art. 21 objection"), false, false), "privacy-request:" + requestId);
                withdrawn.add(purpose);
            }
        }
        return withdrawn.isEmpty() ? "every marketing consent was withdrawn already" : "withdrawn: " + String.join(", ", withdrawn) + "; the CRMs follow with the next sync";
    }

    /**
     * CCPA right to opt out of sale or sharing: what this system shares with third parties is the sponsors' exports, so
     * every sponsor consent is withdrawn (each registered sponsor's, also one never granted, and any other the ledger holds
     * for the subject) with the request as evidence, and every sponsor's current share of the guest stops in this
     * transaction, audited, instead of at the sponsor's next export.
     */
    private String optOut(String requestId, NormalizedEmail email) {
        Optional<GuestId> guest = guests.find(email);
        if (guest.isEmpty()) {
            return "no profile held: nothing shared, nothing to withdraw";
        }
        TreeSet<String> purposes = new TreeSet<>();
        sponsors.recipients().forEach(sponsor -> purposes.add(sponsor.consentPurpose()));
        consent.history(guest.get()).stream().map(ConsentLedger.Entry::purpose).filter(p -> p.startsWith(Sponsors.CONSENT_PREFIX)).forEach(purposes::add);
        List<String> withdrawn = new ArrayList<>();
        Instant now = Instant.now();
        for (String purpose : purposes) {
            if (consent.current(guest.get(), purpose).orElse(null) != ConsentDecision.WITHDRAWN) {
                consent.append(new ConsentRecord(guest.get(), purpose, ConsentDecision.WITHDRAWN, null, null, now, "privacy-request:" + requestId,
                        Map.of("basis", "CCPA opt-out of sale or sharing"), false, false), "privacy-request:" + requestId);
                withdrawn.add(purpose);
            }
        }
        List<String> stopped = sponsors.stopSharingWith(guest.get().value(), "system:privacy", RequestRecords.ref(requestId));
        return (withdrawn.isEmpty() ? "no sponsor consent to withdraw" : "withdrawn: " + String.join(", ", withdrawn))
                + (stopped.isEmpty() ? "; no sponsor was receiving the guest" : "; sharing stopped with sponsor(s): " + String.join(", ", stopped));
    }

    /** One attempt at another system's step; called outside any transaction (it waits on the network). */
    public StepResult runExternal(String requestId, String system) {
        Optional<DataMap.Entry> entry = dataMap.system(system);
        if (entry.isEmpty()) {
            return StepResult.refused("the system is no longer in the data map");
        }
        NormalizedEmail email = Jdbc.inConnection(dataSource, "privacy", c -> email(c, requestId));
        try {
            return switch (entry.get().kind()) {
                case CRM -> {
                    CrmErasure.Result result = crms.erase(system, email);
                    yield new StepResult(result.confirmed(), result.retryable(), result.evidence(), result.waitFor(), result.attempted());
                }
                case PURPLE -> purple.erase(entry.get(), email);
                case JDBC -> warehouse.erase(entry.get(), email);
                case LOCAL, MANUAL -> StepResult.refused("not a step that runs by itself");
            };
        } catch (IllegalStateException e) {
            return StepResult.refused(e.getMessage()); // a setting missing from the data map: the operator must act
        }
    }

    /** Records what an attempt came to, and ends the request when no step is open any more. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(String requestId, String system, StepResult result) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            records.load(c, requestId, true);
            if (result.confirmed() || !result.retryable()) {
                if (records.finishStep(c, requestId, system, StepState.ended(result.confirmed()), result.evidence())) {
                    trail.record(AuditEvent.of("privacy", result.confirmed() ? "PRIVACY_STEP_CONFIRMED" : "PRIVACY_STEP_FAILED").by("system:privacy")
                            .about(RequestRecords.ref(requestId)).with("system", system).build());
                    finishIfDone(c, requestId);
                }
            } else {
                records.attempted(c, requestId, system, result.evidence());
                trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_ATTEMPT_FAILED").by("system:privacy").about(RequestRecords.ref(requestId))
                        .with("system", system).build());
            }
            return null;
        });
    }

    /** Puts a step that is still pending back on the queue (after its work item gave up, or to resume at once). */
    @Transactional
    public boolean resume(String requestId, String system, String actor) {
        if (!pending(requestId, system)) {
            return false;
        }
        queue.publish(new StepDue(requestId, system));
        trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_RESUMED").by(actor).about(RequestRecords.ref(requestId)).with("system", system).build());
        return true;
    }

    /** With no step pending: waiting for operators, or the end (completed, or partially with the reasons). */
    public void finishIfDone(Connection c, String requestId) throws SQLException {
        PrivacyRequest request = records.load(c, requestId, true).orElseThrow();
        if (request.state() != RequestState.IN_PROGRESS && request.state() != RequestState.REQUIRES_INPUT) {
            return;
        }
        List<RequestRecords.StepRow> steps = records.steps(c, requestId, true);
        StepState.Progress progress = StepState.progress(steps.stream().map(RequestRecords.StepRow::state).toList());
        if (progress == StepState.Progress.RUNNING) {
            return;
        }
        if (progress == StepState.Progress.WAITING_FOR_OPERATOR) {
            if (request.state() == RequestState.IN_PROGRESS) {
                List<String> waiting = steps.stream().filter(s -> s.state() == StepState.AWAITING_OPERATOR).map(RequestRecords.StepRow::system).toList();
                records.move(c, request, RequestState.REQUIRES_INPUT, "waiting for an operator to confirm: " + String.join(", ", waiting), "system:privacy");
            }
            return;
        }
        StringJoiner reasons = new StringJoiner("; ");
        for (RequestRecords.StepRow step : steps) {
            if (step.state().needsExplaining()) {
                reasons.add(step.system() + ": " + step.evidence());
            }
        }
        RequestState end = progress == StepState.Progress.COMPLETED ? RequestState.COMPLETED : RequestState.PARTIALLY_COMPLETED;
        String outcome = end == RequestState.COMPLETED ? "every system confirmed" : reasons.toString();
        records.update(c, requestId, "outcome = ?", RequestRecords.truncate(outcome));
        records.move(c, request, end, outcome, "system:privacy");
        notices.send(c, requestId, Notices.Kind.OUTCOME);
        for (String recipient : records.recipientsToTell(c, requestId)) {
            notices.send(c, requestId, Notices.Kind.RECIPIENT_ERASURE, recipient);
        }
    }

    private NormalizedEmail email(Connection c, String requestId) throws SQLException {
        String sealed = records.sealed(c, requestId, "email_sealed");
        if (sealed == null) {
            throw new IllegalStateException("request " + requestId + " holds no email any more");
        }
        return new NormalizedEmail(new String(master.get().open(sealed, RequestRecords.ref(requestId)), StandardCharsets.UTF_8));
    }
}
