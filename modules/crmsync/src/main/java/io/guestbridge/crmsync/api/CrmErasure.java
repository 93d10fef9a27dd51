package io.guestbridge.crmsync.api;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;

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
    ErasureResult erase(String connector, NormalizedEmail email);
}
