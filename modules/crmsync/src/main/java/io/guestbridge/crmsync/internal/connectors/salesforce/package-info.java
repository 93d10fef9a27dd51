/**
 * Salesforce: contacts upserted by an external id through sObject Collections, OAuth client credentials.
 */
package io.guestbridge.crmsync.internal.connectors.salesforce;
