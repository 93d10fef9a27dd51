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

    @Transactional
    public void signedOut(String actor) {
        trail.record(AuditEvent.of("console", "CONSOLE_SIGNED_OUT").by(actor).build());
    }
}
