package io.guestbridge.console.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The development run's way in, when no OpenID Connect provider is configured: the launcher prints one link per role,
 * each carrying a short JWT signed with the development key pair for the audience {@value #AUDIENCE} (so no bearer
 * token of the API signs anyone in, and no link is a bearer token of the API). A link works once. There are no such
 * links when a provider is configured, nor when the server trusts any other issuer than the development one.
 */
final class DevSignIn {

    static final String AUDIENCE = "guestbridge-console";
    /** The issuer of the launcher's development tokens (DevTokens.ISSUER in the launcher). */
    static final String DEV_ISSUER = "https://guestbridge.local/dev-issuer";
    private static final Logger LOG = Logger.getLogger(DevSignIn.class.getName());
    private static final int MAX_REMEMBERED = 10_000;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final Map<String, Instant> spent = new ConcurrentHashMap<>();

    private DevSignIn(DefaultJWTProcessor<SecurityContext> processor) {
        this.processor = processor;
    }

    /** Present only in the development run: no provider, and the API trusts the development issuer's key file. */
    static Optional<DevSignIn> configured(Config config, boolean providerConfigured) {
        if (providerConfigured || !DEV_ISSUER.equals(config.getOptionalValue("mp.jwt.verify.issuer", String.class).orElse(""))) {
            return Optional.empty();
        }
        Optional<String> location = config.getOptionalValue("mp.jwt.verify.publickey.location", String.class);
        if (location.isEmpty() || !location.get().startsWith("file:")) {
            return Optional.empty();
        }
        try {
            return Optional.of(trusting(Path.of(URI.create(location.get()))));
        } catch (Exception | LinkageError e) {
            LOG.log(Level.WARNING, "the development sign-in links are off: the development public key could not be read", e);
            return Optional.empty();
        }
    }

    /** Links signed with the private key of this public key file (PEM) are taken. */
    static DevSignIn trusting(Path publicKeyPem) throws Exception {
        JWK key = new RSAKey.Builder(publicKey(publicKeyPem)).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(key))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE,
                new JWTClaimsSet.Builder().issuer(DEV_ISSUER).build(), new HashSet<>(List.of("sub", "exp", "jti", "groups"))));
        return new DevSignIn(processor);
    }

    /** The launcher's PEM public key file (SubjectPublicKeyInfo): read with the JDK, as Nimbus's PEM reader needs BouncyCastle. */
    private static RSAPublicKey publicKey(Path pem) throws Exception {
        String body = Files.readString(pem, StandardCharsets.US_ASCII).replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** The person a link signs in, once; empty for a link that is forged, expired or used. */
    Optional<OpenIdProvider.Identity> redeem(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Instant now = Instant.now();
            spent.values().removeIf(expiry -> expiry.isBefore(now));
            if (spent.size() >= MAX_REMEMBERED || spent.putIfAbsent(claims.getJWTID(), claims.getExpirationTime().toInstant()) != null) {
                return Optional.empty();
            }
            Set<String> roles = RoleMapping.parse(RoleMapping.IDENTITY).rolesOf(claims.getStringListClaim("groups"));
            return Optional.of(new OpenIdProvider.Identity(claims.getSubject(), claims.getSubject(), roles, null, null));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
