/**
 * Each system's part of a request, run from the work queue: the local step in one transaction with its confirmation, the
 * CRMs, Purple and a warehouse one attempt at a time with its evidence, never redone once confirmed; the request ends when no
 * step is open.
 */
package io.guestbridge.privacy.internal.steps;
