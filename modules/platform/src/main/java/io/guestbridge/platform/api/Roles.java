package io.guestbridge.platform.api;

import java.util.List;

/** The roles of the management API, carried in the MicroProfile JWT {@code groups} claim. */
public final class Roles {

    /** Runs guestbridge: sources, connectors, queues, quarantine, dead letters. */
    public static final String OPERATOR = "operator";
    /** Reads and verifies the audit trail and consent evidence. */
    public static final String COMPLIANCE_OFFICER = "compliance-officer";
    /** The data protection officer: data-subject requests, extensions, legal holds. */
    public static final String DPO = "dpo";
    /** Machine clients: integrations that register sources and pull changes. */
    public static final String INTEGRATION = "integration";

    public static final List<String> ALL = List.of(OPERATOR, COMPLIANCE_OFFICER, DPO, INTEGRATION);

    private Roles() {
    }
}
