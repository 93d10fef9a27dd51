package io.guestbridge.console.internal;

import io.guestbridge.crmsync.api.CrmDesk;
import io.guestbridge.ingestion.api.QuarantineDesk;
import io.guestbridge.ingestion.api.SourceDesk;
import io.guestbridge.platform.api.Roles;
import io.guestbridge.privacy.api.PrivacyDesk;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every page and action of the console with the roles that open it: the one gate the servlet passes every request
 * through after sign-in (a path not here is not found; a role not here is refused), so that a page cannot be added
 * without saying who may use it. An action's roles are those its module's api allows, which are the management
 * API's for the same operation.
 */
enum ConsolePage {

    OVERVIEW("GET", "/", Set.of(Roles.OPERATOR, Roles.COMPLIANCE_OFFICER, Roles.DPO)),
    REQUESTS("GET", "/requests", PrivacyDesk.Action.VIEW.roles()),
    REQUEST("GET", "/requests/" + Patterns.ID, PrivacyDesk.Action.VIEW.roles()),
    CERTIFICATE("GET", "/requests/" + Patterns.ID + "/certificate", PrivacyDesk.Action.CERTIFICATE.roles()),
    APPROVE("POST", "/requests/" + Patterns.ID + "/approve", PrivacyDesk.Action.APPROVE.roles()),
    REJECT("POST", "/requests/" + Patterns.ID + "/reject", PrivacyDesk.Action.REJECT.roles()),
    EXTEND("POST", "/requests/" + Patterns.ID + "/extend", PrivacyDesk.Action.EXTEND.roles()),
    CONFIRM_STEP("POST", "/requests/" + Patterns.ID + "/steps/" + Patterns.SYSTEM + "/confirm", PrivacyDesk.Action.CONFIRM_STEP.roles()),
    RESUME_STEP("POST", "/requests/" + Patterns.ID + "/steps/" + Patterns.SYSTEM + "/resume", PrivacyDesk.Action.RESUME_STEP.roles()),
    AUDIT("GET", "/audit", Set.of(Roles.COMPLIANCE_OFFICER)),
    AUDIT_VERIFY("POST", "/audit/verify", Set.of(Roles.COMPLIANCE_OFFICER)),
    AUDIT_EXPORT("POST", "/audit/export", Set.of(Roles.COMPLIANCE_OFFICER)),
    GUESTS("GET", "/guests", PrivacyDesk.Action.LOOK_UP_GUEST.roles()),
    GUEST_LOOKUP("POST", "/guests/lookup", PrivacyDesk.Action.LOOK_UP_GUEST.roles()),
    DATA_MAP("GET", "/data-map", PrivacyDesk.Action.VIEW_DATA_MAP.roles()),
    RECORD_OF_PROCESSING("GET", "/data-map/record-of-processing\\.csv", PrivacyDesk.Action.RECORD_OF_PROCESSING.roles()),
    RECORD_OF_PROCESSING_DOCUMENT("GET", "/data-map/record-of-processing", PrivacyDesk.Action.RECORD_OF_PROCESSING.roles()),
    QUEUES("GET", "/operations/queues", Set.of(Roles.OPERATOR)),
    QUARANTINE("GET", "/operations/quarantine", QuarantineDesk.ROLES),
    QUARANTINED("GET", "/operations/quarantine/" + Patterns.NUMBER, QuarantineDesk.ROLES),
    QUARANTINE_REPLAY("POST", "/operations/quarantine/" + Patterns.NUMBER + "/replay", QuarantineDesk.ROLES),
    QUARANTINE_DISCARD("POST", "/operations/quarantine/" + Patterns.NUMBER + "/discard", QuarantineDesk.ROLES),
    CRM("GET", "/operations/crm", CrmDesk.ROLES),
    DEAD_LETTER_REPLAY("POST", "/operations/crm/" + Patterns.CONNECTOR + "/dead-letters/" + Patterns.NUMBER + "/replay", CrmDesk.ROLES),
    DEAD_LETTER_DISCARD("POST", "/operations/crm/" + Patterns.CONNECTOR + "/dead-letters/" + Patterns.NUMBER + "/discard", CrmDesk.ROLES),
    SOURCES("GET", "/operations/sources", SourceDesk.ROLES),
    SOURCE_REGISTER("POST", "/operations/sources", SourceDesk.ROLES),
    SOURCE_ROTATE("POST", "/operations/sources/" + Patterns.SOURCE + "/rotate", SourceDesk.ROLES),
    SOURCE_REVOKE("POST", "/operations/sources/" + Patterns.SOURCE + "/revoke", SourceDesk.ROLES);

    private final String method;
    private final Pattern path;
    private final Set<String> roles;

    ConsolePage(String method, String path, Set<String> roles) {
        this.method = method;
        this.path = Pattern.compile(path);
        this.roles = Set.copyOf(roles);
    }

    /** The page or action a request names (its path below /console), if the console has it. */
    static Optional<ConsolePage> of(String method, String path) {
        return Arrays.stream(values()).filter(p -> p.method.equals(method) && p.path.matcher(path).matches()).findFirst();
    }

    Set<String> roles() {
        return roles;
    }

    boolean allowedFor(Set<String> held) {
        return held.stream().anyMatch(roles::contains);
    }

    private static final class Patterns {
        static final String ID = "[0-9a-f-]{36}";
        static final String SYSTEM = "[a-z0-9][a-z0-9._-]{0,63}";
        static final String NUMBER = "[0-9]{1,18}";
        static final String SOURCE = "[A-Za-z0-9-]{1,64}";
        static final String CONNECTOR = "[A-Za-z0-9._-]{1,64}";
    }
}
