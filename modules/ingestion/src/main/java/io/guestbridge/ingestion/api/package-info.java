/**
 * The ingestion module's front door: the only package other modules may use.
 * <p>Webhook intake (Purple, booking systems, generic signed events, CSV), the durable inbox (committed before any 2xx), processing on the work queue, and quarantine.
 */
package io.guestbridge.ingestion.api;
