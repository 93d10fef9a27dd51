package io.guestbridge.platform.api;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A desk's role check: one allowed role suffices; none, or no roles at all, is forbidden before anything happens. */
class RolesTest {

    @Test
    void oneAllowedRoleSufficesAndNoneIsForbidden() {
        Set<String> allowed = Set.of(Roles.OPERATOR, Roles.DPO);
        assertDoesNotThrow(() -> Roles.requireAny(allowed, Set.of("marketing", Roles.DPO), "replay"));
        for (Set<String> held : new Set[] {Set.of(), Set.of(Roles.COMPLIANCE_OFFICER), null}) {
            ProblemException refused = assertThrows(ProblemException.class, () -> Roles.requireAny(allowed, held, "replay"));
            assertEquals(ProblemType.FORBIDDEN, refused.type(), String.valueOf(held));
        }
    }
}
