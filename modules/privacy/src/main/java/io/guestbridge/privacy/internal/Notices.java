package io.guestbridge.privacy.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WorkQueue;
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

    public enum Kind { VERIFICATION, RECEIPT, EXTENSION, OUTCOME, DPO_DUE_SOON, DPO_STEP_FAILING, DPO_TASK_OVERDUE }

    /** A mail ready to go. */
    record Mail(String to, String subject, String body) {
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
    PrivacyRequests requests;

    @Inject
    Mailer mailer;

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
    void send(Connection c, String requestId, Kind kind) throws SQLException {
        send(c, requestId, kind, null);
    }

    void send(Connection c, String requestId, Kind kind, String system) throws SQLException {
        boolean toDpo = kind.name().startsWith("DPO_");
        if (!mailer.enabled() || (toDpo && mailer.dpo().isEmpty())) {
            records.event(c, requestId, records.load(c, requestId, false).orElseThrow().state().name(),
                    "no " + kind.name().toLowerCase() + " mail sent: " + (mailer.enabled() ? "privacy.dpo.email" : "privacy.mail.smtp-host") + " is not configured");
            if (kind == Kind.OUTCOME) {
                forget(c, requestId);
            }
            return;
        }
        queue.publish(new NoticeDue(requestId, kind, system));
    }

    /** The request keeps no address or corrections any more (after its last notice, or when it ends unverified). */
    void forget(Connection c, String requestId) throws SQLException {
        records.update(c, requestId, "email_sealed = NULL, details_sealed = NULL, code_hash = NULL");
    }

    /** Prepares one notice; a code or an export link is created here, committed before the mail goes out. Empty: nothing to send. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Mail> prepare(String requestId, Kind kind, String system) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            PrivacyRequest request = records.load(c, requestId, true).orElse(null);
            if (request == null) {
                return Optional.<Mail>empty();
            }
            String ref = request.type().name().toLowerCase() + " request " + request.id();
            if (kind.name().startsWith("DPO_")) {
                String body = switch (kind) {
                    case DPO_DUE_SOON -> "The " + ref + " (" + request.type().article + ") is " + request.state() + " and due on "
                            + DAY.format(request.dueAt()) + " (" + request.daysLeft(Instant.now()) + " day(s) left).";
                    case DPO_STEP_FAILING -> "The " + ref + " keeps failing at system '" + system + "'. Its last answer is in the request's steps; "
                            + "fix the system or resume the step (POST /api/v1/privacy/requests/" + request.id() + "/steps/" + system + "/resumption).";
                    default -> "The operator task for system '" + system + "' of the " + ref + " is past its deadline.";
                };
                return Optional.of(new Mail(mailer.dpo().orElseThrow(), "[guestbridge] " + kind.name().toLowerCase().replace('_', ' ') + ": " + ref,
                        body + "\n\nDue: " + DAY.format(request.dueAt()) + "\nState: " + request.state() + "\n"));
            }
            String sealed = records.sealed(c, requestId, "email_sealed");
            if (sealed == null) {
                return Optional.<Mail>empty();
            }
            String to = new String(master.get().open(sealed, RequestRecords.ref(requestId)), StandardCharsets.UTF_8);
            String what = switch (request.type()) {
                case ERASURE -> "to erase your personal data";
                case ACCESS -> "for a copy of your personal data";
                case RECTIFICATION -> "to correct your personal data";
                case OBJECTION -> "to stop direct marketing to you";
            };
            return Optional.ofNullable(switch (kind) {
                case VERIFICATION -> {
                    if (request.state() != RequestState.IDENTITY_UNVERIFIED) {
                        yield null;
                    }
                    String code = String.format("%08d", random.nextInt(100_000_000));
                    Instant expires = Instant.now().plus(verificationWindow());
                    records.update(c, requestId, "code_hash = ?, code_expires_at = ?", requests.codeHash(requestId, code), expires);
                    records.event(c, requestId, request.state().name(), "one-time code sent, valid until " + expires);
                    yield new Mail(to, "Your code to confirm your privacy request", "We received a request " + what + ".\n\n"
                            + "To confirm it is yours, enter this code: " + code + "\n\nThe code is valid until " + expires
                            + ". If you did not ask for this, ignore this mail: nothing happens without the code.\n\nRequest: " + request.id() + "\n");
                }
                case RECEIPT -> new Mail(to, "We received your privacy request", "We received your request " + what + " (" + request.type().article
                        + " GDPR) on " + DAY.format(request.receivedAt()) + ".\nWe will answer by " + DAY.format(request.dueAt()) + ".\n\nRequest: "
                        + request.id() + "\n");
                case EXTENSION -> new Mail(to, "Your privacy request needs more time", "We need more time to answer your request " + what
                        + ". Art. 12(3) GDPR allows us to extend the period; we will answer by " + DAY.format(request.dueAt()) + ".\n\nWhy: "
                        + request.extendedReason() + "\n\nRequest: " + request.id() + "\n");
                case OUTCOME -> outcome(c, request, to, what);
                default -> null;
            });
        });
    }

    private Mail outcome(Connection c, PrivacyRequest request, String to, String what) throws SQLException {
        String body = switch (request.state()) {
            case COMPLETED -> request.type() == RequestType.ACCESS ? exportReady(c, request)
                    : "We have completed your request " + what + ". Every system that held your data confirmed it.";
            case PARTIALLY_COMPLETED -> "We have completed your request " + what + " as far as we may. What was not done, and why:\n\n"
                    + request.outcome();
            case REJECTED -> "We could not act on your request " + what + ": " + request.outcome();
            case CANCELLED -> request.duplicateOf() != null
                    ? "You sent the same request twice. We are already working on request " + request.duplicateOf() + "; this one is closed."
                    : "Your request " + what + " was cancelled: " + request.outcome();
            default -> null;
        };
        return body == null ? null : new Mail(to, "Your privacy request: " + request.state().name().toLowerCase().replace('_', ' '),
                body + "\n\nRequest: " + request.id() + "\n");
    }

    private String exportReady(Connection c, PrivacyRequest request) throws SQLException {
        String link = exports.issueLink(c, request.id());
        return link == null ? "Your copy of your personal data was prepared but is no longer available for download; please send a new request."
                : "Your copy of your personal data is ready. Download it once, within " + exports.linkLifetime().toDays() + " days, here:\n\n"
                + link + "\n\nThe page shows it to read or print, with downloads as JSON (machine-readable, Art. 20) and CSV.";
    }

    /** After a sent outcome the address goes; every notice sent is in the history. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sent(String requestId, Kind kind) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            PrivacyRequest request = records.load(c, requestId, true).orElseThrow();
            records.event(c, requestId, request.state().name(), kind.name().toLowerCase().replace('_', ' ') + " mail sent");
            trail.record(AuditEvent.of("privacy", "PRIVACY_NOTICE_SENT").by("system:privacy").about(RequestRecords.ref(requestId))
                    .with("notice", kind).build());
            if (kind == Kind.OUTCOME) {
                forget(c, requestId);
            }
            return null;
        });
    }

    Duration verificationWindow() {
        return Duration.ofMinutes(config.getOptionalValue("privacy.verification.window-minutes", Long.class).orElse(60L * 24));
    }
}
