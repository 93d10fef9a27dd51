package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Params;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Converts parameters typed other than String (numbers, booleans, instants, enums) so that a value
 * that does not convert is a 400 problem naming the parameter. Left to itself, JAX-RS answers such a
 * query or path parameter with a bare 404, as if the endpoint did not exist. The problem travels as
 * the cause of the exception JAX-RS raises, and {@link WebApplicationExceptionMapper} answers it.
 */
@Provider
public class TypedParameters implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = parameterName(annotations);
        if (name == null) {
            return null;
        }
        Function<String, ?> parse = parser(rawType, name);
        return parse == null ? null : (ParamConverter<T>) new Converter<>(parse);
    }

    private static Function<String, ?> parser(Class<?> type, String name) {
        if (type == Integer.class || type == int.class) {
            return value -> number(name, value, Integer::valueOf, "must be a whole number");
        }
        if (type == Long.class || type == long.class) {
            return value -> number(name, value, Long::valueOf, "must be a whole number");
        }
        if (type == Boolean.class || type == boolean.class) {
            return value -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw Params.invalid(name, "must be true or false");
            };
        }
        if (type == Instant.class) {
            return value -> Params.instant(name, value);
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return value -> Arrays.stream(constants).filter(c -> ((Enum<?>) c).name().equalsIgnoreCase(value.trim())).findFirst()
                    .orElseThrow(() -> Params.invalid(name, "must be one of " + Arrays.toString(constants)));
        }
        return null;
    }

    private static <N> N number(String name, String value, Function<String, N> parse, String message) {
        try {
            return parse.apply(value.trim());
        } catch (NumberFormatException e) {
            throw Params.invalid(name, message);
        }
    }

    private static String parameterName(Annotation[] annotations) {
        for (Annotation annotation : annotations == null ? new Annotation[0] : annotations) {
            if (annotation instanceof QueryParam q) {
                return q.value();
            }
            if (annotation instanceof PathParam p) {
                return p.value();
            }
            if (annotation instanceof HeaderParam h) {
                return h.value();
            }
            if (annotation instanceof MatrixParam m) {
                return m.value();
            }
            if (annotation instanceof CookieParam c) {
                return c.value();
            }
            if (annotation instanceof FormParam f) {
                return f.value();
            }
        }
        return null;
    }

    private record Converter<T>(Function<String, T> parse) implements ParamConverter<T> {

        @Override
        public T fromString(String value) {
            if (value == null) {
                // JAX-RS asks for the @DefaultValue, or null when there is none: an absent parameter is no error
                throw new IllegalArgumentException("no value");
            }
            return parse.apply(value);
        }

        @Override
        public String toString(T value) {
            return value == null ? null : value.toString();
        }
    }
}
