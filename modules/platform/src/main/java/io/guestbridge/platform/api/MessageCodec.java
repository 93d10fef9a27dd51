package io.guestbridge.platform.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

import java.util.function.Function;

/**
 * The one serialisation of {@link Message}s: JSON-B (the server's own provider), a record's components as
 * the JSON object's members. Renaming a component changes the stored form, so items queued before the
 * change would no longer decode: rename with a migration of {@code plt_work_item}, or not at all.
 */
public final class MessageCodec {

    // Jsonb instances are thread-safe and costly to create: one for the server
    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withNullValues(false));

    private MessageCodec() {
    }

    public static String encode(Message message) {
        if (message == null) {
            throw new IllegalArgumentException("no message to encode");
        }
        return JSONB.toJson(message);
    }

    /**
     * The message a payload holds. A payload that is no such message (not JSON, a member of the wrong kind,
     * a value the record refuses) is a {@link MalformedMessageException} naming the type, not a null.
     */
    public static <T extends Message> T decode(String payload, Class<T> type) {
        T message;
        try {
            message = JSONB.fromJson(payload, type);
        } catch (RuntimeException e) {
            throw new MalformedMessageException(type, rootMessage(e));
        }
        if (message == null) {
            throw new MalformedMessageException(type, "the payload is empty or null");
        }
        return message;
    }

    /** The message a work item carries, as {@link #decode(String, Class)}. */
    public static <T extends Message> T decode(WorkItem item, Class<T> type) {
        return decode(item.payload(), type);
    }

    /**
     * The message a work item carries, read by its type's own reader: for a message read so often that JSON-B's cost
     * shows per item. The reader must accept everything {@link #encode} writes for the type; whatever it throws, or a
     * null, is a {@link MalformedMessageException} as with {@link #decode(String, Class)}.
     */
    public static <T extends Message> T decode(WorkItem item, Class<T> type, Function<String, T> reader) {
        T message;
        try {
            message = reader.apply(item.payload());
        } catch (MalformedMessageException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedMessageException(type, rootMessage(e));
        }
        if (message == null) {
            throw new MalformedMessageException(type, "the payload is empty or null");
        }
        return message;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + Redaction.redact(t.getMessage()));
    }

    /** A payload that does not decode to the message type its queue carries; the item cannot succeed by retrying. */
    public static final class MalformedMessageException extends RuntimeException {

        public MalformedMessageException(Class<?> type, String reason) {
            super("not a " + type.getSimpleName() + " message: " + reason);
        }
    }
}
