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
     * Gets ready to send a request at once: what a request needs before it can leave (Salesforce's access token) is
     * obtained now, before the request takes its moment from the connector's rate budget. A request that fetched its
     * token after its take left that much later, and the CRM, which counts requests as they arrive, then found one
     * more in some window than the budget lets through (the first request after a start, whose token fetch came after
     * its take, and the twenty-sixth: Salesforce answers 403 REQUEST_LIMIT_EXCEEDED, and the connector waits a
     * minute). Empty when ready; else the answer to give the batch, which is then not sent and takes no budget.
     */
    default java.util.Optional<CrmAnswer> prepare(ConnectorSettings connector) {
        return java.util.Optional.empty();
    }

    /**
     * Deletes a contact for good (erasure, Art. 17): HubSpot gdpr-delete, Salesforce delete,
     * Mailchimp delete-permanent. The answer's {@code succeeded} holds the email when the CRM confirmed
     * it (or did not know the contact), with the CRM's confirmation id when it gives one.
     */
    CrmAnswer erase(ConnectorSettings connector, String email);
}
