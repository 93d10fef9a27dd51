package io.guestbridge.privacy.internal.lifecycle;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.privacy.internal.datamap.DataMap;
import io.guestbridge.privacy.internal.notices.MailWords;
import io.guestbridge.privacy.internal.notices.Notices;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.Regime;
import io.guestbridge.privacy.internal.requests.Regimes;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.RequestType;
import io.guestbridge.privacy.internal.requests.RequestStep;
import io.guestbridge.privacy.internal.steps.RequestSteps;
import io.guestbridge.privacy.internal.steps.StepDue;
import io.guestbridge.privacy.internal.suppression.SuppressionList;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import io.guestbridge.platform.api.RetriedOnConflict;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;


/**
 * The life of data-subject requests: intake (staff-verified or through the subject portal with an
 * emailed one-time code), verification, duplicates, approval, the steps of the data map, the statutory
 * clock and its extension, manual confirmations. The steps themselves run in {@link RequestSteps}.
 * Every effect of its transactions is in the database (mails are queued, not sent), so one the database refused as a
 * conflict is run again: on a Galera cluster two instances receiving requests through two nodes meet at their commits.
 */
@ApplicationScoped
@RetriedOnConflict
public class PrivacyRequests {

    /** How a held step's evidence starts; the rest is the data map's Art. 17(3) rationale, which the subject is shown. */
    public static final String HELD_BECAUSE = "kept under Art. 17(3): ";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    RequestRecords records;

    @Inject
    SuppressionList suppression;

    @Inject
    DataMap dataMap;

    @Inject
    Notices notices;

    @Inject
    RequestSteps steps;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    @Inject
    Config config;

    @Inject
    Regimes regimes;

    /** A request as the API shows it: no personal data. */
    @Schema(name = "PrivacyRequest", requiredProperties = {"id", "type", "regime", "channel", "state", "receivedAt", "dueAt", "daysLeft", "overdue",
            "steps", "history"})
    public record View(String id, @Schema(enumeration = {"ERASURE", "ACCESS", "RECTIFICATION", "OBJECTION", "OPT_OUT"}) String type,
                       @Schema(enumeration = {"GDPR", "UK_GDPR", "CCPA"}, description = "The law the request is answered under: its clock, "
                               + "extension and notices follow it") String regime,
                       @Schema(enumeration = {PrivacyRequest.STAFF, PrivacyRequest.PORTAL, PrivacyRequest.RETENTION}) String channel, @Schema(enumeration = {"RECEIVED", "IDENTITY_UNVERIFIED", "VERIFIED", "AWAITING_APPROVAL", "IN_PROGRESS", "REQUIRES_INPUT", "COMPLETED", "PARTIALLY_COMPLETED", "REJECTED", "CANCELLED", "EXPIRED"}) String state,
                       Instant receivedAt, Instant dueAt, @Schema(type = SchemaType.INTEGER, format = "int64") long daysLeft, boolean overdue,
                       String extendedReason, String verifiedBy, Instant verifiedAt, Instant completedAt, String duplicateOf, String outcome,
                       List<Step> steps, List<Event> history) {
    }

    @Schema(name = "PrivacyStep", requiredProperties = {"system", "kind", "state", "attempts"})
    public record Step(String system, @Schema(enumeration = {"LOCAL", "CRM", "PURPLE", "JDBC", "MANUAL"}) String kind,
                       @Schema(description = "PENDING, AWAITING_OPERATOR, CONFIRMED, HELD (kept under Art. 17(3)) or FAILED") String state, int attempts, String evidence, Instant confirmedAt, Instant taskDueAt) {
    }

    @Schema(name = "PrivacyRequestEvent", requiredProperties = {"at", "state"})
    public record Event(Instant at, @Schema(enumeration = {"RECEIVED", "IDENTITY_UNVERIFIED", "VERIFIED", "AWAITING_APPROVAL", "IN_PROGRESS", "REQUIRES_INPUT", "COMPLETED", "PARTIALLY_COMPLETED", "REJECTED", "CANCELLED", "EXPIRED"}) String state, String note) {
    }

