/**
 * What every CRM connector shares: the port a CRM's wire protocol implements ({@code CrmClient}), its answer, the records it
 * sends, the connectors' settings from configuration, and the one HTTP client of the CRM calls. One room below per CRM; no CRM's
 * room uses another's.
 */
package io.guestbridge.crmsync.internal.connectors;
