package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.crmsync.api.Sponsors;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.ProblemException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The sponsor registry, on the crmsync module's persistence unit: the DPO registers a sponsor with its agreement, moves
 * the agreement's end or ends it now; each change is audited, and one that takes the agreement out of force stops the
 * sponsor's current shares in the same transaction.
 */
@ApplicationScoped
public class SponsorRegistry implements Sponsors {

    @PersistenceContext(unitName = "crmsync")
    EntityManager em;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    @Inject
    SponsorExports exports;

    @Transactional
    public Sponsor register(Sponsor.Terms terms, String actor) {
        Sponsor sponsor;
        try {
            sponsor = Sponsor.register(terms, Instant.now());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage() + ".");
        }
        if (em.find(Sponsor.class, sponsor.id()) != null) {
            throw ProblemException.conflict("A sponsor with id " + sponsor.id() + " is already registered: change its agreement's end, "
                    + "or register the new sponsor under another id.");
        }
        if (!em.createNamedQuery("Sponsor.byAgreement", Sponsor.class).setParameter("ref", sponsor.agreementRef()).getResultList().isEmpty()) {
            throw ProblemException.conflict("The agreement " + sponsor.agreementRef() + " is already registered for another sponsor: "
                    + "each agreement has its own reference.");
        }
        try {
            em.persist(sponsor);
            em.flush();
        } catch (PersistenceException e) {
            // a registration at the same moment under the same id or reference
            throw ProblemException.conflict("The sponsor " + sponsor.id() + " or the agreement " + sponsor.agreementRef()
                    + " was registered meanwhile.");
        }
        trail.record(AuditEvent.of("crmsync", "SPONSOR_REGISTERED").by(actor).about("sponsor:" + sponsor.id())
                .with("agreementRef", sponsor.agreementRef()).with("fields", String.join(",", sponsor.sharedFields()))
                .with("startsAt", sponsor.startsAt()).with("endsAt", String.valueOf(sponsor.endsAt()))
                .with("contactRegistered", sponsor.view(Instant.now()).contactEmail() != null).build());
        return sponsor;
    }

    @Transactional
    public List<Sponsor> all() {
        return em.createNamedQuery("Sponsor.all", Sponsor.class).getResultList();
    }

    @Transactional
    public Optional<Sponsor> find(String id) {
        return Optional.ofNullable(id == null ? null : em.find(Sponsor.class, id));
    }

    /** Moves the agreement's end (null: open-ended). */
    @Transactional
    public Sponsor changeEnd(String id, Instant end, String actor) {
        Sponsor sponsor = locked(id);
        Instant now = Instant.now();
        Instant previous;
        try {
            previous = sponsor.changeEnd(end, now);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage() + ".");
        }
        int stopped = sponsor.inForceAt(now) ? 0 : exports.stopSharing(sponsor, actor, now).size();
        trail.record(AuditEvent.of("crmsync", "SPONSOR_AGREEMENT_END_CHANGED").by(actor).about("sponsor:" + sponsor.id())
                .with("agreementRef", sponsor.agreementRef()).with("previousEndsAt", String.valueOf(previous))
                .with("endsAt", String.valueOf(sponsor.endsAt())).with("stopped", stopped).build());
        return sponsor;
    }

    /** Sets or removes the sponsor's privacy contact, told of the erasures of guests it received. */
    @Transactional
    public Sponsor changeContact(String id, String contactEmail, String actor) {
        Sponsor sponsor = locked(id);
        boolean had;
        try {
            had = sponsor.changeContact(contactEmail, Instant.now());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(e.getMessage() + ".");
        }
        // whether there is a contact, not the address: the trail holds no addresses
        trail.record(AuditEvent.of("crmsync", "SPONSOR_CONTACT_CHANGED").by(actor).about("sponsor:" + sponsor.id())
                .with("agreementRef", sponsor.agreementRef()).with("contactRegisteredBefore", had)
                .with("contactRegistered", contactEmail != null).build());
        return sponsor;
    }

    /** Ends the agreement at once: nothing more is shared. */
    @Transactional
    public Sponsor endNow(String id, String actor) {
        Sponsor sponsor = locked(id);
        Instant now = Instant.now();
        try {
            sponsor.endNow(now);
        } catch (IllegalStateException e) {
            throw ProblemException.conflict(e.getMessage() + ".");
        }
        int stopped = exports.stopSharing(sponsor, actor, now).size();
        trail.record(AuditEvent.of("crmsync", "SPONSOR_AGREEMENT_ENDED").by(actor).about("sponsor:" + sponsor.id())
                .with("agreementRef", sponsor.agreementRef()).with("endsAt", sponsor.endsAt()).with("stopped", stopped).build());
        return sponsor;
    }

    private Sponsor locked(String id) {
        Sponsor sponsor = id == null ? null : em.find(Sponsor.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (sponsor == null) {
            throw ProblemException.notFound("No sponsor " + id + " is registered (GET /api/v1/sponsors lists them).");
        }
        return sponsor;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> stopSharingWith(String guestId, String actor, String because) {
        Instant now = Instant.now();
        List<String> stopped = Jdbc.inConnection(dataSource, "crmsync",
                c -> new SponsorShares().stopGuest(c, guestId, SponsorShares.StopReason.CONSENT_NOT_IN_FORCE, now));
        for (String sponsor : stopped) {
            trail.record(AuditEvent.of("crmsync", "SPONSOR_SHARING_STOPPED").by(actor).about("guest:" + guestId).with("sponsor", sponsor)
                    .with("reason", SponsorShares.StopReason.CONSENT_NOT_IN_FORCE.name()).with("because", because).build());
        }
        return stopped;
    }

    @Override
    @Transactional
    public List<String> receivedBy(String guestId) {
        return Jdbc.inConnection(dataSource, "crmsync", c -> new SponsorShares().ofGuest(c, guestId).stream().map(SponsorShares.Share::sponsorId)
                .distinct().sorted().toList());
    }

    /**
     * Read with JDBC rather than the entity manager: the data map asks from anywhere, also from the privacy steps' workers
     * outside any transaction, where the plain data source serves and a container-managed entity manager need not.
     */
    @Override
    public List<Recipient> recipients() {
        Instant now = Instant.now();
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            List<Recipient> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, name, agreement_ref, purpose, shared_fields, starts_at, ends_at, contact_email "
                    + "FROM crm_sponsor ORDER BY name, id")) {
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant startsAt = Jdbc.instant(rs, 6);
                        Instant endsAt = Jdbc.instant(rs, 7);
                        all.add(new Recipient(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                Arrays.stream(rs.getString(5).split(",")).filter(f -> !f.isEmpty()).toList(), startsAt, endsAt,
                                Sponsor.status(startsAt, endsAt, now) == Sponsor.Status.IN_FORCE, "sponsor:" + rs.getString(1), rs.getString(8)));
                    }
                }
            }
            return all;
        });
    }
}
