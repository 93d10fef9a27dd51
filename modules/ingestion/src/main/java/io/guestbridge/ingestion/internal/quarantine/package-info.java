/**
 * Events that could not become guest data, with the reason, for operators: list, inspect masked, replay or discard.
 */
package io.guestbridge.ingestion.internal.quarantine;
