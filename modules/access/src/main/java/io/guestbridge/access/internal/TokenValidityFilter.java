package io.guestbridge.access.internal;

import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;

/**
 * Refuses a bearer token that the MicroProfile JWT verifier accepted but that must not work: one not
 * valid yet ({@code nbf} in the future: Payara's verifier checks signature, issuer, audience and expiry
 * but not nbf), or one revoked (see {@link TokenRevocations}). The same clock skew as for expiry
 * ({@code mp.jwt.verify.clock.skew}, 60 s by default) is allowed.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TokenValidityFilter implements ContainerRequestFilter {

    private final long skewSeconds = ConfigProvider.getConfig().getOptionalValue("mp.jwt.verify.clock.skew", Long.class).orElse(60L);

    /** Where the verifier reads the token (mp.jwt.token.header): the Authorization header unless configured as a cookie. */
    private final boolean tokenInAuthorizationHeader = !"Cookie".equalsIgnoreCase(
            ConfigProvider.getConfig().getOptionalValue("mp.jwt.token.header", String.class).orElse("Authorization"));

    @Inject
    TokenRevocations revocations;

    @Override
    public void filter(ContainerRequestContext request) {
        if (tokenInAuthorizationHeader && request.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
            return; // no token to check: public callers (FreeRADIUS asking for every device, webhooks) pay nothing here
        }
        SecurityContext security = request.getSecurityContext();
        if (security == null || !(security.getUserPrincipal() instanceof JsonWebToken token)) {
            return;
        }
        long nbf = seconds(token.getClaim("nbf"));
        if (nbf > 0 && nbf > Instant.now().getEpochSecond() + skewSeconds) {
            throw new ProblemException(ProblemType.UNAUTHENTICATED,
                    "The bearer token is not valid yet (its nbf claim lies in the future); use a token that is valid now.");
        }
        if (revocations.revoked(token.getTokenID(), token.getSubject(), seconds(token.getClaim("iat")))) {
            throw new ProblemException(ProblemType.UNAUTHENTICATED,
                    "This bearer token was revoked; ask the identity provider for a new one.");
        }
    }

    private static long seconds(Object claim) {
        return claim instanceof Number n ? n.longValue() : claim instanceof jakarta.json.JsonNumber j ? j.longValue() : 0;
    }
}
