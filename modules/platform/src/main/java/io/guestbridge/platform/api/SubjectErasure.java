package io.guestbridge.platform.api;

/**
 * A module's part of erasing a data subject (Art. 17), implemented by every module that holds
 * personal data and called by the privacy module, all in one transaction: whatever a module keeps
 * about the subject goes. It lives here, at the bottom, so that modules the privacy module depends on
 * can take part without depending on it.
 */
public interface SubjectErasure {

    /**
     * The subject: the guest id (null when no profile exists) and the keyed blind index of the
     * normalised email (how other modules recorded rows that have no guest, e.g. quarantined events).
     */
    record Subject(String guestId, String emailIndex) {
    }

    /** Deletes this module's data of the subject inside the caller's transaction; returns how many rows went. */
    int erase(Subject subject);

    /** The module's name in the erasure evidence. */
    String module();
}
