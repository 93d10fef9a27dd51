package io.guestbridge.privacy.internal.portal;

import io.guestbridge.platform.api.MailSender;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.SecretBox;
import io.guestbridge.platform.api.WorkQueue;
import io.guestbridge.privacy.api.SubjectPortal.CodeCheck;
import io.guestbridge.privacy.api.SubjectPortal.CodeOutcome;
import io.guestbridge.privacy.api.SubjectPortal.Purpose;
import io.guestbridge.privacy.internal.lifecycle.PrivacyRequests;
import io.guestbridge.privacy.internal.notices.MailWords;
import io.guestbridge.privacy.internal.notices.Notices;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.suppression.SuppressionList;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * A data subject proving, with a code mailed to an address, that the address is theirs, to see something that needs no new
 * request: where a request stands (the request kept only the keyed hash of its address once its outcome was mailed, so the
 * address typed now is matched against that hash) or their consents. The code goes out only when the address may see what
 * is asked; the answer is the same either way. The address and the code are sealed until the mail is sent, then dropped;
 * a proof is good for a short while after its code was entered, and its row is deleted by retention (verification-codes,
 * a day by default).
 */
@ApplicationScoped
public class SubjectChallenges {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    SuppressionList hashes;

    @Inject
    RequestRecords records;

    @Inject
    PrivacyRequests requests;

    @Inject
    GuestDirectory guests;

    @Inject
    MailSender mailer;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    Instance<SecretBox> master;

    @Inject
    Config config;

    private final SecureRandom random = new SecureRandom();

    /** What a fresh proof lets its holder see: the request it was for, or the guest whose consents it shows (null: none held). */
    record Proof(String id, Purpose purpose, String requestId, GuestId guest) {
    }

