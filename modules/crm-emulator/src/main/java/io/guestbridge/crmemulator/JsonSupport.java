package io.guestbridge.crmemulator;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The few JSON chores every service emulator needs, on top of the jakarta.json API. */
final class JsonSupport {

    /** The real services print timestamps with exactly three fraction digits; Instant.toString would trim them. */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * The JSON-P provider, looked up once: every static method of {@code jakarta.json.Json} looks it up again through the
     * ServiceLoader, which scans the class path's jars; in a profile of the benchmark's emulator that lookup took more
     * CPU than the OpenAPI check. Use it instead of {@code Json.create…}.
     */
    static final JsonProvider JSON = JsonProvider.provider();

    private JsonSupport() {
    }

    /** Parses a request body; empty when it is not well-formed JSON, so callers answer in their service's words. */
    static Optional<JsonValue> parse(String text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return Optional.of(reader.readValue());
        } catch (RuntimeException notJson) { // JsonParsingException, or JsonException for empty input
            return Optional.empty();
        }
    }

    /** Parses a body that must be a JSON object. */
    static Optional<JsonObject> parseObject(String text) {
        return parse(text).filter(value -> value.getValueType() == JsonValue.ValueType.OBJECT)
                .map(JsonValue::asJsonObject);
    }

    static String write(JsonStructure json) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = JSON.createWriter(out)) {
            writer.write(json);
        }
        return out.toString();
    }

    static String timestamp(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** A string member, or empty when it is absent, null or not a string. */
    static Optional<String> string(JsonObject object, String name) {
        JsonValue value = object.get(name);
        return value instanceof JsonString text ? Optional.of(text.getString()) : Optional.empty();
    }

    /**
     * Converts JSON into plain Java values (String, BigDecimal, Boolean, null, List, Map) so that test
     * predicates can look at records without knowing the JSON API.
     */
    static Object toJava(JsonValue value) {
        return switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).bigDecimalValue();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
            case ARRAY -> value.asJsonArray().stream().map(JsonSupport::toJava).toList();
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                value.asJsonObject().forEach((name, member) -> map.put(name, toJava(member)));
                yield Collections.unmodifiableMap(map);
            }
        };
    }

    /** The reverse of {@link #toJava(JsonValue)}, for values kept in the emulators' stores. */
    static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof String text) {
            return JSON.createValue(text);
        }
        if (value instanceof Boolean flag) {
            return flag ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof java.math.BigDecimal number) {
            return JSON.createValue(number);
        }
        if (value instanceof Number number) {
            return JSON.createValue(new java.math.BigDecimal(number.toString()));
        }
        if (value instanceof List<?> list) {
            var array = JSON.createArrayBuilder();
            list.forEach(element -> array.add(toJson(element)));
            return array.build();
        }
        if (value instanceof Map<?, ?> map) {
            var object = JSON.createObjectBuilder();
            map.forEach((name, member) -> object.add(String.valueOf(name), toJson(member)));
            return object.build();
        }
        return JSON.createValue(value.toString());
    }
}