    /** What the subject portal may learn about its own request (by id, which only the requester knows). */
    @Schema(name = "SubjectRequestStatus", requiredProperties = {"id", "type", "state", "dueAt"})
    public record PortalView(String id, @Schema(enumeration = {"ERASURE", "ACCESS", "RECTIFICATION", "OBJECTION", "OPT_OUT"}) String type,
                             @Schema(enumeration = {"RECEIVED", "IDENTITY_UNVERIFIED", "VERIFIED", "AWAITING_APPROVAL", "IN_PROGRESS", "REQUIRES_INPUT", "COMPLETED", "PARTIALLY_COMPLETED", "REJECTED", "CANCELLED", "EXPIRED"}) String state, Instant dueAt) {
    }

    /** The result of entering a code: the request moved on, or how many attempts remain. */
    public record Verification(boolean verified, int attemptsLeft, String problem, PortalView request) {
    }

    /**
     * Takes a request. With {@code verifiedBy} (staff checked the requester's identity) it goes on at once;
     * without, a one-time code is mailed to the address and nothing runs until it is entered.
     */
    @Transactional
    public String receive(RequestType type, NormalizedEmail email, String details, String channel, String verifiedBy, String actor) {
        return receive(type, email, details, channel, verifiedBy, actor, null);
    }

    /** As {@link #receive(RequestType, NormalizedEmail, String, String, String, String)}, with the language the subject's mail is written in. */
    @Transactional
    public String receive(RequestType type, NormalizedEmail email, String details, String channel, String verifiedBy, String actor, Locale language) {
        return receive(type, email, details, channel, verifiedBy, actor, language, regimes.choose(null, null));
    }

    /** As {@link #receive(RequestType, NormalizedEmail, String, String, String, String, Locale)}, under the regime chosen for it. */
    @Transactional
    public String receive(RequestType type, NormalizedEmail email, String details, String channel, String verifiedBy, String actor, Locale language,
                          Regimes.Choice regime) {
        return Jdbc.inConnection(dataSource, "privacy", c -> receive(c, type, email, details, channel, verifiedBy, actor, language, regime).id());
    }

    /**
     * As {@link #receive(RequestType, NormalizedEmail, String, String, String, String, Locale, Regimes.Choice)}, answering
     * with the request as staff see it once received: read in the transaction that received it, not in another after it.
     */
    @Transactional
    public View receiveAndView(RequestType type, NormalizedEmail email, String details, String channel, String verifiedBy, String actor,
                               Locale language, Regimes.Choice regime) {
        return Jdbc.inConnection(dataSource, "privacy", c -> view(c, receive(c, type, email, details, channel, verifiedBy, actor, language, regime)));
    }

    private PrivacyRequest receive(Connection c, RequestType type, NormalizedEmail email, String details, String channel, String verifiedBy,
                                   String actor, Locale language, Regimes.Choice regime) throws SQLException {
        regime.regime().require(type);
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        SecretBox box = master.get();
        PrivacyRequest request = records.insert(id, type, regime.regime(), regime.from(), channel, suppression.hash(email),
                box.seal(email.value().getBytes(StandardCharsets.UTF_8), RequestRecords.ref(id)),
                details == null ? null : box.seal(details.getBytes(StandardCharsets.UTF_8), RequestRecords.ref(id) + "/details"), now, MailWords.tag(language));
        if (verifiedBy != null) {
            request.verified(verifiedBy, now);
            return afterVerification(c, records.move(request, RequestState.VERIFIED, "identity verified by staff: " + verifiedBy, actor), actor);
        }
        records.move(request, RequestState.IDENTITY_UNVERIFIED, "a one-time code is mailed to the address given", actor);
        notices.send(c, request, Notices.Kind.VERIFICATION);
        return request;
    }

