/**
 * The crmsync module's implementation, in rooms by capability: {@code connectors} (the CRM port, connector settings and one room
 * per CRM), {@code delivery} (from a guest's change to a CRM request: fan-out, batches, budget, circuit), {@code inbound} (the
 * CRMs' webhooks), {@code links} (which CRM record is which guest) and {@code operations} (the operators' view). No other module
 * imports it.
 */
package io.guestbridge.crmsync.internal;
