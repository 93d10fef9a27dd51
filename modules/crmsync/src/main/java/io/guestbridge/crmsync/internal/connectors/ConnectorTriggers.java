package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The triggers in force for each connector: those an operator chose through the API ({@link ConnectorTriggerChoice}, the
 * same on every instance, read afresh for each batch: the unit keeps no shared cache), else the configured ones
 * ({@link ConnectorSettings#triggers()}).
 */
@ApplicationScoped
public class ConnectorTriggers {

    private static final Logger LOG = Logger.getLogger(ConnectorTriggers.class.getName());

    @PersistenceContext(unitName = "crmsync")
    EntityManager em;

    @Inject
    AuditTrail trail;

    /**
     * The connector's triggers now. Read in a transaction (the caller's, or a short one of its own): the container's
     * entity manager outside one needs the calling component's invocation, which a queue worker's thread does not have,
     * and every CRM batch failed with a NullPointerException before it was sent.
     */
    @Transactional
    public Set<SyncTrigger> of(ConnectorSettings connector) {
        return inForce(connector, em.find(ConnectorTriggerChoice.class, connector.name()));
    }

    /** Replaces the connector's triggers on every instance, audited (CRM_CONNECTOR_TRIGGERS_CHANGED). */
    @Transactional
    public Set<SyncTrigger> set(ConnectorSettings connector, Set<SyncTrigger> triggers, String actor) {
        // locked, so two operators changing the same connector at once are audited one after the other, each with the
        // triggers the other left as its "before"
        ConnectorTriggerChoice choice = em.find(ConnectorTriggerChoice.class, connector.name(), LockModeType.PESSIMISTIC_WRITE);
        Set<SyncTrigger> before = inForce(connector, choice);
        if (choice == null) {
            em.persist(ConnectorTriggerChoice.first(connector.name(), triggers, Instant.now()));
        } else {
            choice.replaceWith(triggers, Instant.now());
        }
        trail.record(AuditEvent.of("crmsync", "CRM_CONNECTOR_TRIGGERS_CHANGED").by(actor).about("connector:" + connector.name())
                .with("before", SyncTrigger.joined(before)).with("triggers", SyncTrigger.joined(triggers)).build());
        return triggers;
    }

    private static Set<SyncTrigger> inForce(ConnectorSettings connector, ConnectorTriggerChoice choice) {
        if (choice == null) {
            return connector.triggers();
        }
        try {
            return choice.triggers();
        } catch (IllegalArgumentException e) {
            // written by a version that knew other triggers: every trigger is the choice that loses no sync
            LOG.warning("CRM connector '" + connector.name() + "' has stored triggers this version does not know (" + e.getMessage()
                    + "); syncing on every trigger until they are set again");
            return SyncTrigger.ALL;
        }
    }
}
