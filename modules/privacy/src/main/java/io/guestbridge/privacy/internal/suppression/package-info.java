/**
 * The erased subjects, as keyed hashes of their addresses and the time of erasure, which ingestion consults for every event; the
 * keyed hash that finds a subject's requests and stores one-time codes; the list's own retention.
 */
package io.guestbridge.privacy.internal.suppression;
