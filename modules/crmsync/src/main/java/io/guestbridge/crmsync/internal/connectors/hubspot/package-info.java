/**
 * HubSpot: CRM v3 contacts batch upsert, GDPR delete, and the signature of HubSpot's webhooks.
 */
package io.guestbridge.crmsync.internal.connectors.hubspot;
