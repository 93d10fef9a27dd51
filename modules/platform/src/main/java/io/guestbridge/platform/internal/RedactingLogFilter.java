package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Redaction;

import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A filter on the server's log handlers that rewrites every record, ours and the container's, before
 * it is written: message, parameters and exception messages pass through {@link Redaction}. A stack
 * trace keeps its frames; only the messages, which can quote input (a duplicate-key error quotes the
 * key), are redacted.
 */
public final class RedactingLogFilter implements Filter {

    private final Filter next;

    RedactingLogFilter(Filter next) {
        this.next = next;
    }

    /** Puts the filter in front of every handler of the root logger; calling it again changes nothing. */
    public static void installOnRootHandlers() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (!(handler.getFilter() instanceof RedactingLogFilter)) {
                handler.setFilter(new RedactingLogFilter(handler.getFilter()));
            }
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        redact(record);
        return next == null || next.isLoggable(record);
    }

    static void redact(LogRecord record) {
        record.setMessage(Redaction.redact(record.getMessage()));
        Object[] parameters = record.getParameters();
        if (parameters != null) {
            Object[] safe = new Object[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                Object p = parameters[i];
                safe[i] = p == null || p instanceof Number || p instanceof Boolean ? p : Redaction.redact(String.valueOf(p));
            }
            record.setParameters(safe);
        }
        if (record.getThrown() != null && !(record.getThrown() instanceof RedactedThrowable)) {
            record.setThrown(RedactedThrowable.of(record.getThrown(), 0));
        }
    }

    /** A copy of an exception chain with redacted messages and the original stack frames. */
    static final class RedactedThrowable extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private RedactedThrowable(String message) {
            super(message);
        }

        static RedactedThrowable of(Throwable original, int depth) {
            RedactedThrowable copy = new RedactedThrowable(original.getClass().getName()
                    + (original.getMessage() == null ? "" : ": " + Redaction.redact(original.getMessage())));
            copy.setStackTrace(original.getStackTrace());
            if (original.getCause() != null && original.getCause() != original && depth < 20) {
                copy.initCause(of(original.getCause(), depth + 1));
            }
            return copy;
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
