package io.guestbridge.violation.api;

/**
 * A module api that names its consumer's queue, as identity's once did: the fixture that proves
 * {@code ModuleBoundariesTest}'s rule against it can fail. Never on the main classpath.
 */
public interface QueueNamingApi {

    String CONSUMER_QUEUE = "consumer-queue";
}
