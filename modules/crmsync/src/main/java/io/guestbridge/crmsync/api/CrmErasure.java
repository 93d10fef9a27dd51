package io.guestbridge.crmsync.api;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;

import java.util.List;

/**
 * Deleting a data subject from the CRMs, for the privacy module's erasure steps (Art. 17): real
 * deletion, not masking — HubSpot gdpr-delete, Salesforce delete, Mailchimp delete-permanent (a plain
 * DELETE only archives). Each call is one attempt; the caller's step keeps the schedule and evidence.
 *
 * <p>Every call draws on its connector's request budget, the one the sync draws on. A caller about to make several
 * calls (a batch of erasures, each to every CRM) holds their turns at the budget together ({@link #turns}: one
 * transaction for all of them) and makes each call with its turn.
 */
public interface CrmErasure {

    /** The enabled connectors: each is one system of the data map. */
    List<String> connectors();

    /** One call's turn at its connector: its moment of the request budget, or why the call cannot go. */
    interface Turn {

        /** The connector the turn is for. */
        String connector();
    }

    /**
     * A turn for each call, by the connector it goes to (a connector named once per call to it), in the order asked:
     * the budgets' moments of all of them held in one transaction. A turn is used once, by {@link #erase(Turn,
     * NormalizedEmail)}, in the thread that makes its call; calls to one connector go in the order of their turns.
     */
    List<Turn> turns(List<String> connectors);

    /** Asks the turn's connector's CRM to delete the subject, when the turn's moment comes; never throws for what the CRM or network did. */
    ErasureResult erase(Turn turn, NormalizedEmail email);

    /** Asks one connector's CRM to delete the subject: a call with a turn of its own. */
    default ErasureResult erase(String connector, NormalizedEmail email) {
        return erase(turns(List.of(connector)).get(0), email);
    }
}
