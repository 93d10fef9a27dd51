package io.guestbridge.ingestion.api;

import io.guestbridge.platform.api.Roles;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Webhook sources for channels other than the JSON API (the console): register one, rotate its signing secret,
 * revoke it, with the same checks, audit records and roles ({@link #ROLES}) as the management API's sources
 * resource. A key and a secret are returned once, when made, and never again. Every call names the person acting
 * (their audit actor) and their roles; one without an allowed role is refused with a forbidden
 * {@code ProblemException} before anything happens.
 */
public interface SourceDesk {

    /** The roles the sources' API allows. */
    Set<String> ROLES = Set.of(Roles.OPERATOR, Roles.INTEGRATION);

    /** A source as listed: never its key or secret. {@code kind} is PURPLE, BOOKING or GENERIC. */
    record SourceInfo(String id, String kind, String name, String venueRef, String timeZone, boolean active, Instant createdAt, Instant revokedAt) {
    }

    /** A source just registered with its key, the path its sender posts to, and (for a signing sender) its secret. */
    record Registered(SourceInfo source, String key, String webhookPath, String signingSecret) {
    }

    List<SourceInfo> list(String actor, Set<String> roles);

    /** {@code kind} PURPLE, BOOKING or GENERIC; a name of 1 to 120 characters; an optional venue id; an IANA time zone. Audited. */
    Registered register(String kind, String name, String venueRef, String timeZone, String actor, Set<String> roles);

    /** A new signing secret; the older ones keep verifying for a grace period. Audited. */
    String rotateSecret(String id, String actor, Set<String> roles);

    /** Audited. */
    SourceInfo revoke(String id, String actor, Set<String> roles);
}
