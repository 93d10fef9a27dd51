package io.guestbridge.console.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A development sign-in link signs its person in once, with its role; anything else signs nobody in. */
class DevSignInTest {

    @TempDir
    Path dir;

    @Test
    void aLinkWorksOnceForItsAudienceAndKeyOnly() throws Exception {
        KeyPair pair = rsa();
        Path pem = dir.resolve("dev-jwt-public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        DevSignIn links = DevSignIn.trusting(pem);

        String link = token(pair, DevSignIn.AUDIENCE, DevSignIn.DEV_ISSUER, 600);
        var identity = links.redeem(link).orElseThrow();
        assertEquals("dev-dpo", identity.subject());
        assertEquals(Set.of("dpo"), identity.roles());
        assertTrue(links.redeem(link).isEmpty(), "a link works once");

        assertTrue(links.redeem(token(pair, "guestbridge", DevSignIn.DEV_ISSUER, 600)).isEmpty(), "an API token is no link");
        assertTrue(links.redeem(token(pair, DevSignIn.AUDIENCE, "https://elsewhere.example", 600)).isEmpty(), "another issuer");
        assertTrue(links.redeem(token(pair, DevSignIn.AUDIENCE, DevSignIn.DEV_ISSUER, -600)).isEmpty(), "an expired link");
        assertTrue(links.redeem(token(rsa(), DevSignIn.AUDIENCE, DevSignIn.DEV_ISSUER, 600)).isEmpty(), "another key");
        assertTrue(links.redeem("not.a.token").isEmpty());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String token(KeyPair pair, String audience, String issuer, long lifetimeSeconds) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("dev-dpo").jwtID(UUID.randomUUID().toString())
                .claim("groups", List.of("dpo")).expirationTime(new Date(System.currentTimeMillis() + lifetimeSeconds * 1000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(pair.getPrivate()));
        return jwt.serialize();
    }
}
