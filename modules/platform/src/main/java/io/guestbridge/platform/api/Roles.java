package io.guestbridge.platform.api;

import java.util.List;
import java.util.Set;

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

    /**
     * Refuses, as forbidden, a caller none of whose roles is one of {@code allowed}: the check of every module's desk
     * for channels other than the JSON API, where no {@code @RolesAllowed} stands in front. {@code what} ends the
     * sentence "Only [roles] may …".
     */
    public static void requireAny(Set<String> allowed, Set<String> held, String what) {
        if (held == null || held.stream().noneMatch(allowed::contains)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only " + allowed + " may " + what + ".");
        }
    }
}
