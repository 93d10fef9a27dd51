package io.guestbridge.audit.api;

import io.guestbridge.platform.api.Redaction;

import java.security.Principal;
import io.guestbridge.platform.api.Digests;

/** Names who acted, for audit records: a user of the management API, or a component of the system. */
public final class Actor {

    private Actor() {
    }

    /** A caller of the API, by the token's principal name; an email-like name is replaced by its hash. */
    public static String of(Principal principal) {
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            return "anonymous";
        }
        String name = principal.getName();
        if (Redaction.containsPersonalData(name) || name.length() > 100) {
            return "user-sha256:" + sha256(name).substring(0, 32);
        }
        return "user:" + name;
    }

    /** A part of guestbridge acting on its own, e.g. {@code system:ingestion-worker}. */
    public static String system(String component) {
        return "system:" + component;
    }

    /** Someone who called a public endpoint (a data subject, a webhook sender) identified by an id. */
    public static String external(String kind, String id) {
        return kind + ":" + id;
    }

    private static String sha256(String value) {
        return Digests.sha256Hex(value);
    }
}
