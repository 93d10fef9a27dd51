package io.guestbridge.console.internal;

import io.guestbridge.privacy.api.PrivacyDesk;
import io.guestbridge.webpages.api.FormTokens;

import java.time.Instant;
import java.util.Set;

/**
 * A person signed in to the console: who (the provider's subject, the name the audit trail shows), with which
 * console roles, since when and last seen when (for the idle and absolute timeouts), the ID token the provider
 * issued (its hint at sign-out, so the provider ends its own session too), the open forms' tokens, the language.
 */
public final class ConsoleSession {

    private final String subject;
    private final String displayName;
    private final String actor;
    private volatile Set<String> roles;
    private volatile String idToken;
    private volatile String refreshToken;
    private volatile Instant rolesReadAt;
    private final Instant createdAt;
    private final FormTokens forms = new FormTokens();
    private volatile Instant lastSeenAt;
    private volatile String language;

    ConsoleSession(String subject, String displayName, String actor, Set<String> roles, String idToken, Instant createdAt) {
        this.subject = subject;
        this.displayName = displayName;
        this.actor = actor;
        this.roles = Set.copyOf(roles);
        this.idToken = idToken;
        this.createdAt = createdAt;
        this.lastSeenAt = createdAt;
        this.rolesReadAt = createdAt;
    }

    ConsoleSession withRefreshToken(String token) {
        this.refreshToken = token;
        return this;
    }

    /** The refresh token of the sign-in at the provider; null for a development link, whose roles are fixed. */
    String refreshToken() {
        return refreshToken;
    }

    /** When the provider last told the person's roles. */
    Instant rolesReadAt() {
        return rolesReadAt;
    }

    /** The provider's current word on the person's roles, with the tokens that carry it. */
    void rolesRead(Set<String> current, String idToken, String refreshToken, Instant at) {
        this.roles = Set.copyOf(current);
        this.idToken = idToken;
        if (refreshToken != null) {
            this.refreshToken = refreshToken;
        }
        this.rolesReadAt = at;
    }

    String subject() {
        return subject;
    }

    public String displayName() {
        return displayName;
    }

    /** The audit trail's name for this person (user:name, or a hash for a name that looks like personal data). */
    String actor() {
        return actor;
    }

    Set<String> roles() {
        return roles;
    }

    boolean has(String role) {
        return roles.contains(role);
    }

    PrivacyDesk.Staff staff() {
        return new PrivacyDesk.Staff(actor, roles);
    }

    String idToken() {
        return idToken;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant lastSeenAt() {
        return lastSeenAt;
    }

    void seen(Instant now) {
        lastSeenAt = now;
    }

    FormTokens forms() {
        return forms;
    }

    String language() {
        return language;
    }

    void language(String language) {
        this.language = language;
    }
}
