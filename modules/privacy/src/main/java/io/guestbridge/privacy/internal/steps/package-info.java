/**
 * Each system's part of a request, run from the work queue: the local step (what it does to this database's data) in one
 * transaction with its confirmation, the CRMs, Purple and a warehouse one attempt at a time with its evidence (one result
 * type for every system), never redone once confirmed; the request ends when no step is open.
 */
package io.guestbridge.privacy.internal.steps;
