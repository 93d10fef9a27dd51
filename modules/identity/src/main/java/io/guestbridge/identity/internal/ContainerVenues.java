package io.guestbridge.identity.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.Branding;
import io.guestbridge.identity.api.Venues;
import io.guestbridge.platform.api.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The venue registry, on the identity module's persistence unit. Venues appear the first time a source reports
 * one (with the source's time zone) and operators correct their zone, country, portal wordings and branding.
 * Lookups by ref are cached briefly: every processed event asks.
 */
@ApplicationScoped
public class ContainerVenues implements Venues {

    private static final long CACHE_MILLIS = 30_000;

    @PersistenceContext(unitName = "identity")
    EntityManager em;

    @Inject
    AuditTrail trail;

    private record Cached(Venue venue, long until) {
    }

    private final Map<String, Cached> byRef = new ConcurrentHashMap<>();

    @Override
    @Transactional
    public Venue ensure(String ref, String name, ZoneId zone) {
        Cached cached = byRef.get(ref);
        if (cached != null && cached.until() > System.currentTimeMillis()) {
            return cached.venue();
        }
        Optional<Venue> found = byRef(ref);
        if (found.isPresent()) {
            // cached only once read back as committed by someone: a venue inserted by a transaction
            // that later rolls back must not outlive it here
            byRef.put(ref, new Cached(found.get(), System.currentTimeMillis() + CACHE_MILLIS));
            return found.get();
        }
        // INSERT IGNORE, not persist(): processing workers see a new venue's first events side by side, and a
        // duplicate key from persist() would roll back the event's whole transaction instead of finding the row
        Instant now = Instant.now();
        em.createNativeQuery("INSERT IGNORE INTO idn_venue (id, ref, name, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
                .setParameter(1, UUID.randomUUID().toString()).setParameter(2, ref)
                .setParameter(3, name == null || name.isBlank() ? ref : name.length() > 200 ? name.substring(0, 200) : name)
                .setParameter(4, zone.getId()).setParameter(5, io.guestbridge.platform.api.Jdbc.utc(now))
                .setParameter(6, io.guestbridge.platform.api.Jdbc.utc(now)).executeUpdate();
        return byRef(ref).orElseThrow(() -> new IllegalStateException("venue " + ref + " neither inserted nor found"));
    }

    @Override
    @Transactional
    public Optional<Venue> find(String id) {
        return Optional.ofNullable(em.find(RegisteredVenue.class, id)).map(RegisteredVenue::view);
    }

    @Override
    @Transactional
    public List<Venue> all() {
        return em.createNamedQuery("RegisteredVenue.all", RegisteredVenue.class).getResultList().stream().map(RegisteredVenue::view).toList();
    }

    @Override
    @Transactional
    public Venue update(String id, VenueChange change, String actor) {
        RegisteredVenue venue = em.find(RegisteredVenue.class, id);
        if (venue == null) {
            throw ProblemException.notFound("There is no venue " + id + ".");
        }
        venue.apply(change, Instant.now());
        Venue next = venue.view();
        Branding branding = next.branding() == null ? Branding.NONE : next.branding();
        trail.record(AuditEvent.of("identity", "VENUE_CHANGED").by(actor).about("venue:" + id).with("zone", next.zone().getId())
                .with("country", next.country() == null ? "of the zone" : next.country())
                .with("termsWording", next.terms() == null ? "none" : next.terms().id() + "@" + next.terms().version())
                .with("marketingWording", next.marketing() == null ? "none" : next.marketing().id() + "@" + next.marketing().version())
                .with("branding", branding.equals(Branding.NONE) ? "default" : "own")
                .build());
        byRef.remove(venue.ref());
        return next;
    }

    private Optional<Venue> byRef(String ref) {
        return em.createNamedQuery("RegisteredVenue.byRef", RegisteredVenue.class).setParameter("ref", ref)
                .getResultStream().findFirst().map(RegisteredVenue::view);
    }
}
