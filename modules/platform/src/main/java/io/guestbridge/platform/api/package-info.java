/**
 * The platform's front door: the mechanisms every business module uses and that exist exactly once.
 * <ul>
 *   <li>{@link io.guestbridge.platform.api.WorkQueue} and {@link io.guestbridge.platform.api.WorkHandler}:
 *       the durable work queue on MariaDB (inbox, CRM outbox, privacy steps), carrying typed
 *       {@link io.guestbridge.platform.api.Message}s that producers publish and handlers receive by type,
 *       serialised by the one {@link io.guestbridge.platform.api.MessageCodec};</li>
 *   <li>{@link io.guestbridge.platform.api.ProblemException} and {@link io.guestbridge.platform.api.ProblemType}:
 *       RFC 9457 problem+json errors;</li>
 *   <li>{@link io.guestbridge.platform.api.Redaction}: personal data kept out of logs;</li>
 *   <li>{@link io.guestbridge.platform.api.Roles}: the roles of the management API;</li>
 *   <li>{@link io.guestbridge.platform.api.Readiness}: whether this instance may take traffic, the one
 *       readiness check every module reports into.</li>
 * </ul>
 */
package io.guestbridge.platform.api;
