/**
 * The registered senders of guest data (Purple webhooks, booking systems, generic event sources), their URL keys and signing
 * secrets.
 */
package io.guestbridge.ingestion.internal.sources;
