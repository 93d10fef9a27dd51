package io.guestbridge.crmsync.api;

import io.guestbridge.identity.api.NormalizedEmail;

import java.util.List;

/**
 * Deleting a data subject from the CRMs, for the privacy module's erasure steps (Art. 17): real
 * deletion, not masking — HubSpot gdpr-delete, Salesforce delete, Mailchimp delete-permanent (a plain
 * DELETE only archives). Each call is one attempt; the caller's step keeps the schedule and evidence.
 */
public interface CrmErasure {

    /** The enabled connectors: each is one system of the data map. */
    List<String> connectors();

    /** Asks one connector's CRM to delete the subject; never throws for what the CRM or network did. */
    Result erase(String connector, NormalizedEmail email);

    /**
     * @param confirmed  the CRM confirmed the deletion (or holds no such contact)
     * @param retryable  not confirmed, but worth another attempt later (5xx, rate limit, network)
     * @param evidence   what the CRM answered (status, reference), without personal data
     * @param waitFor    when set, come back after this long and do not count it as a failure: the CRM said so
     *                   (429 with Retry-After) or the connector's request budget is spent
     * @param attempted  false when no request went out (the budget was spent): nothing happened to record
     */
    record Result(boolean confirmed, boolean retryable, String evidence, java.time.Duration waitFor, boolean attempted) {

        public Result(boolean confirmed, boolean retryable, String evidence) {
            this(confirmed, retryable, evidence, null, true);
        }
    }
}
