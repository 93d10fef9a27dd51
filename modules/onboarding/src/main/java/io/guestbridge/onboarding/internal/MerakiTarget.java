package io.guestbridge.onboarding.internal;

import java.util.regex.Pattern;

/**
 * Where a PPSK venue's passphrases go on a Meraki dashboard: an SSID of a network, the group policy each identity PSK
 * gets (Meraki's API requires one when an identity PSK is created) and the name of the configured API key to use
 * ({@code null}: the default key {@code onboarding.meraki.api-key}).
 */
record MerakiTarget(String networkId, int ssidNumber, String groupPolicyId, String apiKeyName) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern KEY_NAME = Pattern.compile("[a-z0-9-]{1,64}");

    MerakiTarget {
        if (networkId == null || !ID.matcher(networkId).matches()) {
            throw new IllegalArgumentException("merakiNetworkId must be the dashboard's network id, e.g. N_24329156 or L_6432");
        }
        if (ssidNumber < 0 || ssidNumber > 14) {
            throw new IllegalArgumentException("merakiSsidNumber must be the SSID's number, 0 to 14");
        }
        if (groupPolicyId == null || !ID.matcher(groupPolicyId).matches()) {
            throw new IllegalArgumentException("merakiGroupPolicyId is required: Meraki creates no identity PSK without a group policy");
        }
        if (apiKeyName != null && !KEY_NAME.matcher(apiKeyName).matches()) {
            throw new IllegalArgumentException("merakiApiKey names a configured key (onboarding.meraki.api-key.<name>): a-z, 0-9 and -");
        }
    }

    /** The configuration property holding this target's API key. */
    String apiKeyProperty() {
        return apiKeyName == null ? "onboarding.meraki.api-key" : "onboarding.meraki.api-key." + apiKeyName;
    }

    /** The rate budget's channel: Meraki counts per organisation, and a key stands for the organisation it administers. */
    String budgetChannel() {
        return "meraki-" + (apiKeyName == null ? "default" : apiKeyName);
    }
}
