package io.guestbridge.console.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The enterprise's OpenID Connect provider, as the console's client: the authorization code flow with PKCE (S256),
 * state and nonce; the ID token checked against the provider's published keys (signature, issuer, audience, expiry,
 * nonce) by the Nimbus OAuth 2.0 SDK; roles from a configurable claim; sign-out at the provider (RP-initiated
 * logout with the ID token as hint). The provider's metadata is read from its discovery document on first use.
 *
 * <p>Configured by {@code console.oidc.issuer}, {@code console.oidc.client-id}, {@code console.oidc.client-secret}
 * (a confidential client; without it a public one), {@code console.oidc.roles-claim} (default {@code groups}, a
 * dotted path such as {@code realm_access.roles} reaches into an object) and {@code console.oidc.role-map}.
 */
final class OpenIdProvider {

    private static final int TIMEOUT_MS = 5_000;

    private final Issuer issuer;
    private final ClientID clientId;
    private final Secret clientSecret;
    private final String rolesClaim;
    private final RoleMapping roleMapping;
    private final Scope scope;
    private volatile OIDCProviderMetadata metadata;
    private volatile IDTokenValidator validator;

    /** A sign-in begun: what the browser is sent to, and what the callback must find again. */
    record Start(URI authorizationUri, String state, CodeVerifier verifier, Nonce nonce) {
    }

    /** Who signed in; {@code refreshToken} is null when the provider gave none (then roles are not read again). */
    record Identity(String subject, String displayName, Set<String> roles, String idToken, String refreshToken) {
    }

    /** The provider refused or failed; {@code detail} has no token and no personal data. */
    static final class SignInFailed extends Exception {
        private static final long serialVersionUID = 1L;

        SignInFailed(String detail, Throwable cause) {
            super(detail, cause);
        }
    }

