package io.guestbridge.console.internal;

import io.guestbridge.platform.api.Roles;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the values of the provider's role claim (its groups or roles, named as the enterprise names them) into the
 * console's roles. Configured as {@code provider-value=role} pairs separated by commas; a value not listed gives
 * no role, so a person the enterprise did not put in a mapped group is signed in with no right at all.
 */
final class RoleMapping {

    static final List<String> CONSOLE_ROLES = List.of(Roles.OPERATOR, Roles.COMPLIANCE_OFFICER, Roles.DPO);
    static final String IDENTITY = "operator=operator,compliance-officer=compliance-officer,dpo=dpo";

    private final Map<String, String> byProviderValue;

    private RoleMapping(Map<String, String> byProviderValue) {
        this.byProviderValue = Map.copyOf(byProviderValue);
    }

    static RoleMapping parse(String pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : pairs.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.lastIndexOf('=');
            if (equals <= 0 || equals == pair.length() - 1) {
                throw new IllegalArgumentException("console.oidc.role-map: '" + pair.strip() + "' is not provider-value=role");
            }
            String role = pair.substring(equals + 1).strip();
            if (!CONSOLE_ROLES.contains(role)) {
                throw new IllegalArgumentException("console.oidc.role-map: '" + role + "' is not one of " + CONSOLE_ROLES);
            }
            map.put(pair.substring(0, equals).strip(), role);
        }
        return new RoleMapping(map);
    }

    /**
     * The console roles of a claim's value: a list of names (groups, roles) or one name. A dotted claim path such as
     * {@code realm_access.roles} is resolved by the caller; here the value only.
     */
    Set<String> rolesOf(Object claimValue) {
        Set<String> roles = new LinkedHashSet<>();
        if (claimValue instanceof Collection<?> values) {
            for (Object value : values) {
                add(roles, value);
            }
        } else {
            add(roles, claimValue);
        }
        return Set.copyOf(roles);
    }

    private void add(Set<String> roles, Object value) {
        if (value instanceof String name) {
            // some providers write groups as paths ("/Compliance"); both spellings may be configured
            String role = byProviderValue.get(name);
            if (role != null) {
                roles.add(role);
            }
        }
    }

    /** The value of a claim at a dotted path in a claims object, or null. */
    static Object claimAt(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }
}
