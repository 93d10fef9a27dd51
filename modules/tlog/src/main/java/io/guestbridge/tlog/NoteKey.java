package io.guestbridge.tlog;


import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An Ed25519 key of the C2SP signed-note format, in the text forms the Go {@code sumdb/note} tools and
 * transparency-log witnesses use: {@code PRIVATE+KEY+<name>+<key id>+<base64(0x01 ‖ seed)>} for the
 * signer (a secret from configuration), {@code <name>+<key id>+<base64(0x01 ‖ public key)>} for
 * verifiers. The key id is the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
 */
public final class NoteKey {

    private static final byte ED25519 = 0x01;
    private static final String DASH = "\u2014 ";
    /** DER prefixes of a raw Ed25519 key: PKCS#8 for the 32-byte seed, X.509 for the 32-byte public key (RFC 8410). */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final String name;
    private final byte[] publicKey;
    private final PrivateKey privateKey;

    private NoteKey(String name, byte[] publicKey, PrivateKey privateKey) {
        this.name = name;
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** A signer from its {@code PRIVATE+KEY+…} text. */
    public static NoteKey signer(String text) {
        String[] parts = text.trim().split("\\+", 5); // base64 may contain '+': the key is the rest
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IllegalArgumentException("the audit signing key is not a signed-note private key (PRIVATE+KEY+<name>+<id>+<key>)");
        }
        byte[] key = decode(parts[4]);
        if (key.length != 33 || key[0] != ED25519) {
            throw new IllegalArgumentException("the audit signing key is not an Ed25519 key");
        }
        byte[] seed = Arrays.copyOfRange(key, 1, 33);
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
            NoteKey signer = new NoteKey(parts[2], publicKeyOf(seed), privateKey);
            if (!signer.keyIdHex().equals(parts[3])) {
                throw new IllegalArgumentException("the audit signing key's id does not match its name and key");
            }
            return signer;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the audit signing key cannot be read as Ed25519", e);
        }
    }

    /** A verifier from its {@code <name>+<id>+<key>} text. */
    public static NoteKey verifier(String text) {
        String[] parts = text.trim().split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a signed-note verifier key (<name>+<id>+<key>)");
        }
        byte[] key = decode(parts[2]);
        if (key.length != 33 || key[0] != ED25519) {
            throw new IllegalArgumentException("the verifier key is not an Ed25519 key");
        }
        NoteKey verifier = new NoteKey(parts[0], Arrays.copyOfRange(key, 1, 33), null);
        if (!verifier.keyIdHex().equals(parts[1])) {
            throw new IllegalArgumentException("the verifier key's id does not match its name and key");
        }
        return verifier;
    }

    /** A new random signer named {@code name}, as its {@code PRIVATE+KEY+…} text. */
    public static String generate(String name) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        NoteKey key = new NoteKey(name, publicKeyOf(seed), null);
        return "PRIVATE+KEY+" + name + "+" + key.keyIdHex() + "+" + Base64.getEncoder().encodeToString(concat(new byte[]{ED25519}, seed));
    }

    public String name() {
        return name;
    }

    public String verifierKey() {
        return name + "+" + keyIdHex() + "+" + Base64.getEncoder().encodeToString(concat(new byte[]{ED25519}, publicKey));
    }

    /** The signed note of {@code text} (which ends in a newline): the text, a blank line, this key's signature line. */
    public String sign(String text) {
        if (privateKey == null) {
            throw new IllegalStateException("a verifier key cannot sign");
        }
        if (!text.endsWith("\n") || text.contains("\n\n")) {
            throw new IllegalArgumentException("a note's text ends in one newline and has no blank line");
        }
        try {
            Signature ed = Signature.getInstance("Ed25519");
            ed.initSign(privateKey);
            ed.update(text.getBytes(StandardCharsets.UTF_8));
            byte[] signature = concat(keyId(), ed.sign());
            return text + "\n" + DASH + name + " " + Base64.getEncoder().encodeToString(signature) + "\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * The text of {@code note} when this key signed it. Empty when the note is malformed, carries no
     * signature of this key, or its signature does not verify: as the format says, the text of a note is
     * then to be ignored.
     */
    public Optional<String> open(String note) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            return Optional.empty();
        }
        String text = note.substring(0, split + 1);
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith(DASH)) {
                return Optional.empty();
            }
            String[] parts = line.substring(DASH.length()).split(" ");
            if (parts.length != 2 || !parts[0].equals(name)) {
                continue;
            }
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (signature.length != 68 || !Arrays.equals(Arrays.copyOfRange(signature, 0, 4), keyId())) {
                continue;
            }
            return verifies(text, Arrays.copyOfRange(signature, 4, 68)) ? Optional.of(text) : Optional.empty();
        }
        return Optional.empty();
    }

    private boolean verifies(String text, byte[] signature) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, publicKey)));
            Signature ed = Signature.getInstance("Ed25519");
            ed.initVerify(key);
            ed.update(text.getBytes(StandardCharsets.UTF_8));
            return ed.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private byte[] keyId() {
        MessageDigest sha = Sha256.digest();
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x0A);
        sha.update(ED25519);
        return Arrays.copyOf(sha.digest(publicKey), 4);
    }

    private String keyIdHex() {
        return HexFormat.of().formatHex(keyId());
    }

    /** The public key of a seed: the JDK derives it only while generating, so the generator is handed the seed as its randomness. */
    private static byte[] publicKeyOf(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(255, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            byte[] encoded = generator.generateKeyPair().getPublic().getEncoded();
            return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signed-note key is not base64");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
