package io.guestbridge.console.internal;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Signing in to and out of the console, in the audit trail: who (the audit name, never an email) and with which
 * roles, so that every later action of the person can be tied to a sign-in.
 */
@ApplicationScoped
public class ConsoleAudit {

    @Inject
    AuditTrail trail;

    @Transactional
    public void signedIn(String actor, String how, java.util.Set<String> roles) {
        trail.record(AuditEvent.of("console", "CONSOLE_SIGNED_IN").by(actor).with("via", how)
                .with("roles", String.join(" ", new java.util.TreeSet<>(roles))).build());
    }

    /** An export of the audit trail: who, in which format, with which filter (ids and action names, no personal data). */
    @Transactional
    public void exported(String actor, String format, io.guestbridge.audit.api.AuditReader.Filter filter) {
        AuditEvent.Builder event = AuditEvent.of("console", "AUDIT_EXPORTED").by(actor).with("format", format);
        put(event, "subject", filter.subjects());
        put(event, "actor", filter.actors());
        put(event, "action", filter.actions());
        put(event, "module", filter.modules());
        put(event, "from", filter.from() == null ? java.util.List.of() : java.util.List.of(filter.from().toString()));
        put(event, "to", filter.to() == null ? java.util.List.of() : java.util.List.of(filter.to().toString()));
        trail.record(event.build());
    }

    /** A field's values joined by " | "; a value typed with personal data in it is recorded by its hash only. */
    private static void put(AuditEvent.Builder event, String key, java.util.List<String> values) {
        if (!values.isEmpty()) {
            event.with("filter." + key, String.join(" | ", values.stream().map(text -> io.guestbridge.platform.api.Redaction.containsPersonalData(text)
                    ? "sha256:" + io.guestbridge.platform.api.Digests.sha256Hex(text).substring(0, 32) : text).toList()));
        }
    }

    /** The provider's roles for a signed-in person changed, or it ended their sign-in: the console follows. */
    @Transactional
    public void rolesChanged(String actor, java.util.Set<String> before, java.util.Set<String> now) {
        trail.record(AuditEvent.of("console", "CONSOLE_ROLES_CHANGED").by("system:console").about(actor)
                .with("before", String.join(" ", new java.util.TreeSet<>(before))).with("now", String.join(" ", new java.util.TreeSet<>(now))).build());
    }

    @Transactional
    public void endedByProvider(String actor) {
        trail.record(AuditEvent.of("console", "CONSOLE_SESSION_ENDED_BY_PROVIDER").by("system:console").about(actor).build());
    }

    @Transactional
    public void signedOut(String actor) {
        trail.record(AuditEvent.of("console", "CONSOLE_SIGNED_OUT").by(actor).build());
    }
}
