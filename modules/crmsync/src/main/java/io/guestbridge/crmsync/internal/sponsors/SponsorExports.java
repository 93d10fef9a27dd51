package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.crmsync.internal.connectors.GuestValues;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Digests;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A sponsor's export: the shared fields of exactly the guests whose {@code sponsor:<id>} decision in force is a grant, and
 * only while the agreement is in force. Each export records which guests the sponsor now receives: a guest who withdrew
 * since the last one is left out and recorded as stopped; outside the agreement nothing is shared and every current share
 * stops. Every start and stop is an audit record about the guest; the export itself is audited with its counts and a
 * digest of the guest ids (the audit trail holds no personal data, and the ids do not fit one record).
 */
@ApplicationScoped
public class SponsorExports {

    /** Guests read from the ledger per round. */
    private static final int PAGE = 1_000;

    @PersistenceContext(unitName = "crmsync")
    EntityManager em;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    ConsentLedger consent;

    @Inject
    GuestDirectory guests;

    @Inject
    AuditTrail trail;

    @Inject
    @ConfigProperty(name = "crm.sponsor.export-max", defaultValue = "10000")
    int exportMax;

    private final SponsorShares shares = new SponsorShares();

    /** What a sponsor receives: one row per guest, the agreement's shared fields only (null where the guest has no value). */
    public record Export(String sponsor, String agreementRef, Instant exportedAt, List<String> fields, List<Map<String, String>> guests,
                         int started, int stopped) {
    }

    /**
     * Exports the sponsor's guests. Refused with a conflict when the agreement is not in force (the refusal and the stopped
     * shares are committed: they are records of what happened, not a failed change), or when more guests consented than
     * {@code crm.sponsor.export-max}; not found for an unknown sponsor.
     */
    @Transactional(dontRollbackOn = ProblemException.class)
    public Export export(String sponsorId, String actor) {
        // one export of a sponsor at a time: two at once would each see the other's guests as new
        Sponsor sponsor = em.find(Sponsor.class, sponsorId, LockModeType.PESSIMISTIC_WRITE);
        if (sponsor == null) {
            throw ProblemException.notFound("No sponsor " + sponsorId + " is registered (GET /api/v1/sponsors lists them).");
        }
        Instant now = Instant.now();
        Sponsor.Status status = sponsor.statusAt(now);
        if (status != Sponsor.Status.IN_FORCE) {
            List<String> stopped = stopSharing(sponsor, actor, now);
            trail.record(AuditEvent.of("crmsync", "SPONSOR_EXPORT_REFUSED").by(actor).about("sponsor:" + sponsor.id())
                    .with("agreementRef", sponsor.agreementRef()).with("agreementStatus", status.name()).with("stopped", stopped.size()).build());
            throw ProblemException.conflict(status == Sponsor.Status.NOT_STARTED
                    ? "The agreement " + sponsor.agreementRef() + " with sponsor " + sponsor.id() + " takes effect at " + sponsor.startsAt()
                    + ": nothing was shared."
                    : "The agreement " + sponsor.agreementRef() + " with sponsor " + sponsor.id() + " ended at " + sponsor.endsAt()
                    + ": nothing was shared" + (stopped.isEmpty() ? "." : ", and the " + stopped.size() + " guests it received are recorded as no longer shared.")
                    + " Change the agreement's end if it was renewed.");
        }
        List<GuestId> permitted = permitted(sponsor);
        List<String> fields = sponsor.sharedFields();
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        // a page of guests per read, so that no statement binds more ids than the database takes
        for (int from = 0; from < permitted.size(); from += PAGE) {
            List<GuestId> page = permitted.subList(from, Math.min(permitted.size(), from + PAGE));
            Map<GuestId, GuestDirectory.Profile> profiles = guests.profiles(page);
            List<GuestId> shared = page.stream().filter(profiles::containsKey).toList(); // an erased guest has no profile: nothing to share
            Map<GuestId, GuestDirectory.VisitSummary> visits = guests.visitSummaries(shared);
            Map<GuestId, ConsentLedger.Entry> proofs = consent.inForce(shared, sponsor.consentPurpose());
            for (GuestId guest : shared) {
                rows.add(row(fields, profiles.get(guest), visits.getOrDefault(guest, new GuestDirectory.VisitSummary(0, 0, null, null)), proofs.get(guest)));
                ids.add(guest.value());
            }
        }
        SponsorShares.Reconciled reconciled = Jdbc.inConnection(dataSource, "crmsync", c -> shares.share(c, sponsor.id(), ids, now));
        for (String guest : reconciled.started()) {
            trail.record(AuditEvent.of("crmsync", "SPONSOR_SHARING_STARTED").by(actor).about("guest:" + guest)
                    .with("sponsor", sponsor.id()).with("agreementRef", sponsor.agreementRef()).build());
        }
        auditStopped(sponsor, reconciled.stopped(), SponsorShares.StopReason.CONSENT_NOT_IN_FORCE, actor);
        trail.record(AuditEvent.of("crmsync", "SPONSOR_EXPORTED").by(actor).about("sponsor:" + sponsor.id())
                .with("agreementRef", sponsor.agreementRef()).with("guests", ids.size()).with("started", reconciled.started().size())
                .with("continued", reconciled.continued()).with("stopped", reconciled.stopped().size()).with("fields", String.join(",", fields))
                .with("guestIdsSha256", Digests.sha256Hex(String.join("\n", ids))).build());
        return new Export(sponsor.id(), sponsor.agreementRef(), now, fields, rows, reconciled.started().size(), reconciled.stopped().size());
    }

