package io.guestbridge.app.it;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A verifier of the audit log's evidence written from the specifications alone (RFC 9162 sections
 * 2.1.3.2 and 2.1.4.2, C2SP signed-note), sharing no code with the server: what a regulator's own tool
 * would do with our proofs and checkpoints.
 */
final class Rfc9162 {

    private Rfc9162() {
    }

    static byte[] leafHash(byte[] entry) {
        return sha256(concat(new byte[]{0}, entry));
    }

    static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (leafIndex >= treeSize) {
            return false;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = sha256(concat(new byte[]{1}, p, r));
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = sha256(concat(new byte[]{1}, r, p));
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> proof) {
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstHash, secondHash);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstHash);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = sha256(concat(new byte[]{1}, c, fr));
                sr = sha256(concat(new byte[]{1}, c, sr));
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = sha256(concat(new byte[]{1}, sr, c));
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstHash) && Arrays.equals(sr, secondHash);
    }

    /** The text of a signed note whose signature by the verifier key ({@code name+id+base64(0x01 || key)}) holds; fails otherwise. */
    static String openNote(String note, String verifierKey) {
        String[] key = verifierKey.split("\\+", 3);
        byte[] publicKey = Base64.getDecoder().decode(key[2]);
        if (publicKey.length != 33 || publicKey[0] != 1) {
            throw new AssertionError("not an Ed25519 verifier key");
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new AssertionError("not a signed note: " + note);
        }
        String text = note.substring(0, split + 1);
        for (String line : note.substring(split + 2).split("\n")) {
            String prefix = "\u2014 " + key[0] + " ";
            if (!line.startsWith(prefix)) {
                continue;
            }
            byte[] signature = Base64.getDecoder().decode(line.substring(prefix.length()));
            byte[] keyId = Arrays.copyOf(sha256(concat((key[0] + "\n").getBytes(StandardCharsets.UTF_8), publicKey)), 4);
            if (!HexFormat.of().formatHex(keyId).equals(key[1]) || !Arrays.equals(Arrays.copyOf(signature, 4), keyId)) {
                throw new AssertionError("the signature is not by the verifier key");
            }
            try {
                byte[] spki = concat(HexFormat.of().parseHex("302a300506032b6570032100"), Arrays.copyOfRange(publicKey, 1, 33));
                PublicKey ed = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                Signature verify = Signature.getInstance("Ed25519");
                verify.initVerify(ed);
                verify.update(text.getBytes(StandardCharsets.UTF_8));
                if (verify.verify(Arrays.copyOfRange(signature, 4, signature.length))) {
                    return text;
                }
            } catch (GeneralSecurityException e) {
                throw new AssertionError(e);
            }
            throw new AssertionError("the signature does not verify");
        }
        throw new AssertionError("no signature by " + key[0]);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
