package io.guestbridge.platform.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error to answer as {@code application/problem+json}. The detail must tell a person what to do
 * and must never contain personal data (it is returned to the caller and may be logged).
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final Map<String, Object> extensions;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ProblemException(ProblemType type, String detail, Map<String, Object> extensions) {
        super(detail);
        this.type = type;
        this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    public ProblemType type() {
        return type;
    }

    public String detail() {
        return getMessage();
    }

    /** Extra members of the problem object, e.g. {@code errors} or {@code retryAfterSeconds}. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }

    public static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.VALIDATION, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }
}
