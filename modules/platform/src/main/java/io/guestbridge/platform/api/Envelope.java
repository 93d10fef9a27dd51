package io.guestbridge.platform.api;

/**
 * A claimed work item with its message decoded: handlers read {@link #message()}, and report outcomes on
 * (and complete) {@link #item()}.
 */
public record Envelope<T extends Message>(WorkItem item, T message) {
}
