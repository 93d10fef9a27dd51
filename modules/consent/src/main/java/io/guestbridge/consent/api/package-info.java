/**
 * The consent module's front door: the only package other modules may use.
 * <p>The append-only consent ledger: purposes, wordings (immutable once used), decisions with evidence and a hash chain; current state per guest and purpose derived from the latest decision by capture time. Front door: ConsentLedger.
 */
package io.guestbridge.consent.api;
