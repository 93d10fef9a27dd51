package io.guestbridge.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every JVM has: this module stands alone so that the launcher can verify the log without the server's modules. */
final class Sha256 {

    /**
     * Never used itself, only copied: a copy of a digest that has not been fed costs less than finding the algorithm among
     * the providers again, and the audit log computes a few of them per record.
     */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {
    }

    /** A fresh SHA-256 digest, for the caller alone. */
    static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
