/**
 * The audit trail's front door. Every module records its state changes to personal data, consent,
 * sync and privacy requests through {@link io.guestbridge.audit.api.AuditTrail#record}, in the same
 * transaction as the change. Records carry pseudonymous subject references, never personal data, so
 * erasure never has to rewrite the trail and it can be kept as long as the law requires.
 */
package io.guestbridge.audit.api;
