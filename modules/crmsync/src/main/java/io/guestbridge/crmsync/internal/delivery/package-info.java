/**
 * From a guest's change to a CRM request: the fan-out to each connector's queue, batching, the request budget shared by every
 * instance, the circuit of each connector, the bookkeeping of what a CRM stored, and erasure through the same clients.
 */
package io.guestbridge.crmsync.internal.delivery;
