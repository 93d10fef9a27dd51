/**
 * The durable inbox, written by group commit; raw bodies sealed at rest under a key per day and dropped when their retention ends;
 * the subject's part of it in access exports and erasure.
 */
package io.guestbridge.ingestion.internal.inbox;
