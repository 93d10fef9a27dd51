package io.guestbridge.ingestion.internal.sources;

import io.guestbridge.ingestion.api.QuarantineDesk;
import io.guestbridge.ingestion.api.SourceDesk;
import io.guestbridge.ingestion.internal.quarantine.QuarantineResource;
import jakarta.annotation.security.RolesAllowed;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The console's desks allow exactly the roles the management API's resources allow, on every operation. */
class DeskRolesTest {

    @Test
    void theSourceDeskHasTheRolesOfEverySourceOperation() {
        for (Method operation : SourceResource.class.getDeclaredMethods()) {
            if (operation.isAnnotationPresent(RolesAllowed.class)) {
                assertEquals(Set.of(operation.getAnnotation(RolesAllowed.class).value()), SourceDesk.ROLES, "SourceResource." + operation.getName());
            }
        }
    }

    @Test
    void theQuarantineDeskHasTheRolesOfTheQuarantine() {
        assertEquals(Set.of(QuarantineResource.class.getAnnotation(RolesAllowed.class).value()), QuarantineDesk.ROLES);
        for (Method operation : QuarantineResource.class.getDeclaredMethods()) {
            assertFalse(operation.isAnnotationPresent(RolesAllowed.class), "no operation of the quarantine widens its roles: " + operation.getName());
        }
    }
}
