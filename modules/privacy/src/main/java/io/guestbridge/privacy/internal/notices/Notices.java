package io.guestbridge.privacy.internal.notices;

import io.guestbridge.platform.api.MailSender;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.crmsync.api.Sponsors;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.privacy.internal.exports.SubjectExports;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.RequestType;
import io.guestbridge.privacy.internal.suppression.SuppressionList;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The mail of the privacy module: one-time codes and notices to the subject (receipt, extension, the
 * outcome with its reasons, the access export's link) and escalations to the DPO. A notice is queued in
 * the transaction of the change it reports and sent by {@link NoticeHandler}, so a mail server that is
 * down delays it and loses nothing. The subject's address is opened only to send; once the outcome is
 * sent (or mail is off) the request keeps no address at all.
 */
@ApplicationScoped
public class Notices {


    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy").withZone(ZoneOffset.UTC);

    /** {@code RECIPIENT_ERASURE}: a sponsor that received an erased guest is told (Art. 19), with the request's reference only. */
    public enum Kind { VERIFICATION, RECEIPT, EXTENSION, OUTCOME, DPO_DUE_SOON, DPO_STEP_FAILING, DPO_TASK_OVERDUE, RECIPIENT_ERASURE;

        boolean toSubject() {
            return this == VERIFICATION || this == RECEIPT || this == EXTENSION || this == OUTCOME;
        }
    }

    /** A mail ready to go. */
    public record Mail(String to, String subject, String body) {
        @Override
        public String toString() {
            return "Mail[" + subject + ", address and body redacted]";
        }
    }

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    RequestRecords records;

    @Inject
    SubjectExports exports;

    @Inject
    SuppressionList hashes;

    @Inject
    MailSender mailer;

    @Inject
    Sponsors sponsors;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    @Inject
    Config config;

    private final SecureRandom random = new SecureRandom();

    /** Queues a notice in the caller's transaction; without mail, notes that none goes out (and drops the address at the end). */
    public void send(Connection c, String requestId, Kind kind) throws SQLException {
        send(c, requestId, kind, null);
    }

    /** As {@link #send(Connection, String, Kind)}, for a request the caller's transaction holds as its row stands. */
    public void send(Connection c, PrivacyRequest request, Kind kind) throws SQLException {
        send(c, request, kind, null);
    }

    public void send(Connection c, String requestId, Kind kind, String system) throws SQLException {
        send(c, records.load(requestId, false).orElseThrow(), kind, system);
    }

    /**
     * As {@link #send(Connection, String, Kind, String)}, for a request the caller's transaction holds as its row stands
     * (read, or moved, in it): not read again.
     */
    public void send(Connection c, PrivacyRequest request, Kind kind, String system) throws SQLException {
        String requestId = request.id();
        boolean toDpo = kind.name().startsWith("DPO_");
        if (kind.toSubject()) {
            if (request.channel().equals(PrivacyRequest.RETENTION)) {
                // nobody asked: a guest who has not been seen for years is not mailed about the erasure of what we held
                records.event(c, requestId, request.state().name(), "no " + kind.name().toLowerCase() + " mail sent: the request is "
                        + "system-initiated (retention policy)");
                if (kind == Kind.OUTCOME) {
                    forget(requestId);
                }
                return;
            }
        }
        if (!mailer.enabled() || (toDpo && dpo().isEmpty())) {
            records.event(c, requestId, request.state().name(),
                    "no " + kind.name().toLowerCase() + " mail sent" + (system == null || toDpo ? "" : " to " + system) + ": "
                            + (mailer.enabled() ? "privacy.dpo.email" : "privacy.mail.smtp-host") + " is not configured");
            if (kind == Kind.RECIPIENT_ERASURE) {
                records.recipientSettled(c, requestId, system, false, "not told: no mail relay configured");
            }
            if (kind == Kind.OUTCOME) {
                forget(requestId);
            }
            return;
        }
        queue.publish(new NoticeDue(requestId, kind, system));
    }

    /** The request keeps no address or corrections any more (after its last notice, or when it ends unverified). */
    public void forget(String requestId) {
        records.load(requestId, false).ifPresent(PrivacyRequest::forgetPersonalData);
    }

    /** A notice the queue handed over: its request, kind, and the sponsor or system it concerns (or null). */
    public record Due(String requestId, Kind kind, String system) {
    }

    /**
     * Prepares a batch of notices in one transaction: their requests are read and locked by one statement, and a code or
     * an export link is created here, committed before the mail goes out. Each notice's mail by its place in {@code due};
     * empty: nothing to send (the request is gone, or holds no address any more).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Optional<Mail>> prepareAll(List<Due> due) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            Map<String, PrivacyRequest> requests = records.rows(c, due.stream().map(Due::requestId).toList(), true);
            List<Optional<Mail>> mails = new ArrayList<>(due.size());
            for (Due notice : due) {
                PrivacyRequest request = requests.get(notice.requestId());
                mails.add(request == null ? Optional.empty() : prepare(c, request, notice.kind(), notice.system()));
            }
            return mails;
        });
    }

    private Optional<Mail> prepare(Connection c, PrivacyRequest request, Kind kind, String system) throws SQLException {
        String requestId = request.id();
        String ref = request.type().name().toLowerCase() + " request " + request.id();
        if (kind == Kind.RECIPIENT_ERASURE) {
            return recipientNotice(c, request, system);
        }
        if (kind.name().startsWith("DPO_")) {
            String body = switch (kind) {
                case DPO_DUE_SOON -> "The " + ref + " (" + request.regime().provision(request.type()) + ") is " + request.state() + " and due on "
                        + DAY.format(request.dueAt()) + " (" + request.daysLeft(Instant.now()) + " day(s) left).";
                case DPO_STEP_FAILING -> "The " + ref + " keeps failing at system '" + system + "'. Its last answer is in the request's steps; "
                        + "fix the system or resume the step (POST /api/v1/privacy/requests/" + request.id() + "/steps/" + system + "/resumption).";
                default -> "The operator task for system '" + system + "' of the " + ref + " is past its deadline.";
            };
            return Optional.of(new Mail(dpo().orElseThrow(), "[guestbridge] " + kind.name().toLowerCase().replace('_', ' ') + ": " + ref,
                    body + "\n\nRegime: " + request.regime().label + "\nDue: " + DAY.format(request.dueAt()) + "\nState: " + request.state() + "\n"));
        }
        String sealed = request.emailSealed();
        if (sealed == null) {
            return Optional.empty();
        }
        String to = new String(master.get().open(sealed, RequestRecords.ref(requestId)), StandardCharsets.UTF_8);
        Locale language = MailWords.of(request.language());
        String what = MailWords.text(language, "what." + request.type().name());
        return Optional.ofNullable(switch (kind) {
            case VERIFICATION -> {
                if (request.state() != RequestState.IDENTITY_UNVERIFIED) {
                    yield null;
                }
                String code = String.format("%08d", random.nextInt(100_000_000));
                Instant expires = Instant.now().plus(verificationWindow());
                request.codeSent(codeHash(requestId, code), expires);
                records.codeSentRow(c, request);
                records.event(c, requestId, request.state().name(), "one-time code sent, valid until " + expires);
                yield new Mail(to, MailWords.text(language, "notice.verification.subject"), MailWords.text(language, "notice.verification.body",
                        what, code, until(expires, language), request.id()));
            }
            // the dates are the regime's own days (California's for the CCPA)
            case RECEIPT -> new Mail(to, MailWords.text(language, "notice.receipt.subject"), MailWords.text(language, "notice.receipt.body", what,
                    MailWords.text(language, "law." + request.regime().name() + "." + request.type().name()),
                    MailWords.day(request.receivedAt(), language, request.regime().zone), MailWords.day(request.dueAt(), language, request.regime().zone),
                    request.id()));
            case EXTENSION -> new Mail(to, MailWords.text(language, "notice.extension.subject"), MailWords.text(language, "notice.extension.body",
                    what, MailWords.day(request.dueAt(), language, request.regime().zone), request.extendedReason(), request.id(),
                    MailWords.text(language, "law." + request.regime().name() + ".extension")));
            case OUTCOME -> outcome(c, request, to, what, language);
            default -> null;
        });
    }

    /**
     * The recipient notice: the sponsor learns that a guest it received was erased, under which request, and that the
     * data protection officer identifies the person to it; the mail carries nothing about the person.
     */
    private Optional<Mail> recipientNotice(Connection c, PrivacyRequest request, String recipient) throws SQLException {
        if (!records.recipientsToTell(c, request.id()).contains(recipient)) {
            return Optional.empty();
        }
        Optional<Sponsors.Recipient> sponsor = sponsors.recipients().stream().filter(s -> s.id().equals(recipient)).findFirst();
        if (sponsor.isEmpty() || sponsor.get().contactEmail() == null) {
            String why = sponsor.isEmpty() ? "no longer registered" : "no contact address registered";
            records.recipientSettled(c, request.id(), recipient, false, "not told: " + why);
            records.event(c, request.id(), request.state().name(), "sponsor " + recipient + " not told of the erasure: " + why);
            trail.record(AuditEvent.of("privacy", "PRIVACY_RECIPIENT_NOT_NOTIFIED").by("system:privacy").about(RequestRecords.ref(request.id()))
                    .with("recipient", recipient).with("reason", why).build());
            return Optional.empty();
        }
        Sponsors.Recipient to = sponsor.get();
        String body = "Under " + request.regime().recipientProvision() + " we tell you that we have erased the personal data of a person whose data "
                + "we shared with you under agreement " + to.agreementRef() + " (" + to.name() + ").\n\n"
                + "Please erase what you received about this person under that agreement, and confirm it to our data protection officer "
                + "quoting the reference below. The officer identifies the person to you on request; this mail carries none of their data.\n\n"
                + "Erased: " + DAY.format(request.completedAt() == null ? Instant.now() : request.completedAt()) + "\n"
                + "Reference: privacy request " + request.id() + "\n";
        return Optional.of(new Mail(to.contactEmail(), "[guestbridge] Erasure of shared personal data (" + request.regime().recipientProvision()
                + "): request " + request.id(), body));
    }

    private Mail outcome(Connection c, PrivacyRequest request, String to, String what, Locale language) throws SQLException {
        String body = switch (request.state()) {
            case COMPLETED -> request.type() == RequestType.ACCESS ? exportReady(c, request, language)
                    : MailWords.text(language, "outcome.COMPLETED", what);
            case PARTIALLY_COMPLETED -> MailWords.text(language, "outcome.PARTIALLY_COMPLETED", what, request.outcome());
            case REJECTED -> MailWords.text(language, "outcome.REJECTED", what, request.outcome());
            case CANCELLED -> request.duplicateOf() != null ? MailWords.text(language, "outcome.CANCELLED.duplicate", request.duplicateOf())
                    : MailWords.text(language, "outcome.CANCELLED", what, request.outcome());
            default -> null;
        };
        return body == null ? null : new Mail(to, MailWords.text(language, "notice.outcome.subject", MailWords.text(language, "outcome.state." + request.state().name())),
                body + MailWords.text(language, "notice.request", request.id()));
    }

    private String exportReady(Connection c, PrivacyRequest request, Locale language) throws SQLException {
        String link = exports.issueLink(c, request.id());
        // the page the link opens speaks the language the request was made in
        return link == null ? MailWords.text(language, "export.gone")
                : MailWords.text(language, "export.ready", exports.linkLifetime().toDays(), "en".equals(language.getLanguage()) ? link
                : link + "?lang=" + language.getLanguage());
    }

    private static String day(Instant instant, Locale language) {
        return MailWords.day(instant, language, ZoneOffset.UTC);
    }

    private static String until(Instant instant, Locale language) {
        return MailWords.text(language, "time.until", day(instant, language), DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(instant));
    }

    /** A notice that went out: its request, kind, the sponsor a recipient notice went to (or null), and its work item. */
    public record Sent(String requestId, Kind kind, String recipient, WorkItem item) {
    }

    /**
     * Records a batch of sent notices in one transaction, each with its history row and audit record, its work item
     * completed in it too; after a sent outcome the request's address goes.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sentAll(List<Sent> sent) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            Map<String, PrivacyRequest> requests = records.rows(c, sent.stream().map(Sent::requestId).toList(), true);
            List<String> forget = new ArrayList<>();
            for (Sent notice : sent) {
                queue.complete(notice.item());
                PrivacyRequest request = requests.get(notice.requestId());
                if (request == null) {
                    continue; // gone since it was prepared (a retention purge): nothing left to note it on
                }
                String requestId = request.id();
                if (notice.kind() == Kind.RECIPIENT_ERASURE) {
                    if (records.recipientSettled(c, requestId, notice.recipient(), true, null)) {
                        records.event(c, requestId, request.state().name(), "sponsor " + notice.recipient() + " told of the erasure");
                        trail.record(AuditEvent.of("privacy", "PRIVACY_RECIPIENT_NOTIFIED").by("system:privacy").about(RequestRecords.ref(requestId))
                                .with("recipient", notice.recipient()).with("provision", request.regime().recipientProvision()).build());
                    }
                    continue;
                }
                records.event(c, requestId, request.state().name(), notice.kind().name().toLowerCase().replace('_', ' ') + " mail sent");
                trail.record(AuditEvent.of("privacy", "PRIVACY_NOTICE_SENT").by("system:privacy").about(RequestRecords.ref(requestId))
                        .with("notice", notice.kind()).build());
                if (notice.kind() == Kind.OUTCOME) {
                    forget.add(requestId);
                }
            }
            records.forgetRows(c, forget);
            return null;
        });
    }

    /** The stored form of a request's one-time code: keyed by the request, so equal codes of two requests differ. */
    public String codeHash(String requestId, String code) {
        return hashes.keyedHash("privacy-code/v1", requestId + ":" + code);
    }

    public Duration verificationWindow() {
        return Duration.ofMinutes(config.getOptionalValue("privacy.verification.window-minutes", Long.class).orElse(60L * 24));
    }

    private Optional<String> dpo() {
        return config.getOptionalValue("privacy.dpo.email", String.class).map(String::strip).filter(s -> !s.isEmpty());
    }
}
