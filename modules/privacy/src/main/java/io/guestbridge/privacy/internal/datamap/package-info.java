/**
 * The data map: every system that holds guest data (this database, each CRM connector, Purple, a warehouse, systems an operator
 * handles), with its categories, purposes, retention, recipients and any legal hold. An erasure has one step per system on it.
 */
package io.guestbridge.privacy.internal.datamap;
