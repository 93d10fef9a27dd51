package io.guestbridge.tlog;

import java.util.Base64;

/**
 * A checkpoint of the audit log in the C2SP tlog-checkpoint text: the log's origin, the tree size in
 * decimal, the root hash in base64, one per line. It is published only as the text of a signed note.
 */
public record Checkpoint(String origin, long size, byte[] rootHash) {

    public String text() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
    }

    /** Reads a checkpoint's text (extension lines after the third are allowed and ignored). */
    public static Checkpoint parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4 || lines[0].isEmpty()) {
            throw new IllegalArgumentException("a checkpoint has an origin line, a tree size line and a root hash line");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the checkpoint's second line is not a tree size");
        }
        if (size < 0 || !lines[1].equals(Long.toString(size))) {
            throw new IllegalArgumentException("the checkpoint's tree size is not a plain decimal number");
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the checkpoint's third line is not a base64 hash");
        }
        if (root.length != 32) {
            throw new IllegalArgumentException("the checkpoint's root hash is not 32 bytes");
        }
        return new Checkpoint(lines[0], size, root);
    }
}
