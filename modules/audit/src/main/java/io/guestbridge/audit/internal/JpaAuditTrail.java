package io.guestbridge.audit.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import java.time.Instant;

/** Appends records under a lock on the chain head, inside the caller's transaction. */
@ApplicationScoped
public class JpaAuditTrail implements AuditTrail {

    @PersistenceContext(unitName = "audit")
    EntityManager em;

    @Override
    @Transactional(TxType.MANDATORY)
    public AuditReceipt record(AuditEvent event) {
        AuditChainHead head = em.find(AuditChainHead.class, AuditChainHead.ID, LockModeType.PESSIMISTIC_WRITE);
        if (head == null) {
            throw new IllegalStateException("the audit chain head is missing: the aud_ migrations did not run");
        }
        AuditRecord record = head.append(event, Instant.now());
        em.persist(record);
        return new AuditReceipt(record.seq(), record.hash());
    }
}
