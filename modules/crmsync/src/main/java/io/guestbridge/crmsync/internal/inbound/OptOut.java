package io.guestbridge.crmsync.internal.inbound;

import io.guestbridge.identity.api.NormalizedEmail;

import java.time.Instant;
import java.util.Map;

/**
 * A guest stopped marketing in a CRM or an email tool (an unsubscribe link, a bounce that cleaned the address, an
 * opt-out flag set by a user), as reported back: to become a withdrawal in the consent ledger.
 *
 * @param eventKey  what makes a redelivery recognisable (the CRM's event id, or a digest of the event when it has none)
 * @param email     the contact's address when the CRM names it, else null
 * @param crmId     the CRM's id of the contact when it names that instead, else null
 * @param at        when it happened in the CRM: the withdrawal's capture time
 * @param kind      what happened, in the CRM's words ({@code unsubscribe}, {@code cleaned}, {@code hs_email_optout} …)
 * @param evidence  the facts to keep with the withdrawal: event and campaign ids, reasons; never an address or a name
 */
public record OptOut(String eventKey, NormalizedEmail email, String crmId, Instant at, String kind, Map<String, String> evidence) {

    public OptOut {
        evidence = Map.copyOf(evidence);
    }

    @Override
    public String toString() {
        return "OptOut[" + kind + ", event " + eventKey + ", values redacted]";
    }
}
