package io.guestbridge.privacy.internal.requests;

import io.guestbridge.audit.api.AuditCertificates;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static io.guestbridge.platform.api.Jdbc.utc;

/**
 * A request's certificate: issued the first time it is asked for once the request ended and the audit log can prove
 * its records, then kept and handed out as issued. Only requests that were carried out get one (completed, or
 * partially completed with what could not be done); rejected, cancelled and expired ones did nothing to certify.
 */
@ApplicationScoped
public class RequestCertificates {

    private static final Set<RequestState> CERTIFIED = EnumSet.of(RequestState.COMPLETED, RequestState.PARTIALLY_COMPLETED);

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    RequestRecords records;

    @Inject
    AuditCertificates certificates;

    @Inject
    AuditTrail trail;

    /** The certificate's JSON; a not-found or conflict {@code ProblemException} (with when to ask again) otherwise. */
    @Transactional
    public String certificate(String id, String actor) {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            PrivacyRequest request = records.load(id, false).orElseThrow(() -> ProblemException.notFound("There is no privacy request " + id + "."));
            Optional<String> issued = stored(c, id, "");
            if (issued.isPresent()) {
                return issued.get();
            }
            if (request.state().isOpen()) {
                throw ProblemException.conflict("Request " + id + " is " + request.state() + ": its certificate is issued once it ends "
                        + "(completed, or partially completed), within seconds of that.");
            }
            if (!CERTIFIED.contains(request.state())) {
                throw ProblemException.conflict("Request " + id + " was " + request.state() + ": nothing was carried out, so there is nothing to certify.");
            }
            AuditCertificates.Facts facts = new AuditCertificates.Facts(request.type().name(), request.state().name(), request.receivedAt(),
                    request.completedAt(), records.steps(id, false).stream()
                    .map(s -> new AuditCertificates.SystemOutcome(s.system(), s.state().name(), s.evidence())).toList());
            String certificate = certificates.certify(RequestRecords.ref(id), facts);
            if (store(c, id, certificate)) {
                trail.record(AuditEvent.of("privacy", "PRIVACY_CERTIFICATE_ISSUED").by(actor).about(RequestRecords.ref(id))
                        .with("type", request.type()).build());
                return certificate;
            }
            return stored(c, id, " LOCK IN SHARE MODE").orElseThrow(); // a concurrent download issued it first: hand out that one
        });
    }

    /** {@code locking}: a locking read, which sees a row committed after this transaction's snapshot. */
    private static Optional<String> stored(Connection c, String id, String locking) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT certificate FROM prv_certificate WHERE request_id = ?" + locking)) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static boolean store(Connection c, String id, String certificate) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO prv_certificate (request_id, issued_at, certificate) VALUES (?, ?, ?)")) {
            s.setString(1, id);
            s.setObject(2, utc(Instant.now()));
            s.setString(3, certificate);
            return s.executeUpdate() == 1;
        }
    }
}
