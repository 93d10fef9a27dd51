package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Jsonp;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the document Payara generates say what the server sends, so that validators and client
 * generators read it right:
 * <ul>
 * <li>Payara writes every constraint of an annotated schema with its default ({@code maxProperties: 0},
 * {@code exclusiveMaximum: false} without {@code maximum}, {@code minLength: 0}…); {@code maxProperties: 0}
 * reads as "no property allowed" and {@code exclusiveMaximum} without {@code maximum} is invalid OpenAPI
 * 3.0. Constraints that carry only their default are removed.</li>
 * <li>An enum schema without a type (Payara's rendering of a Java enum) becomes a string schema, and a
 * number with an integer format (Payara's rendering of a Java long) becomes an integer.</li>
 * <li>Examples written as JSON text in annotations become the JSON values they spell (an example is a
 * value, not a string holding one), wherever the schema or media type is not itself text.</li>
 * <li>Payara adds a root {@code endpoints} map (its own index of deployed paths) that is no OpenAPI
 * field: a validator rejects the document with it. It is emptied here; Payara leaves an empty map out.</li>
 * </ul>
 */
final class SchemaHygiene {

    /** Operation extension: the JSON request body is one object or an array of objects. */
    static final String OBJECT_OR_ARRAY = "x-body-object-or-array";

    private SchemaHygiene() {
    }

    static void apply(OpenAPI openAPI) {
        dropVendorEndpointIndex(openAPI);
        Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Components components = openAPI.getComponents();
        if (components != null && components.getSchemas() != null) {
            components.getSchemas().values().forEach(schema -> clean(schema, seen));
        }
        if (components != null && components.getResponses() != null) {
            components.getResponses().values().forEach(response -> clean(response, seen));
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            if (item.getParameters() != null) {
                item.getParameters().forEach(parameter -> clean(parameter, seen));
            }
            for (Operation operation : item.getOperations().values()) {
                objectOrArrayBody(operation);
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(parameter -> clean(parameter, seen));
                }
                if (operation.getRequestBody() != null) {
                    clean(operation.getRequestBody().getContent(), seen);
                }
                if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
                    operation.getResponses().getAPIResponses().values().forEach(response -> clean(response, seen));
                }
            }
        }
        // after cleaning, so that copies and components compare alike
        Map<String, String> named = components == null || components.getSchemas() == null ? Map.of() : signatures(components.getSchemas());
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                if (operation.getRequestBody() != null) {
                    referToNamed(operation.getRequestBody().getContent(), named);
                }
                if (operation.getResponses() != null && operation.getResponses().getAPIResponses() != null) {
                    operation.getResponses().getAPIResponses().values().forEach(response -> referToNamed(response.getContent(), named));
                }
            }
        }
    }

    /**
     * A free-form JSON body that may be one object or an array of them (batching webhooks) is marked with
     * the operation extension {@value #OBJECT_OR_ARRAY}: Payara documents a stream as an object, which
     * would call every array invalid, and drops a oneOf given in the annotation. The body schema gets no
     * type (any JSON value) and keeps its description; the mark is removed.
     */
    private static void objectOrArrayBody(Operation operation) {
        if (operation.getExtensions() == null || !operation.getExtensions().containsKey(OBJECT_OR_ARRAY)) {
            return;
        }
        operation.removeExtension(OBJECT_OR_ARRAY);
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        for (MediaType media : operation.getRequestBody().getContent().getMediaTypes().values()) {
            // no type: any JSON value. A oneOf of an object and an array would say more, but generated clients
            // (openapi-generator's Java) cannot model an anonymous oneOf of a map and a list
            Schema anyJson = org.eclipse.microprofile.openapi.OASFactory.createSchema();
            anyJson.setDescription(media.getSchema() == null ? null : media.getSchema().getDescription());
            media.setSchema(anyJson);
        }
    }

    /**
     * Payara copies a class's schema into each request or response that names it, where a generated
     * client then makes one model class per operation (GetAuditRecord200Response…). A copy of a named
     * component schema becomes a reference to it.
     */
    private static void referToNamed(Content content, Map<String, String> named) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        for (MediaType media : content.getMediaTypes().values()) {
            Schema schema = media.getSchema();
            if (schema == null) {
                continue;
            }
            String name = named.get(signature(schema));
            if (name != null) {
                media.setSchema(org.eclipse.microprofile.openapi.OASFactory.createSchema().ref("#/components/schemas/" + name));
            } else if (schema.getItems() != null && named.get(signature(schema.getItems())) != null) {
                schema.setItems(org.eclipse.microprofile.openapi.OASFactory.createSchema()
                        .ref("#/components/schemas/" + named.get(signature(schema.getItems()))));
            }
        }
    }

    /** Component schemas by their signature; signatures two components share are left out (no guessing). */
    private static Map<String, String> signatures(Map<String, Schema> schemas) {
        Map<String, String> byShape = new java.util.HashMap<>();
        Set<String> ambiguous = new java.util.HashSet<>();
        schemas.forEach((name, schema) -> {
            String shape = signature(schema);
            if (shape != null && byShape.putIfAbsent(shape, name) != null) {
                ambiguous.add(shape);
            }
        });
        ambiguous.forEach(byShape::remove);
        return byShape;
    }

    /** An object schema's property names with their types, formats and references; null for anything else. */
    private static String signature(Schema schema) {
        if (schema.getRef() != null || schema.getType() != Schema.SchemaType.OBJECT || schema.getProperties() == null
                || schema.getProperties().isEmpty()) {
            return null;
        }
        StringBuilder shape = new StringBuilder();
        new java.util.TreeMap<>(schema.getProperties()).forEach((property, value) -> shape.append(property).append(':')
                .append(value.getType()).append(value.getRef()).append(value.getFormat()).append(';'));
        return shape.toString();
    }

    /**
     * Payara 6 keeps its index in a bean property of its model class, outside the MicroProfile model;
     * reflection is the only way in. When a later Payara renames it (x-endpoints, a valid extension),
     * the method is gone and there is nothing to do.
     */
    private static void dropVendorEndpointIndex(OpenAPI openAPI) {
        try {
            Object endpoints = openAPI.getClass().getMethod("getEndpoints").invoke(openAPI);
            if (endpoints instanceof Map<?, ?> map) {
                map.clear();
            }
        } catch (NoSuchMethodException notPayara6) {
            // nothing to remove
        } catch (ReflectiveOperationException | UnsupportedOperationException e) {
            throw new IllegalStateException("Payara's endpoints index could not be removed from the OpenAPI document", e);
        }
    }

    private static void clean(APIResponse response, Set<Schema> seen) {
        if (response.getHeaders() != null) {
            for (Header header : response.getHeaders().values()) {
                clean(header.getSchema(), seen);
                header.setDeprecated(falseToNull(header.getDeprecated()));
                header.setAllowEmptyValue(falseToNull(header.getAllowEmptyValue()));
            }
        }
        clean(response.getContent(), seen);
    }

    private static void clean(Parameter parameter, Set<Schema> seen) {
        clean(parameter.getSchema(), seen);
        parameter.setDeprecated(falseToNull(parameter.getDeprecated()));
        parameter.setAllowEmptyValue(falseToNull(parameter.getAllowEmptyValue()));
        parameter.setAllowReserved(falseToNull(parameter.getAllowReserved()));
        if (parameter.getSchema() != null && parameter.getExample() instanceof String text && !isText(parameter.getSchema())) {
            parameter.setExample(jsonValueOr(text));
        }
        clean(parameter.getContent(), seen);
    }

    private static void clean(Content content, Set<Schema> seen) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        for (Map.Entry<String, MediaType> entry : content.getMediaTypes().entrySet()) {
            MediaType media = entry.getValue();
            clean(media.getSchema(), seen);
            boolean json = entry.getKey().contains("json");
            Schema body = media.getSchema();
            if (!json && body != null && body.getType() == Schema.SchemaType.OBJECT && body.getRef() == null
                    && (body.getProperties() == null || body.getProperties().isEmpty())) {
                // a stream read as text (CSV): Payara documents the InputStream parameter as an object
                body.setType(Schema.SchemaType.STRING);
            }
            if (json && media.getExample() instanceof String text) {
                media.setExample(jsonValueOr(text));
            }
            if (json && media.getExamples() != null) {
                for (Example example : media.getExamples().values()) {
                    if (example.getValue() instanceof String text) {
                        example.setValue(jsonValueOr(text));
                    }
                }
            }
        }
    }

    private static void clean(Schema schema, Set<Schema> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        schema.setExclusiveMaximum(falseToNull(schema.getExclusiveMaximum()));
        schema.setExclusiveMinimum(falseToNull(schema.getExclusiveMinimum()));
        schema.setUniqueItems(falseToNull(schema.getUniqueItems()));
        schema.setNullable(falseToNull(schema.getNullable()));
        schema.setReadOnly(falseToNull(schema.getReadOnly()));
        schema.setWriteOnly(falseToNull(schema.getWriteOnly()));
        schema.setDeprecated(falseToNull(schema.getDeprecated()));
        schema.setMinLength(zeroToNull(schema.getMinLength()));
        schema.setMinItems(zeroToNull(schema.getMinItems()));
        schema.setMinProperties(zeroToNull(schema.getMinProperties()));
        // an upper bound of 0 never comes from our annotations: it is Payara's unset value
        if (Integer.valueOf(0).equals(schema.getMaxProperties())) {
            schema.setMaxProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMaxItems())) {
            schema.setMaxItems(null);
        }
        if (Integer.valueOf(0).equals(schema.getMaxLength())) {
            schema.setMaxLength(null);
        }
        // Payara types every Java long as number, whatever the annotation says; its int64 format is an integer's
        if (schema.getType() == Schema.SchemaType.NUMBER && ("int64".equals(schema.getFormat()) || "int32".equals(schema.getFormat()))) {
            schema.setType(Schema.SchemaType.INTEGER);
        }
        if (schema.getType() == null && schema.getRef() == null && schema.getEnumeration() != null
                && !schema.getEnumeration().isEmpty() && schema.getEnumeration().stream().allMatch(String.class::isInstance)) {
            schema.setType(Schema.SchemaType.STRING);
        }
        if (schema.getType() == Schema.SchemaType.ARRAY && schema.getItems() == null && schema.getRef() == null) {
            // Payara leaves out the items of a List<Object>; OpenAPI 3.0 requires them, and any value is what such a list holds
            Schema anything = org.eclipse.microprofile.openapi.OASFactory.createSchema();
            anything.setDescription("Any JSON value");
            schema.setItems(anything);
        }
        if (schema.getExample() instanceof String text && !isText(schema)) {
            schema.setExample(jsonValueOr(text));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(property -> clean(property, seen));
        }
        clean(schema.getItems(), seen);
        clean(schema.getAdditionalPropertiesSchema(), seen);
        clean(schema.getNot(), seen);
        for (List<Schema> group : List.of(nonNull(schema.getAllOf()), nonNull(schema.getAnyOf()), nonNull(schema.getOneOf()))) {
            group.forEach(member -> clean(member, seen));
        }
    }

    private static boolean isText(Schema schema) {
        return schema.getType() == Schema.SchemaType.STRING || (schema.getType() == null && schema.getRef() != null);
    }

    private static List<Schema> nonNull(List<Schema> list) {
        return list == null ? List.of() : list;
    }

    private static Boolean falseToNull(Boolean value) {
        return Boolean.FALSE.equals(value) ? null : value;
    }

    private static Integer zeroToNull(Integer value) {
        return Integer.valueOf(0).equals(value) ? null : value;
    }

    /** The JSON value the text spells, as plain Java values; the text itself when it is not JSON. */
    static Object jsonValueOr(String text) {
        try (var reader = Jsonp.JSON.createReader(new StringReader(text))) {
            return plain(reader.readValue());
        } catch (JsonException | IllegalStateException notJson) {
            return text;
        }
    }

    private static Object plain(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((JsonObject) value).forEach((key, member) -> map.put(key, plain(member)));
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                ((JsonArray) value).forEach(member -> list.add(plain(member)));
                yield list;
            }
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> ((JsonNumber) value).isIntegral() ? (Object) ((JsonNumber) value).longValue() : ((JsonNumber) value).bigDecimalValue();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case NULL -> null;
        };
    }
}
