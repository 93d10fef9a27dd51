package io.guestbridge.platform.api;

import java.net.URI;

/**
 * The kinds of error guestbridge answers with, each an RFC 9457 problem type with its own URI.
 * The OpenAPI document lists them all (components/responses), so a client can act on {@code type}.
 */
public enum ProblemType {
    VALIDATION("validation", 400, "The request is not valid"),
    MALFORMED_BODY("malformed-body", 400, "The request body is not well-formed"),
    UNAUTHENTICATED("unauthenticated", 401, "Authentication is required"),
    FORBIDDEN("forbidden", 403, "Not allowed for your role"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "No acceptable representation"),
    CONFLICT("conflict", 409, "Conflict with the current state"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    INTERNAL("internal", 500, "Internal error"),
    UNAVAILABLE("unavailable", 503, "Temporarily unavailable");

    public static final String BASE = "https://guestbridge.io/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The problem type for an HTTP status the container produced itself (unknown path, wrong method…). */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status && type != MALFORMED_BODY) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : VALIDATION;
    }
}
