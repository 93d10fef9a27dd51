package io.guestbridge.privacy.internal.staff;

import io.guestbridge.privacy.api.PrivacyDesk.Action;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The console's desk allows each action to exactly the roles the management API allows it to. */
class DeskRolesTest {

    private static final Map<Action, String> RESOURCE_METHOD = Map.of(
            Action.VIEW, "get", Action.APPROVE, "approve", Action.REJECT, "reject", Action.EXTEND, "extend",
            Action.CONFIRM_STEP, "confirm", Action.RESUME_STEP, "resume", Action.LOOK_UP_GUEST, "search", Action.VIEW_DATA_MAP, "map",
            Action.RECORD_OF_PROCESSING, "recordOfProcessing", Action.CERTIFICATE, "certificate");
    /** The resource of each action's API operation: the privacy module's, or the guests' resource for a guest lookup. */
    private static final Map<Action, String> RESOURCE = Map.of(Action.LOOK_UP_GUEST, "io.guestbridge.identity.internal.GuestResource",
            Action.VIEW_DATA_MAP, DataMapResource.class.getName(), Action.RECORD_OF_PROCESSING, DataMapResource.class.getName());

    @Test
    void everyActionHasTheRolesOfItsResourceMethod() throws ClassNotFoundException {
        assertEquals(Set.of(Action.values()), RESOURCE_METHOD.keySet(), "every desk action is mapped to its API operation");
        for (Map.Entry<Action, String> entry : RESOURCE_METHOD.entrySet()) {
            String resource = RESOURCE.getOrDefault(entry.getKey(), PrivacyResource.class.getName());
            assertEquals(Set.of(rolesOf(resource, entry.getValue())), entry.getKey().roles(), entry.getKey() + " vs " + resource + "." + entry.getValue());
        }
    }

    @Test
    void anActionIsAllowedOnlyForItsRoles() {
        assertEquals(false, Action.APPROVE.allowedFor(Set.of("operator", "compliance-officer")));
        assertEquals(true, Action.APPROVE.allowedFor(Set.of("operator", "dpo")));
    }

    private static String[] rolesOf(String resource, String method) throws ClassNotFoundException {
        // by name: a module's tests, like its code, import no other module's internal classes
        for (var m : Class.forName(resource).getDeclaredMethods()) {
            if (m.getName().equals(method) && m.isAnnotationPresent(RolesAllowed.class)) {
                return m.getAnnotation(RolesAllowed.class).value();
            }
        }
        throw new AssertionError(resource + " has no method " + method + " with @RolesAllowed");
    }
}
