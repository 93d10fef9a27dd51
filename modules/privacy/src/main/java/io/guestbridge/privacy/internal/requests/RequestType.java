package io.guestbridge.privacy.internal.requests;

import java.util.Arrays;

/**
 * What a data subject asks for; which law gives them the right (and under which provision) is their request's
 * {@link Regime}. {@code ccpaName} is the right's name in the CCPA.
 */
public enum RequestType {
    /** Every system of the data map deletes the subject (GDPR Art. 17; CCPA right to delete). */
    ERASURE("delete"),
    /** A portable export of everything held (GDPR Art. 15, 20; CCPA right to know). */
    ACCESS("know"),
    /** Corrections the subject supplies, applied as the highest-ranking source (GDPR Art. 16; CCPA right to correct). */
    RECTIFICATION("correct"),
    /** GDPR Art. 21: no more direct marketing; every marketing consent is withdrawn, the CRMs follow. */
    OBJECTION(null),
    /** CCPA right to opt out of sale or sharing: every sponsor consent is withdrawn and sharing with sponsors stops at once. */
    OPT_OUT("opt out of sale or sharing");

    final String ccpaName;

    RequestType(String ccpaName) {
        this.ccpaName = ccpaName;
    }

    public static RequestType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw io.guestbridge.platform.api.ProblemException.invalid("type must be one of " + Arrays.toString(values())
                    + " (the request's regime decides which apply: " + Arrays.stream(Regime.values()).map(r -> r.label + ": " + r.allowed())
                    .reduce((a, b) -> a + "; " + b).orElse("") + ").");
        }
    }
}
