package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.consent.api.ConsentDecision;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a contact's marketing flags say in a CRM, derived from the marketing consent in force.
 *
 * <p>A guest who left the portal's marketing box unticked has declined, not withdrawn: that guest may
 * have subscribed through the venue's website, and a WiFi login must not undo it. So only a grant
 * switches marketing on, only a withdrawal (an objection is recorded as one) switches it off, and a
 * declined, invalid or absent consent sends no flag at all, leaving whatever the CRM holds.
 *
 * <p>Two kinds of flag, each optional per connector: the marketing property ({@code crm.<name>.marketing-property},
 * "true" when granted, "false" when withdrawn) and the opt-out property ({@code crm.<name>.opt-out-property},
 * the inverse, as Salesforce's {@code HasOptedOutOfEmail}).
 */
public final class MarketingFlags {

    private MarketingFlags() {
    }

    /** The properties to send for a guest whose marketing consent in force is {@code decision} (null: none recorded). */
    public static Map<String, String> of(ConnectorSettings connector, ConsentDecision decision) {
        Map<String, String> flags = new LinkedHashMap<>();
        Boolean marketing = decision == ConsentDecision.GRANTED ? Boolean.TRUE : decision == ConsentDecision.WITHDRAWN ? Boolean.FALSE : null;
        if (marketing == null) {
            return flags;
        }
        if (connector.marketingProperty() != null) {
            flags.put(connector.marketingProperty(), String.valueOf(marketing));
        }
        String optOut = connector.option("opt-out-property");
        if (optOut != null && !optOut.isBlank()) {
            flags.put(optOut, String.valueOf(!marketing));
        }
        return flags;
    }
}
