package io.guestbridge.platform.api;

/**
 * A message from one module to another (or from a module to its own later self), carried durably by the
 * {@link WorkQueue}: a record in its producer's {@code api} package, serialised by {@link MessageCodec}.
 * The producer publishes it; each {@link WorkHandler} of its type receives it on the queue the handler
 * names, so a producer never knows who listens, nor under which queue.
 *
 * <p>A message has one constructor, the canonical one, which refuses values the message cannot carry: the
 * codec builds it through that constructor, so a stored payload it refuses is reported as malformed.
 *
 * <p>Both methods describe the message to the queue; they are not part of the serialised form.
 */
public interface Message {

    /**
     * Messages with the same key coalesce while one waits: the newer replaces the waiting one, and runs
     * once more if a worker holds it. Null: every message is handled on its own.
     */
    default String coalesceKey() {
        return null;
    }

    /**
     * The id of the guest this message is about, or null. Erasing the guest removes the messages still
     * waiting about them (nothing may sync them again), by this id rather than by reading payloads.
     */
    default String guestId() {
        return null;
    }
}