    private OpenIdProvider(Issuer issuer, ClientID clientId, Secret clientSecret, String rolesClaim, RoleMapping roleMapping, Scope scope) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.rolesClaim = rolesClaim;
        this.roleMapping = roleMapping;
        this.scope = scope;
    }

    /** The provider the configuration names, or empty when none is configured (the development run). */
    static Optional<OpenIdProvider> configured(Config config) {
        Optional<String> issuer = config.getOptionalValue("console.oidc.issuer", String.class).filter(s -> !s.isBlank());
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        String clientId = config.getOptionalValue("console.oidc.client-id", String.class)
                .orElseThrow(() -> new IllegalStateException("console.oidc.issuer is set: set console.oidc.client-id too"));
        Secret secret = config.getOptionalValue("console.oidc.client-secret", String.class).filter(s -> !s.isBlank()).map(Secret::new).orElse(null);
        Scope scope = Scope.parse(config.getOptionalValue("console.oidc.scopes", String.class).orElse("openid"));
        if (!scope.contains("openid")) {
            scope.add("openid");
        }
        return Optional.of(new OpenIdProvider(new Issuer(issuer.get().strip()), new ClientID(clientId), secret,
                config.getOptionalValue("console.oidc.roles-claim", String.class).orElse("groups"),
                RoleMapping.parse(config.getOptionalValue("console.oidc.role-map", String.class).orElse(RoleMapping.IDENTITY)), scope));
    }

    /** The issuer's origin (scheme, host, port), where sign-out sends the browser. */
    String origin() {
        URI uri = URI.create(issuer.getValue());
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    Start start(URI redirectUri) throws SignInFailed {
        OIDCProviderMetadata provider = metadata();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest request = new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE), scope, clientId, redirectUri)
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
        return new Start(request.toURI(), state.getValue(), verifier, nonce);
    }

    /** Trades the code for tokens and checks the ID token; the code is bound to the verifier of its start. */
    Identity finish(String code, URI redirectUri, CodeVerifier verifier, Nonce nonce) throws SignInFailed {
        return identity(new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, verifier), nonce);
    }

    /**
     * The person as the provider sees them now, through the refresh token of their sign-in: their current roles (the
     * provider computes a new ID token from its current role mappings), or {@link SignInFailed} when the provider no
     * longer accepts the sign-in (session ended or revoked there, the person disabled or deleted).
     */
    Identity refresh(String refreshToken) throws SignInFailed {
        return identity(new RefreshTokenGrant(new RefreshToken(refreshToken)), null);
    }

    private Identity identity(AuthorizationGrant grant, Nonce nonce) throws SignInFailed {
        OIDCProviderMetadata provider = metadata();
        TokenRequest request = clientSecret == null
                ? new TokenRequest(provider.getTokenEndpointURI(), clientId, grant)
                : new TokenRequest(provider.getTokenEndpointURI(), new ClientSecretBasic(clientId, clientSecret), grant);
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(TIMEOUT_MS);
        http.setReadTimeout(TIMEOUT_MS);
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException | ParseException e) {
            throw new SignInFailed("the provider's token endpoint did not answer as OpenID Connect says", e);
        }
        if (!response.indicatesSuccess()) {
            throw new SignInFailed("the provider refused the " + (nonce == null ? "refresh" : "sign-in code") + ": "
                    + response.toErrorResponse().getErrorObject().getCode(), null);
        }
        OIDCTokens tokens = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
        JWT idToken = tokens.getIDToken();
        if (idToken == null) {
            throw new SignInFailed("the provider's answer has no ID token", null);
        }
        IDTokenClaimsSet claims;
        try {
            // a refreshed ID token repeats the sign-in's nonce or has none: only the sign-in itself is held to one
            claims = validator().validate(idToken, nonce);
        } catch (BadJOSEException | JOSEException e) {
            throw new SignInFailed("the provider's ID token did not pass its checks: " + e.getMessage(), e);
        }
        Map<String, Object> all = claims.toJSONObject();
        Object name = all.get("preferred_username");
        String subject = claims.getSubject().getValue();
        return new Identity(subject, name instanceof String s && !s.isBlank() ? s : subject,
                roleMapping.rolesOf(RoleMapping.claimAt(all, rolesClaim)), idToken.serialize(),
                tokens.getRefreshToken() == null ? null : tokens.getRefreshToken().getValue());
    }

    /** Where the browser goes to end the provider's session too, coming back to {@code signedOutUri}. */
    Optional<URI> signOut(String idToken, URI signedOutUri) {
        try {
            URI endpoint = metadata().getEndSessionEndpointURI();
            if (endpoint == null) {
                return Optional.empty();
            }
            JWT hint = idToken == null ? null : com.nimbusds.jwt.JWTParser.parse(idToken);
            return Optional.of(new LogoutRequest(endpoint, hint, signedOutUri, null).toURI());
        } catch (SignInFailed | java.text.ParseException e) {
            return Optional.empty();
        }
    }

    private OIDCProviderMetadata metadata() throws SignInFailed {
        OIDCProviderMetadata known = metadata;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (metadata == null) {
                try {
                    metadata = OIDCProviderMetadata.resolve(issuer, TIMEOUT_MS, TIMEOUT_MS);
                } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
                    throw new SignInFailed("the provider's discovery document could not be read", e);
                }
            }
            return metadata;
        }
    }

    private IDTokenValidator validator() throws SignInFailed {
        IDTokenValidator known = validator;
        if (known != null) {
            return known;
        }
        OIDCProviderMetadata provider = metadata();
        synchronized (this) {
            if (validator == null) {
                try {
                    validator = new IDTokenValidator(provider.getIssuer(), clientId, JWSAlgorithm.RS256, provider.getJWKSetURI().toURL(),
                            new DefaultResourceRetriever(TIMEOUT_MS, TIMEOUT_MS, 512 * 1024));
                } catch (java.net.MalformedURLException e) {
                    throw new SignInFailed("the provider's jwks_uri is not a URL", e);
                }
            }
            return validator;
        }
    }
}
