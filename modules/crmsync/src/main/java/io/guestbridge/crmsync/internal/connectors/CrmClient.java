package io.guestbridge.crmsync.internal.connectors;

import java.util.List;

/**
 * One CRM's wire protocol: sends a batch of contacts (at most the connector's batch size) in as few
 * requests as the CRM allows, and tells per record what happened. Implementations never throw for what
 * the CRM or the network did: that is an answer ({@link CrmAnswer}); they never log values.
 */
public interface CrmClient {

    CrmAnswer upsert(ConnectorSettings connector, List<CrmRecord> records);

    /**
     * Deletes a contact for good (erasure, Art. 17): HubSpot gdpr-delete, Salesforce delete,
     * Mailchimp delete-permanent. The answer's {@code succeeded} holds the email when the CRM confirmed
     * it (or did not know the contact), with the CRM's confirmation id when it gives one.
     */
    CrmAnswer erase(ConnectorSettings connector, String email);
}
