/**
 * Changes made in a CRM, reported back: HubSpot's property-change webhooks checked by their signature, and the canonical form
 * posted by middleware, applied as CRM observations of CRM-master fields.
 */
package io.guestbridge.crmsync.internal.inbound;
