/**
 * The hot path: a webhook resource checks the sender and the body's size and form, hands the body to the inbox and answers once it
 * is committed. Nothing else: no room but the inbox and the sources registry is reachable from here.
 */
package io.guestbridge.ingestion.internal.intake;
