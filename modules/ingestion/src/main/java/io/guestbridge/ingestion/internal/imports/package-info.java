/**
 * CSV imports of hotspot "visitors identity" exports, read as a stream and stored a batch per transaction as inbox rows.
 */
package io.guestbridge.ingestion.internal.imports;
