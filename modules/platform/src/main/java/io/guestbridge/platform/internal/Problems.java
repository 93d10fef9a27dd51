package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.Redaction;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;

import java.util.Collection;
import java.util.Map;

/** Builds RFC 9457 {@code application/problem+json} responses: the one place that writes them. */
public final class Problems {

    private Problems() {
    }

    public static Response response(ProblemType type, String detail, String instance, Map<String, ?> extensions) {
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

    /** The problem document itself, for writers outside JAX-RS (the container's error pages). */
    public static String body(ProblemType type, String detail, String instance, Map<String, ?> extensions) {
        JsonObjectBuilder body = Jsonp.JSON.createObjectBuilder()
                .add("type", type.uri().toString())
                .add("title", type.title())
                .add("status", type.status());
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