    /** Opens a proof; its code is mailed (after commit, by {@link ChallengeHandler}) only when the address may see what is asked. */
    @Transactional
    public String open(Purpose purpose, String requestId, NormalizedEmail email, Locale language) {
        String id = UUID.randomUUID().toString();
        String code = String.format("%08d", random.nextInt(100_000_000));
        Instant now = Instant.now();
        String subjectHash = hashes.hash(email);
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            String request = null;
            String guest = null;
            if (purpose == Purpose.FOLLOW) {
                Optional<PrivacyRequest> found = requestId != null && requestId.matches("[0-9a-f-]{36}") ? records.load(requestId, false) : Optional.empty();
                request = found.filter(r -> MessageDigest.isEqual(r.subjectHash().getBytes(StandardCharsets.US_ASCII),
                        subjectHash.getBytes(StandardCharsets.US_ASCII))).map(PrivacyRequest::id).orElse(null);
            } else {
                guest = guests.find(email).map(GuestId::value).orElse(null);
            }
            boolean mailed = mailer.enabled() && (purpose == Purpose.CONSENT || request != null);
            String sealed = mailed ? master.get().seal((email.value() + "\n" + code).getBytes(StandardCharsets.UTF_8), ref(id)) : null;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO prv_challenge (id, purpose, request_id, guest_id, language, mail_sealed, code_hash, "
                    + "code_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, purpose.name());
                s.setString(3, request);
                s.setString(4, guest);
                s.setString(5, language == null ? "en" : language.getLanguage());
                s.setString(6, sealed);
                s.setString(7, codeHash(id, code));
                s.setObject(8, utc(now.plus(window())));
                s.setObject(9, utc(now));
                s.executeUpdate();
            }
            // the audit names the request only when the address matched it: what anyone may type is no fact about a request
            trail.record(AuditEvent.of("privacy", "PRIVACY_PROOF_OPENED").by("subject").about(request != null ? RequestRecords.ref(request) : ref(id))
                    .with("proof", id).with("purpose", purpose).with("codeMailed", mailed).build());
            if (mailed) {
                queue.publish(new ChallengeDue(id));
            }
            return id;
        });
    }

    /** The code mail of a proof, in the subject's language; empty once it was sent or the proof is closed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Notices.Mail> mail(String id) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT purpose, request_id, language, mail_sealed, code_expires_at FROM prv_challenge "
                    + "WHERE id = ? AND NOT closed AND verified_at IS NULL")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || rs.getString(4) == null) {
                        return Optional.<Notices.Mail>empty();
                    }
                    String[] opened = new String(master.get().open(rs.getString(4), ref(id)), StandardCharsets.UTF_8).split("\n", 2);
                    Locale language = MailWords.of(rs.getString(3));
                    String purpose = rs.getString(1).toLowerCase(Locale.ROOT);
                    Instant expires = Jdbc.instant(rs, 5);
                    String until = MailWords.text(language, "time.until", MailWords.day(expires, language, ZoneOffset.UTC),
                            java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC).format(expires));
                    String body = MailWords.text(language, "proof." + purpose + ".body", rs.getString(2) == null ? "" : rs.getString(2), opened[1], until);
                    return Optional.of(new Notices.Mail(opened[0], MailWords.text(language, "proof." + purpose + ".subject"), body));
                }
            }
        });
    }

    /** The code mail went out: the address and the code are dropped. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void sent(String id) {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_challenge SET mail_sealed = NULL WHERE id = ?")) {
                s.setString(1, id);
                s.executeUpdate();
            }
            trail.record(AuditEvent.of("privacy", "PRIVACY_PROOF_CODE_SENT").by("system:privacy").about(ref(id)).build());
            return null;
        });
    }

    /** Checks an entered code; wrong codes are counted (and committed), too many close the proof. */
    @Transactional
    public CodeCheck confirm(String id, String code) {
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            return new CodeCheck(CodeOutcome.UNKNOWN_REQUEST, 0, Optional.empty());
        }
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            String hash;
            Instant expires;
            int attempts;
            try (PreparedStatement s = c.prepareStatement("SELECT code_hash, code_expires_at, code_attempts, closed, verified_at FROM prv_challenge "
                    + "WHERE id = ? FOR UPDATE")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return new CodeCheck(CodeOutcome.UNKNOWN_REQUEST, 0, Optional.empty());
                    }
                    if (rs.getBoolean(4) || rs.getObject(5) != null) {
                        return new CodeCheck(CodeOutcome.NOT_WAITING, 0, Optional.empty());
                    }
                    hash = rs.getString(1);
                    expires = Jdbc.instant(rs, 2);
                    attempts = rs.getInt(3);
                }
            }
            if (Instant.now().isAfter(expires)) {
                update(c, id, "closed = TRUE, mail_sealed = NULL");
                trail.record(AuditEvent.of("privacy", "PRIVACY_PROOF_EXPIRED").by("subject").about(ref(id)).build());
                return new CodeCheck(CodeOutcome.EXPIRED, 0, Optional.empty());
            }
            int max = requests.maxAttempts();
            if (code == null || !MessageDigest.isEqual(codeHash(id, code.strip()).getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))) {
                int counted = attempts + 1;
                boolean last = counted >= max;
                update(c, id, last ? "code_attempts = code_attempts + 1, closed = TRUE, mail_sealed = NULL" : "code_attempts = code_attempts + 1");
                trail.record(AuditEvent.of("privacy", "PRIVACY_PROOF_CODE_REJECTED").by("subject").about(ref(id)).with("attempt", counted).build());
                return last ? new CodeCheck(CodeOutcome.TOO_MANY_WRONG_CODES, 0, Optional.empty())
                        : new CodeCheck(CodeOutcome.WRONG_CODE, max - counted, Optional.empty());
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_challenge SET verified_at = ?, mail_sealed = NULL WHERE id = ?")) {
                s.setObject(1, utc(Instant.now()));
                s.setString(2, id);
                s.executeUpdate();
            }
            trail.record(AuditEvent.of("privacy", "PRIVACY_PROOF_VERIFIED").by("subject").about(ref(id)).build());
            return new CodeCheck(CodeOutcome.VERIFIED, max - attempts, Optional.empty());
        });
    }

    /** A proof of the purpose whose code was entered a short while ago; empty otherwise. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Proof> fresh(String id, Purpose purpose) {
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            return Optional.empty();
        }
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT request_id, guest_id FROM prv_challenge WHERE id = ? AND purpose = ? AND NOT closed "
                    + "AND verified_at > ?")) {
                s.setString(1, id);
                s.setString(2, purpose.name());
                s.setObject(3, utc(Instant.now().minus(proofLifetime())));
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new Proof(id, purpose, rs.getString(1), rs.getString(2) == null ? null : new GuestId(rs.getString(2))))
                            : Optional.<Proof>empty();
                }
            }
        });
    }

    static String ref(String id) {
        return "privacy-proof:" + id;
    }

    private static void update(java.sql.Connection c, String id, String assignments) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_challenge SET " + assignments + " WHERE id = ?")) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }

    private String codeHash(String id, String code) {
        return hashes.keyedHash("privacy-proof-code/v1", id + ":" + code);
    }

    private Duration window() {
        return Duration.ofMinutes(config.getOptionalValue("privacy.proof.code-minutes", Long.class).orElse(30L));
    }

    private Duration proofLifetime() {
        return Duration.ofMinutes(config.getOptionalValue("privacy.proof.lifetime-minutes", Long.class).orElse(30L));
    }
}
