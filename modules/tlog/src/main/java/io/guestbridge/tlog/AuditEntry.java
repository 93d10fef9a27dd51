package io.guestbridge.tlog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * An audit record's content in the one form it is hashed as: its chain hash is SHA-256 of this form, and
 * the entry of its Merkle tree leaf is this form in UTF-8. Kept here, apart from the database, so that the
 * server and an offline verifier compute the same bytes.
 *
 * @param detailsJson the details as {@link Canonical#json} writes them
 * @param prevHash    the hash of the record before (64 zeros before the first record)
 */
public record AuditEntry(long seq, Instant occurredAt, String actor, String action, String module, String subject,
                         String detailsJson, String prevHash) {

    /** The previous hash of the first record. */
    public static final String GENESIS = "0".repeat(64);

    public AuditEntry {
        // the database keeps microseconds: a finer instant would hash differently once read back
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    }

    public String canonical() {
        return Canonical.object(new String[][]{
                {"seq", Long.toString(seq)},
                {"at", DateTimeFormatter.ISO_INSTANT.format(occurredAt)},
                {"actor", actor},
                {"action", action},
                {"module", module},
                {"subject", subject},
                {"details", detailsJson},
                {"prev", prevHash}});
    }

    /** The entry of this record's Merkle tree leaf. */
    public byte[] leafEntry() {
        return canonical().getBytes(StandardCharsets.UTF_8);
    }

    /** The chain hash this content should have, in hex. */
    public String hash() {
        return hashOf(leafEntry());
    }

    /** The chain hash of content whose {@link #leafEntry()} this is, in hex: for a caller that needs both. */
    public static String hashOf(byte[] leafEntry) {
        return HexFormat.of().formatHex(Sha256.digest().digest(leafEntry));
    }
}
