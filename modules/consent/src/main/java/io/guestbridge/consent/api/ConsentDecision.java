package io.guestbridge.consent.api;

/**
 * What a guest decided about a purpose. {@code INVALID} records a consent the source reported but
 * that does not count (pre-ticked box, consent bundled with the terms): it is kept as evidence of what
 * was collected, and it never permits anything.
 */
public enum ConsentDecision {
    GRANTED, DENIED, WITHDRAWN, INVALID;

    public boolean permits() {
        return this == GRANTED;
    }
}
