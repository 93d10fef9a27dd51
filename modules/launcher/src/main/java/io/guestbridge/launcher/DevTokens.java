package io.guestbridge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A development key pair and the MicroProfile JWT bearer tokens signed with it.
 *
 * <p>Only for the local run and the tests: production configures the identity provider's public key
 * ({@code mp.jwt.verify.publickey.location}) and never uses these. The private key stays in the
 * guestbridge home directory with owner-only permissions; it is never in the repository.
 */
public final class DevTokens {

    public static final String ISSUER = "https://guestbridge.local/dev-issuer";
    /** The audience the server expects by default (mp.jwt.verify.audiences): tokens minted for other services are refused. */
    public static final String AUDIENCE = "guestbridge";
    /** The audience of the console's development sign-in links. */
    public static final String CONSOLE_AUDIENCE = "guestbridge-console";

    private final PrivateKey privateKey;
    private final Path publicKeyPem;

    private DevTokens(PrivateKey privateKey, Path publicKeyPem) {
        this.privateKey = privateKey;
        this.publicKeyPem = publicKeyPem;
    }

    /** Loads the key pair from {@code dir}, generating it on first use. */
    public static DevTokens in(Path dir) {
        try {
            Files.createDirectories(dir);
            Path privatePem = dir.resolve("dev-jwt-private.pem");
            Path publicPem = dir.resolve("dev-jwt-public.pem");
            if (!Files.exists(privatePem) || !Files.exists(publicPem)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                writePem(privatePem, "PRIVATE KEY", pair.getPrivate().getEncoded(), true);
                writePem(publicPem, "PUBLIC KEY", pair.getPublic().getEncoded(), false);
            }
            byte[] der = readPem(privatePem);
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new DevTokens(key, publicPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the development JWT key pair", e);
        }
    }

    public Path publicKeyPem() {
        return publicKeyPem;
    }

    /**
     * A development master key (32 random bytes, base64) in {@code dir/master.key}, owner-only, made on
     * first use. It seals signing secrets and per-guest data keys; losing it makes them unreadable, which
     * for a development database is acceptable. Production supplies its own.
     */
    public static Path devMasterKey(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("master.key");
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name (and checkpoint origin) of the development audit log key. */
    public static final String DEV_AUDIT_LOG = "guestbridge.local/audit";

    /**
     * The development key that signs the audit log's checkpoints, in the signed-note private key form
     * ({@code PRIVATE+KEY+<name>+<key id>+<base64(0x01 || Ed25519 seed)>}), made once in {@code dir}; beside it
     * {@code audit-verifier.key}, the public verifier key that checks the checkpoints. Production sets
     * AUDIT_SIGNING_KEY_FILE to its own key.
     */
    public static Path devAuditKey(Path dir) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("audit-signing.key");
            if (!Files.exists(file)) {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] pkcs8 = pair.getPrivate().getEncoded();
                byte[] x509 = pair.getPublic().getEncoded();
                byte[] seed = java.util.Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
                byte[] publicKey = java.util.Arrays.copyOfRange(x509, x509.length - 32, x509.length);
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                sha.update((DEV_AUDIT_LOG + "\n").getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x01);
                String keyId = java.util.HexFormat.of().formatHex(java.util.Arrays.copyOf(sha.digest(publicKey), 4));
                Files.writeString(dir.resolve("audit-verifier.key"), DEV_AUDIT_LOG + "+" + keyId + "+" + Base64.getEncoder().encodeToString(
                        withAlgorithm(publicKey)) + "\n", StandardCharsets.US_ASCII);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, "PRIVATE+KEY+" + DEV_AUDIT_LOG + "+" + keyId + "+" + Base64.getEncoder().encodeToString(withAlgorithm(seed))
                        + "\n", StandardCharsets.US_ASCII);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    private static byte[] withAlgorithm(byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = 0x01; // Ed25519 in the signed-note format
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    /** A token for {@code subject} carrying the given roles as MicroProfile JWT {@code groups}. */
    public String mint(String subject, Duration lifetime, String... roles) {
        return mintFor(AUDIENCE, subject, lifetime, roles);
    }

    /**
     * The token of a one-time console sign-in link for the development run: for the console's audience only, so the
     * API refuses it as a bearer token and the console refuses the API's tokens as links.
     */
    public String mintConsoleLink(String subject, Duration lifetime, String role) {
        return mintFor(CONSOLE_AUDIENCE, subject, lifetime, role);
    }

    private String mintFor(String audience, String subject, Duration lifetime, String... roles) {
        Instant now = Instant.now();
        StringBuilder groups = new StringBuilder("[");
        for (int i = 0; i < roles.length; i++) {
            groups.append(i == 0 ? "" : ",").append('"').append(roles[i]).append('"');
        }
        groups.append(']');
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
                + "\",\"groups\":" + groups + ",\"iat\":" + now.getEpochSecond()
                + ",\"exp\":" + now.plus(lifetime).getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writePem(Path file, String type, byte[] der, boolean secret) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        if (secret) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static byte[] readPem(Path file) throws IOException {
        String body = Files.readString(file, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) [A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
