package io.guestbridge.crmsync.internal.inbound;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.consent.api.ConsentDecision;
import io.guestbridge.consent.api.ConsentLedger;
import io.guestbridge.consent.api.ConsentRecord;
import io.guestbridge.identity.api.GuestId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an opt-out reported by a CRM into a withdrawal of marketing email in the consent ledger, in the caller's
 * transaction. The ledger audits it and queues the guest for every connector, so the other CRMs stop mailing too.
 * A guest whose marketing consent is already withdrawn gets no second row: a CRM echoing an unsubscribe that
 * guestbridge itself sent, or redelivering one, changes nothing.
 */
@ApplicationScoped
public class ConsentWithdrawals {

    static final String PURPOSE = "marketing_email";

    @Inject
    ConsentLedger ledger;

    @Inject
    AuditTrail trail;

    /** Whether the ledger changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean withdraw(String connector, GuestId guest, OptOut optOut, String actor) {
        if (ledger.current(guest, PURPOSE).orElse(null) == ConsentDecision.WITHDRAWN) {
            return false;
        }
        Map<String, String> evidence = new TreeMap<>(optOut.evidence());
        evidence.put("connector", connector);
        evidence.put("eventKey", optOut.eventKey() == null ? "none" : optOut.eventKey());
        long sequence = ledger.append(new ConsentRecord(guest, PURPOSE, ConsentDecision.WITHDRAWN, null, null, optOut.at(),
                "crm:" + connector + "/" + optOut.kind(), evidence, false, false), actor);
        trail.record(AuditEvent.of("crmsync", "CRM_OPT_OUT_RECEIVED").by(actor).about(guest.subjectRef()).with("connector", connector)
                .with("kind", optOut.kind()).with("ledgerSequence", sequence).with("happenedAt", optOut.at()).build());
        return true;
    }
}
