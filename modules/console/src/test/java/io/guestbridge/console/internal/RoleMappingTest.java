package io.guestbridge.console.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoleMappingTest {

    @Test
    void providerGroupsBecomeConsoleRolesAndUnknownOnesNothing() {
        RoleMapping mapping = RoleMapping.parse("/Privacy/DPO=dpo, gb-ops=operator,auditors=compliance-officer");
        assertEquals(Set.of("dpo", "operator"), mapping.rolesOf(List.of("/Privacy/DPO", "gb-ops", "marketing")));
        assertEquals(Set.of("compliance-officer"), mapping.rolesOf("auditors"));
        assertEquals(Set.of(), mapping.rolesOf(List.of("marketing", "dpo")), "a console role's name is no role unless mapped");
        assertEquals(Set.of(), mapping.rolesOf(null));
    }

    @Test
    void aMappingToAnythingButAConsoleRoleIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> RoleMapping.parse("admins=integration"));
        assertThrows(IllegalArgumentException.class, () -> RoleMapping.parse("admins"));
    }

    @Test
    void aDottedClaimPathReachesIntoAnObject() {
        Map<String, Object> claims = Map.of("realm_access", Map.of("roles", List.of("dpo")), "groups", List.of("operator"));
        assertEquals(List.of("dpo"), RoleMapping.claimAt(claims, "realm_access.roles"));
        assertEquals(List.of("operator"), RoleMapping.claimAt(claims, "groups"));
        assertNull(RoleMapping.claimAt(claims, "groups.x"));
    }

    @Test
    void afterSignInOnlyAConsolePathIsFollowed() {
        assertEquals("/console/requests?due=OVERDUE", ConsoleServlet.safeNext("/console/requests?due=OVERDUE"));
        assertEquals("/console/", ConsoleServlet.safeNext("https://evil.example/console/"));
        assertEquals("/console/", ConsoleServlet.safeNext("//evil.example/console/"));
        assertEquals("/console/", ConsoleServlet.safeNext("/console/\\\\evil.example"));
        assertEquals("/console/", ConsoleServlet.safeNext(null));
    }
}
