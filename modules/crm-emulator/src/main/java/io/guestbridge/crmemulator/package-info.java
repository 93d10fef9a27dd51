/**
 * A loopback HTTP server that stands in for HubSpot, Salesforce, Mailchimp and Purple's Company API in tests
 * and benchmarks (Purple's deletion API is modelled, as its contract is not published to us).
 *
 * <p>It answers the endpoints guestbridge's CRM connectors call with the status codes, headers and JSON
 * shapes of the real services, including their rate limits and error bodies, and lets a test inject
 * faults (error statuses, dropped connections, slow answers) on demand. Start it with
 * {@link io.guestbridge.crmemulator.CrmEmulator#start()}; never deploy it.
 */
package io.guestbridge.crmemulator;