    /**
     * Stops every current share of a sponsor whose agreement is no longer in force, each audited about its guest; runs in
     * the caller's transaction (an export after expiry, or the DPO ending or shortening the agreement).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> stopSharing(Sponsor sponsor, String actor, Instant now) {
        List<String> stopped = Jdbc.inConnection(dataSource, "crmsync",
                c -> shares.stopAll(c, sponsor.id(), SponsorShares.StopReason.AGREEMENT_NOT_IN_FORCE, now));
        auditStopped(sponsor, stopped, SponsorShares.StopReason.AGREEMENT_NOT_IN_FORCE, actor);
        return stopped;
    }

    private void auditStopped(Sponsor sponsor, List<String> stopped, SponsorShares.StopReason reason, String actor) {
        for (String guest : stopped) {
            trail.record(AuditEvent.of("crmsync", "SPONSOR_SHARING_STOPPED").by(actor).about("guest:" + guest)
                    .with("sponsor", sponsor.id()).with("agreementRef", sponsor.agreementRef()).with("reason", reason.name()).build());
        }
    }

    /** Every guest whose sponsor consent is in force, read a page at a time and bounded by {@code crm.sponsor.export-max}. */
    private List<GuestId> permitted(Sponsor sponsor) {
        List<GuestId> permitted = new ArrayList<>();
        String after = null;
        // each round reads a page of guests who ever granted; the bound holds even if every one of them still does
        for (int round = 0; round <= exportMax / PAGE + 1; round++) {
            ConsentLedger.Permitted page = consent.permitted(sponsor.consentPurpose(), after, PAGE);
            permitted.addAll(page.guests());
            if (permitted.size() > exportMax) {
                throw ProblemException.conflict("More than " + exportMax + " guests consented to sponsor " + sponsor.id()
                        + ": nothing was shared. Raise crm.sponsor.export-max to export them in one file.");
            }
            after = page.next();
            if (after == null) {
                return permitted;
            }
        }
        throw ProblemException.conflict("The consents to sponsor " + sponsor.id() + " could not be read within " + exportMax
                + " guests: nothing was shared. Raise crm.sponsor.export-max.");
    }

    /** A guest's shared fields: a value only when verified (as for the CRMs), derived values with the sponsor consent as proof. */
    static Map<String, String> row(List<String> fields, GuestDirectory.Profile profile, GuestDirectory.VisitSummary visits, ConsentLedger.Entry proof) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String field : fields) {
            if (GuestValues.DERIVED.contains(field)) {
                row.put(field, GuestValues.derived(field, visits, proof));
            } else {
                GuestDirectory.Value value = profile.fields().get(GuestField.valueOf(field));
                row.put(field, value == null || !value.verified() ? null : value.value());
            }
        }
        return row;
    }
}
