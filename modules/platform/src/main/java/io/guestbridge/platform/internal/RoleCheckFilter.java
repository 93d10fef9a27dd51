package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemType;
import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;

/**
 * Enforces {@code @RolesAllowed} on resources with answers a client can tell apart: 401 (no valid
 * token) and 403 (valid token, wrong role), both as problem+json. A resource without any of the
 * security annotations is refused: an endpoint is public only when it says {@code @PermitAll}.
 */
@Provider
@Priority(Priorities.AUTHORIZATION - 10)
public class RoleCheckFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Class<?> type = resource.getResourceClass();
        if (method.isAnnotationPresent(PermitAll.class)
                || (!method.isAnnotationPresent(RolesAllowed.class) && !method.isAnnotationPresent(DenyAll.class)
                && type.isAnnotationPresent(PermitAll.class))) {
            return;
        }
        RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class)
                ? method.getAnnotation(RolesAllowed.class) : type.getAnnotation(RolesAllowed.class);
        SecurityContext security = request.getSecurityContext();
        if (security == null || security.getUserPrincipal() == null) {
            request.abortWith(Problems.response(ProblemType.UNAUTHENTICATED,
                    "Send a valid bearer token (Authorization: Bearer <JWT>) issued by the configured identity provider.",
                    "/" + request.getUriInfo().getPath(), Map.of()));
            return;
        }
        boolean allowed = roles != null && !method.isAnnotationPresent(DenyAll.class)
                && Arrays.stream(roles.value()).anyMatch(security::isUserInRole);
        if (!allowed) {
            request.abortWith(Problems.response(ProblemType.FORBIDDEN,
                    "This endpoint needs one of the roles " + (roles == null ? "[]" : Arrays.toString(roles.value()))
                            + "; your token carries none of them.",
                    "/" + request.getUriInfo().getPath(), Map.of()));
        }
    }
}
