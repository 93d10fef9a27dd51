package io.guestbridge.crmsync.internal.inbound;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which reported property changes mean "no more marketing email": HubSpot's {@code hs_email_optout} (opted out of
 * all email), HubSpot's per-subscription {@code hs_email_optout_<id>} for the subscriptions the connector names as
 * marketing ({@code crm.<name>.marketing-subscriptions}; opting out of service mail is not a marketing withdrawal),
 * Salesforce's {@code HasOptedOutOfEmail} and the connector's own opt-out property set to true, and the connector's
 * marketing property set to false.
 */
final class OptOutSignals {

    private OptOutSignals() {
    }

    static boolean optsOut(ConnectorSettings connector, String property, String value) {
        if (property == null || value == null) {
            return false;
        }
        String name = property.strip().toLowerCase(Locale.ROOT);
        String said = value.strip().toLowerCase(Locale.ROOT);
        if (connector != null && connector.marketingProperty() != null && name.equals(connector.marketingProperty().toLowerCase(Locale.ROOT))) {
            return said.equals("false");
        }
        if (!said.equals("true")) {
            return false;
        }
        if (name.equals("hs_email_optout") || name.equals("hasoptedoutofemail")) {
            return true;
        }
        if (connector == null) {
            return false;
        }
        String optOut = connector.option("opt-out-property");
        if (optOut != null && name.equals(optOut.toLowerCase(Locale.ROOT))) {
            return true;
        }
        String subscriptions = connector.option("marketing-subscriptions");
        return subscriptions != null && name.startsWith("hs_email_optout_")
                && Arrays.stream(subscriptions.split(",")).map(String::strip).anyMatch(id -> name.equals("hs_email_optout_" + id));
    }
}
