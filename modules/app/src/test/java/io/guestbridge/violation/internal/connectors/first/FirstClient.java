package io.guestbridge.violation.internal.connectors.first;

import io.guestbridge.violation.internal.connectors.second.SecondClient;

/**
 * A connector that borrows a helper from another connector, as Mailchimp's and the REST client once borrowed
 * Salesforce's redaction: the fixture that proves {@code RoomsTest}'s rule against it can fail.
 */
public final class FirstClient {

    String problem(String message) {
        return SecondClient.redact(message);
    }
}
