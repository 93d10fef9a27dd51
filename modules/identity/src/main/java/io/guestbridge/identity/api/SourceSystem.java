package io.guestbridge.identity.api;

/** Where an observed value comes from; kept with every field as its provenance. */
public enum SourceSystem {
    /** A guest-WiFi login (Purple, generic WiFi events). */
    WIFI,
    /** A booking or registration system. */
    BOOKING,
    /** A change made in the CRM and reported back to us. */
    CRM,
    /** The guest, through the subject access request portal (rectification, Art. 16). */
    SUBJECT,
    /** A staff member, through the management API (rectification on the guest's request). */
    OPERATOR;

    /** Corrections by the person or on their behalf: they outrank observations of any system. */
    public boolean isRectification() {
        return this == SUBJECT || this == OPERATOR;
    }
}
