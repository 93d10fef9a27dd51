/**
 * The crmsync module's front door: the only package other modules may use.
 * <p>CRM connectors (HubSpot, Salesforce, Mailchimp, generic REST): consent-gated, batched, rate-limited upserts from the outbox on the platform work queue; dead letters and replay.
 */
package io.guestbridge.crmsync.api;
