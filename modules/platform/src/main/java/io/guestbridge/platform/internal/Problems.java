package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Redaction;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds RFC 9457 {@code application/problem+json} responses: the one place that writes them, and so the
 * one place that logs every 5xx: once, under an incident id that the problem carries as {@code incident},
 * so an operator finds the log record a caller quotes.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private Problems() {
    }

    public static Response response(ProblemType type, String detail, String instance, Map<String, ?> extensions) {
        return response(type, detail, instance, extensions, null);
    }

    /** The same, logging {@code cause} with a 5xx. */
    static Response response(ProblemType type, String detail, String instance, Map<String, ?> extensions, Throwable cause) {
        extensions = logged(type.status(), detail, instance, extensions, cause);
        Response.ResponseBuilder response = Response.status(type.status())
                .type(ProblemType.MEDIA_TYPE)
                .entity(body(type, detail, instance, extensions));
        Object retryAfter = extensions.get("retryAfterSeconds");
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter.toString());
        }
        if (type == ProblemType.UNAUTHENTICATED) {
            response.header("WWW-Authenticate", "Bearer realm=\"guestbridge\"");
        }
        return response.build();
    }

    /**
     * Writes a problem on a servlet response whose status is already set (the container's error pages, the
     * HTTP filter), logging a 5xx like {@link #response}.
     */
    static void write(HttpServletResponse response, ProblemType type, String detail, String instance,
                      Map<String, ?> extensions) throws IOException {
        write(response, type, detail, instance, extensions, null);
    }

    static void write(HttpServletResponse response, ProblemType type, String detail, String instance,
                      Map<String, ?> extensions, Throwable cause) throws IOException {
        extensions = logged(response.getStatus(), detail, instance, extensions, cause);
        response.setContentType(ProblemType.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (type == ProblemType.UNAUTHENTICATED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"guestbridge\"");
        }
        // the container's own status stays the status of the document, also where no problem type has it (505…)
        response.getWriter().write(body(type, response.getStatus(), detail, instance, extensions));
    }

    /**
     * A 5xx that nobody logged yet is logged here, under a new incident id added to the extensions; a caller
     * that logged it itself (with the exception) passes its id as {@code incident}. 503 is a warning: the
     * instance is starting, saturated or waiting for the database, and says when to come back.
     */
    static Map<String, ?> logged(int status, String detail, String instance, Map<String, ?> extensions, Throwable cause) {
        if (status < 500 || extensions.containsKey("incident")) {
            return extensions;
        }
        String incident = newIncident();
        Level level = status == 503 ? Level.WARNING : Level.SEVERE;
        LOG.log(level, "incident " + incident + ": " + status + " on " + Redaction.redact(String.valueOf(instance)) + ": "
                + Redaction.redact(detail) + (cause == null ? "" : " (" + cause.getClass().getName() + ": "
                + Redaction.redact(cause.getMessage()) + ")"), cause);
        Map<String, Object> withIncident = new LinkedHashMap<>(extensions);
        withIncident.put("incident", incident);
        return withIncident;
    }

    static String newIncident() {
        return UUID.randomUUID().toString();
    }

    /** The problem document itself, for writers outside JAX-RS (the container's error pages). */
    public static String body(ProblemType type, String detail, String instance, Map<String, ?> extensions) {
        return body(type, type.status(), detail, instance, extensions);
    }

    private static String body(ProblemType type, int status, String detail, String instance, Map<String, ?> extensions) {
        JsonObjectBuilder body = Jsonp.JSON.createObjectBuilder()
                .add("type", type.uri().toString())
                .add("title", type.title())
                .add("status", status);
        if (detail != null && !detail.isBlank()) {
            body.add("detail", detail);
        }
        if (instance != null) {
            // the path can hold what a caller should not see echoed or logged: a webhook key, an email
            body.add("instance", Redaction.redact(instance));
        }
        extensions.forEach((name, value) -> body.add(name, toJson(value)));
        return body.build().toString();
    }

    private static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof JsonValue json) {
            return json;
        }
        if (value instanceof Number number) {
            // two branches, not a conditional expression: that would widen the whole number to a double (4 written as 4.0)
            if (number.doubleValue() == number.longValue()) {
                return Jsonp.JSON.createValue(number.longValue());
            }
            return Jsonp.JSON.createValue(number.doubleValue());
        }
        if (value instanceof Boolean bool) {
            return bool ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = Jsonp.JSON.createObjectBuilder();
            map.forEach((k, v) -> object.add(String.valueOf(k), toJson(v)));
            return object.build();
        }
        if (value instanceof Collection<?> list) {
            JsonArrayBuilder array = Jsonp.JSON.createArrayBuilder();
            list.forEach(v -> array.add(toJson(v)));
            return array.build();
        }
        return Jsonp.JSON.createValue(String.valueOf(value));
    }
}
