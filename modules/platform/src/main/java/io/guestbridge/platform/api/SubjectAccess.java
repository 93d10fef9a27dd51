package io.guestbridge.platform.api;

import jakarta.json.JsonObject;

/**
 * A module's part of a subject access export (Art. 15 and 20), the counterpart of {@link SubjectErasure}:
 * every module that holds personal data reports all it holds about the subject, in readable form
 * (decrypted, with the provenance it keeps), and the privacy module assembles the parts into one
 * portable document. Whatever {@link SubjectErasure#erase} would delete must appear here.
 */
public interface SubjectAccess {

    /**
     * Everything this module holds about the subject, read inside the caller's transaction; an empty
     * object when it holds nothing. Keys are stable, camelCase, documented by the module.
     */
    JsonObject export(SubjectErasure.Subject subject);

    /** The module's name: the key of its part in the export. */
    String module();
}
