package io.guestbridge.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Bearer tokens as an attacker or a misconfigured identity provider would make them: the claims and
 * the signature are chosen by the test, so each way a token can be wrong is tried on its own. Signed
 * with the development key the server trusts unless the test asks for another key or algorithm.
 */
final class ForgedTokens {

    private ForgedTokens() {
    }

    /** A payload the server would accept: the development issuer, audience and a ten-minute life. */
    static String validClaims(String role, Instant now) {
        return "{\"iss\":\"https://guestbridge.local/dev-issuer\",\"aud\":\"guestbridge\",\"sub\":\"forger\",\"upn\":\"forger\","
                + "\"groups\":[\"" + role + "\"],\"iat\":" + now.getEpochSecond() + ",\"exp\":" + now.plusSeconds(600).getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
    }

    /** Signed RS256 with the development key that the server trusts. */
    static String signed(String payload) {
        return rs256(payload, trustedKey());
    }

    /** Signed RS256 with a key the server has never seen. */
    static String signedByAnotherKey(String payload) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return rs256(payload, generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none} and no signature. */
    static String unsigned(String payload) {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(payload) + ".";
    }

    /**
     * HS256 keyed with the bytes of the server's public key PEM: the classic confusion attack on a
     * verifier that takes the algorithm from the token.
     */
    static String hs256WithThePublicKey(String payload) {
        try {
            byte[] secret = Files.readAllBytes(devKeys().resolve("dev-jwt-public.pem"));
            String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(payload);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token whose payload was then replaced: the signature no longer covers what it carries. */
    static String withEditedPayload(String token, String payload) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    private static String rs256(String payload, PrivateKey key) {
        String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(payload);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey trustedKey() {
        try {
            String pem = Files.readString(devKeys().resolve("dev-jwt-private.pem"), StandardCharsets.US_ASCII)
                    .replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path devKeys() {
        return ItEnvironment.home().resolve("dev-keys");
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
