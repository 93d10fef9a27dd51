package io.guestbridge.tlog;

/** Where the audit log first stops holding: a record's sequence number, and what is wrong from there. */
public record LogBreak(long sequence, String reason) {
}
