package io.guestbridge.crmsync.internal.operations;

import io.guestbridge.crmsync.api.CrmDesk;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The console's CRM desk allows exactly the role the management API's CRM resource allows, on every operation. */
class CrmDeskRolesTest {

    @Test
    void theDeskHasTheResourcesRoles() {
        assertEquals(Set.of(CrmResource.class.getAnnotation(RolesAllowed.class).value()), CrmDesk.ROLES);
        for (Method operation : CrmResource.class.getDeclaredMethods()) {
            assertFalse(operation.isAnnotationPresent(RolesAllowed.class), "no CRM operation widens its roles: " + operation.getName());
        }
    }
}
