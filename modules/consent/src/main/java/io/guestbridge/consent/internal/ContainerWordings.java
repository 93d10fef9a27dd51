package io.guestbridge.consent.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.Wordings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wording registry: {@link ConsentWording} entities in the consent unit. Wordings never change once published, so
 * lookups are cached for good (the processing path asks once per consent claim).
 */
@ApplicationScoped
public class ContainerWordings implements Wordings {

    @PersistenceContext(unitName = "consent")
    EntityManager em;

    @Inject
    AuditTrail trail;

    private final Map<String, Wording> cache = new ConcurrentHashMap<>();

    @Override
    @Transactional
    public Wording publish(Wording draft, String actor) {
        ConsentWording.check(draft);
        ConsentWording existing = em.find(ConsentWording.class, new ConsentWording.Key(draft.id(), draft.version()));
        if (existing != null) {
            return existing.republish(draft);
        }
        ConsentWording published = ConsentWording.publish(draft, Instant.now());
        em.persist(published);
        em.flush(); // a concurrent publication of the same id and version fails here, not at the commit
        Wording view = published.view();
        trail.record(AuditEvent.of("consent", "WORDING_PUBLISHED").by(actor).about("wording:" + view.id() + ":" + view.version())
                .with("purpose", view.purpose()).with("language", view.language()).with("contentHash", view.contentHash()).build());
        return view;
    }

    /**
     * Read in a transaction (the caller's, or a short one of its own), as every entity read is: the container's entity
     * manager outside one needs the calling component's invocation, which a queue worker's thread does not have.
     */
    @Override
    @Transactional
    public Optional<Wording> find(String id, String version) {
        if (id == null || version == null) {
            return Optional.empty();
        }
        String key = id + "@" + version;
        Wording cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Wording> found = Optional.ofNullable(em.find(ConsentWording.class, new ConsentWording.Key(id, version)))
                .map(ConsentWording::view);
        found.ifPresent(w -> cache.put(key, w)); // immutable once published: safe to keep
        return found;
    }

    @Override
    @Transactional
    public List<Wording> all() {
        return em.createNamedQuery("ConsentWording.all", ConsentWording.class).getResultList().stream().map(ConsentWording::view).toList();
    }
}