    /** Checks a code entered in the portal; wrong codes are counted (and committed), too many reject the request. */
    @Transactional
    public Verification verify(String id, String code) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            PrivacyRequest request = locked(id);
            if (request.state() != RequestState.IDENTITY_UNVERIFIED) {
                throw ProblemException.conflict("Request " + id + " is not waiting for a code (it is " + request.state() + ").");
            }
            if (request.codeHash() == null) {
                throw new ProblemException(io.guestbridge.platform.api.ProblemType.UNAVAILABLE,
                        "The code is still on its way; try again in a minute.", java.util.Map.of("retryAfterSeconds", 30));
            }
            if (Instant.now().isAfter(request.codeExpiresAt())) {
                records.move(request, RequestState.EXPIRED, "the code expired before it was entered", "subject");
                notices.forget(id);
                return new Verification(false, 0, "The code expired; please send a new request.", null);
            }
            int max = maxAttempts();
            if (code == null || !MessageDigest.isEqual(notices.codeHash(id, code.strip()).getBytes(StandardCharsets.US_ASCII),
                    request.codeHash().getBytes(StandardCharsets.US_ASCII))) {
                int attempts = request.codeRejected();
                trail.record(AuditEvent.of("privacy", "PRIVACY_CODE_REJECTED").by("subject").about(RequestRecords.ref(id))
                        .with("attempt", attempts).build());
                if (attempts >= max) {
                    records.move(request, RequestState.REJECTED, "identity not verified: " + attempts + " wrong codes", "subject");
                    notices.forget(id);
                    return new Verification(false, 0, "Too many wrong codes: the request is closed. Please send a new request.", null);
                }
                return new Verification(false, max - attempts, "The code is not right; " + (max - attempts) + " attempt(s) left.", null);
            }
            int attempts = request.codeAttempts();
            request.verified("emailed one-time code", Instant.now());
            PrivacyRequest verified = records.move(request, RequestState.VERIFIED, "identity verified by the emailed one-time code", "subject");
            verified = afterVerification(c, verified, "subject");
            return new Verification(true, max - attempts, null, portal(verified));
        });
    }

    /** A duplicate of a running request is closed (after its own verification); otherwise approval or the steps follow. */
    private PrivacyRequest afterVerification(Connection c, PrivacyRequest request, String actor) throws SQLException {
        Optional<PrivacyRequest> running = records.runningLike(request);
        if (running.isPresent()) {
            PrivacyRequest closed = records.closeAsDuplicate(request, running.get(), "duplicate of " + running.get().id()
                    + ", which is already running; verified again and closed", actor);
            notices.send(c, closed, Notices.Kind.OUTCOME);
            return closed;
        }
        notices.send(c, request, Notices.Kind.RECEIPT);
        if (approvalRequired(request.type())) {
            return records.move(request, RequestState.AWAITING_APPROVAL, "waits for the DPO's approval", actor);
        }
        return start(c, request, actor);
    }

    /** One step per system of the data map (erasure) or one local step; the local step runs first. */
    private PrivacyRequest start(Connection c, PrivacyRequest request, String actor) throws SQLException {
        List<RequestStep> steps = new ArrayList<>();
        steps.add(RequestStep.pending(request.id(), DataMap.LOCAL, DataMap.Kind.LOCAL.name()));
        if (request.type() == RequestType.ERASURE) {
            for (DataMap.Entry system : dataMap.otherSystems()) {
                if (system.hold().isPresent()) {
                    steps.add(RequestStep.held(request.id(), system.name(), system.kind().name(), HELD_BECAUSE + system.hold().get()));
                } else if (system.kind() == DataMap.Kind.MANUAL) {
                    int days = Integer.parseInt(system.settings().getOrDefault("task-days", "7").strip());
                    steps.add(RequestStep.awaitingOperator(request.id(), system.name(), system.kind().name(),
                            "operator task: " + system.settings().getOrDefault("task", "delete the subject's records and confirm"),
                            Instant.now().plus(days, ChronoUnit.DAYS)));
                } else {
                    steps.add(RequestStep.pending(request.id(), system.name(), system.kind().name()));
                }
            }
        }
        records.insertSteps(c, steps);
        List<String> names = steps.stream().map(RequestStep::system).toList();
        PrivacyRequest started = records.move(request, RequestState.IN_PROGRESS, "steps: " + String.join(", ", names), actor);
        // this database first: for an erasure its step also removes pending CRM sync work, so nothing can re-create
        // the contact after a CRM deleted it; the other systems' steps are queued when it is confirmed
        queue.publishDueSince(new StepDue(request.id(), DataMap.LOCAL), request.receivedAt()); // an approved request waited already
        return started;
    }

    @Transactional
    public View approve(String id, String actor) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            PrivacyRequest request = locked(id);
            if (request.state() != RequestState.AWAITING_APPROVAL) {
                throw ProblemException.conflict("Request " + id + " is " + request.state() + ", not awaiting approval.");
            }
            start(c, request, actor);
            return view(c, id);
        });
    }

    /** Rejects (a manifestly unfounded or excessive request, Art. 12(5)) or cancels (the subject withdrew it) before anything ran. */
    @Transactional
    public View close(String id, RequestState end, String reason, String actor) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            PrivacyRequest request = locked(id);
            request.requireMove(end);
            request.outcome(reason);
            records.move(request, end, reason, actor);
            notices.send(c, request, Notices.Kind.OUTCOME);
            return view(c, id);
        });
    }

    @Transactional
    public View extend(String id, int months, String reason, String actor) {
        return extend(id, months, null, reason, actor);
    }

    /** The one extension of the request's regime: by {@code months} (GDPR, UK GDPR) or {@code days} (CCPA; null means its 45). */
    @Transactional
    public View extend(String id, Integer months, Integer days, String reason, String actor) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            PrivacyRequest request = locked(id);
            Instant due = request.extend(months, days, reason, Instant.now());
            String by = request.regime() == Regime.CCPA ? Regime.CCPA_DAYS + " days" : months + " month(s)";
            records.event(c, id, request.state().name(), "due date extended by " + by + " to " + due + " (" + request.regime().extensionProvision + "): " + reason);
            trail.record(AuditEvent.of("privacy", "PRIVACY_REQUEST_EXTENDED").by(actor).about(RequestRecords.ref(id)).with("regime", request.regime().name())
                    .with("extendedBy", by).with("dueAt", due).build());
            notices.send(c, request, Notices.Kind.EXTENSION);
            return view(c, id);
        });
    }

    /** An operator confirms a manual step (a system without an API), with what they did as evidence. */
    @Transactional
    public View confirmManually(String id, String system, String evidence, String actor) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            locked(id);
            // by SQL like the steps that run by themselves: finishIfDone reads the steps by SQL (bench/privacy)
            Optional<RequestStep> waiting = records.stepRows(c, id, true).stream().filter(s -> s.system().equals(system) && s.awaitsOperator())
                    .findFirst();
            Instant now = Instant.now();
            if (waiting.isEmpty() || !records.changeStep(c, waiting.get(), s -> s.confirm("confirmed by an operator: " + evidence, now))) {
                throw ProblemException.conflict("Request " + id + " has no step '" + system + "' waiting for an operator.");
            }
            trail.record(AuditEvent.of("privacy", "PRIVACY_STEP_CONFIRMED").by(actor).about(RequestRecords.ref(id)).with("system", system)
                    .with("manual", true).build());
            steps.finishIfDone(c, id);
            return view(c, id);
        });
    }

    /**
     * One request as staff see it, read once in one transaction: outside a transaction the store would open one for each
     * read (the request, its steps, its history), and bench/privacy polls this view while its erasures run.
     */
    @Transactional
    public Optional<View> view(String id) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            Optional<PrivacyRequest> request = records.load(id, false);
            return request.isEmpty() ? Optional.<View>empty() : Optional.of(view(c, request.get()));
        });
    }

    /** Requests by state: "open", "overdue", or a state's name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> list(String filter, int limit) {
        return list(filter, null, limit);
    }

    /** Requests by state ("open", "overdue", or a state's name), and of one regime when {@code regime} is given. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<View> list(String filter, String regime, int limit) {
        Regime of = regime == null ? null : Regime.parse(regime);
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            List<PrivacyRequest> found;
            String ofRegime = of == null ? "" : " AND r.regime = ?2";
            String open = "r.state IN ?1" + ofRegime;
            switch (filter == null ? "open" : filter.strip().toLowerCase(Locale.ROOT)) {
                case "open" -> found = records.query(open, limit, of == null ? new Object[]{RequestState.OPEN} : new Object[]{RequestState.OPEN, of});
                case "overdue" -> found = records.query(open + " AND r.dueAt < ?" + (of == null ? 2 : 3), limit,
                        of == null ? new Object[]{RequestState.OPEN, Instant.now()} : new Object[]{RequestState.OPEN, of, Instant.now()});
                default -> {
                    RequestState state;
                    try {
                        state = RequestState.valueOf(filter.strip().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw ProblemException.invalid("state must be open, overdue or one of " + Arrays.toString(RequestState.values()) + ".");
                    }
                    found = records.query("r.state = ?1" + ofRegime, limit, of == null ? new Object[]{state} : new Object[]{state, of});
                }
            }
            return views(c, found);
        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<PortalView> portalView(String id) {
        return records.load(id, false).map(this::portal);
    }

    View view(Connection c, String id) throws SQLException {
        return view(c, records.load(id, false).orElseThrow());
    }

    /** The view of a request this transaction holds as its row stands. */
    private View view(Connection c, PrivacyRequest r) throws SQLException {
        return view(r, records.steps(r.id(), false), records.history(c, r.id()), Instant.now());
    }

    /** The views of requests already read, their steps and histories in two queries for all of them. */
    public List<View> views(Connection c, List<PrivacyRequest> found) throws SQLException {
        List<String> ids = found.stream().map(PrivacyRequest::id).toList();
        Map<String, List<RequestStep>> steps = records.steps(ids);
        Map<String, List<RequestRecords.EventRow>> histories = records.histories(c, ids);
        Instant now = Instant.now();
        List<View> views = new ArrayList<>(found.size());
        for (PrivacyRequest r : found) {
            views.add(view(r, steps.getOrDefault(r.id(), List.of()), histories.getOrDefault(r.id(), List.of()), now));
        }
        return views;
    }

    private static View view(PrivacyRequest r, List<RequestStep> steps, List<RequestRecords.EventRow> history, Instant now) {
        return new View(r.id(), r.type().name(), r.regime().name(), r.channel(), r.state().name(), r.receivedAt(), r.dueAt(), r.daysLeft(now), r.overdue(now),
                r.extendedReason(), r.verifiedBy(), r.verifiedAt(), r.completedAt(), r.duplicateOf(), r.outcome(),
                steps.stream().map(s -> new Step(s.system(), s.kind(), s.state().name(), s.attempts(), s.evidence(), s.confirmedAt(),
                        s.taskDueAt())).toList(),
                history.stream().map(e -> new Event(e.at(), e.state(), e.note())).toList());
    }

    private PortalView portal(PrivacyRequest request) {
        return new PortalView(request.id(), request.type().name(), request.state().name(), request.dueAt());
    }

    /** The address a request is made for, as entered by staff or the subject; one that is not an address is a validation problem. */
    public static NormalizedEmail email(String value) {
        try {
            return NormalizedEmail.parse(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("email: " + e.getMessage());
        }
    }

    private PrivacyRequest locked(String id) {
        return records.load(id, true).orElseThrow(() -> ProblemException.notFound("There is no privacy request " + id + "."));
    }

    private boolean approvalRequired(RequestType type) {
        return Arrays.stream(config.getOptionalValue("privacy.approval.required-for", String.class).orElse("").split(","))
                .map(s -> s.strip().toUpperCase(Locale.ROOT)).anyMatch(type.name()::equals);
    }

    public int maxAttempts() {
        return config.getOptionalValue("privacy.verification.max-attempts", Integer.class).orElse(5);
    }
}
