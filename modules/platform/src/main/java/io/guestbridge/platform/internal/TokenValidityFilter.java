package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemType;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.Map;

/**
 * Refuses a bearer token that is not valid yet. Payara's MicroProfile JWT verifier checks the
 * signature, issuer, audience and expiry but not {@code nbf}: a token an identity provider issued for
 * later (or one whose clock is far ahead) would otherwise work at once. The same clock skew as for
 * expiry ({@code mp.jwt.verify.clock.skew}, 60 s by default) is allowed.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TokenValidityFilter implements ContainerRequestFilter {

    private final long skewSeconds = ConfigProvider.getConfig().getOptionalValue("mp.jwt.verify.clock.skew", Long.class).orElse(60L);

    @Override
    public void filter(ContainerRequestContext request) {
        SecurityContext security = request.getSecurityContext();
        if (security == null || !(security.getUserPrincipal() instanceof JsonWebToken token)) {
            return;
        }
        Object notBefore = token.getClaim("nbf");
        long nbf = notBefore instanceof Number n ? n.longValue()
                : notBefore instanceof jakarta.json.JsonNumber j ? j.longValue() : Long.MIN_VALUE;
        if (nbf != Long.MIN_VALUE && nbf > Instant.now().getEpochSecond() + skewSeconds) {
            request.abortWith(Problems.response(ProblemType.UNAUTHENTICATED,
                    "The bearer token is not valid yet (its nbf claim lies in the future); use a token that is valid now.",
                    "/" + request.getUriInfo().getPath(), Map.of()));
        }
    }
}
