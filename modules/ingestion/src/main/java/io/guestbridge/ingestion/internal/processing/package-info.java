/**
 * Inbox rows into guest data, each exactly once: the three formats read into one event, duplicates dropped, identity, consent
 * and visits changed in one transaction, or the row quarantined with the reason.
 */
package io.guestbridge.ingestion.internal.processing;
