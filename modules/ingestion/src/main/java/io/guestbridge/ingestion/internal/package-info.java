/**
 * The ingestion module's implementation, in rooms by capability: {@code intake} (the webhooks), {@code inbox} (the durable
 * inbox, its sealed bodies and their retention), {@code sources} (the registered senders), {@code processing} (inbox rows into
 * guest data), {@code imports} (CSV exports of hotspots) and {@code quarantine} (events that could not become guest data). No
 * other module imports it.
 */
package io.guestbridge.ingestion.internal;
