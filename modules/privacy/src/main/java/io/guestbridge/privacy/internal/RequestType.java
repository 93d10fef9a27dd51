package io.guestbridge.privacy.internal;

/** What a data subject asks for, with the GDPR article that gives them the right. */
enum RequestType {
    /** Art. 17: every system of the data map deletes the subject. */
    ERASURE("Art. 17"),
    /** Art. 15 and 20: a portable export of everything held, with the Art. 15(1) information. */
    ACCESS("Art. 15, 20"),
    /** Art. 16: corrections the subject supplies, applied as the highest-ranking source. */
    RECTIFICATION("Art. 16"),
    /** Art. 21: no more direct marketing; every marketing consent is withdrawn, the CRMs follow. */
    OBJECTION("Art. 21");

    final String article;

    RequestType(String article) {
        this.article = article;
    }

    static RequestType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw io.guestbridge.platform.api.ProblemException.invalid("type must be ERASURE, ACCESS, RECTIFICATION or OBJECTION.");
        }
    }
}
