package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.ProblemType;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Completes the OpenAPI document so that no endpoint can forget its error shapes or its roles: the
 * {@code Problem} schema, one reusable response per problem type with an example, the error responses
 * each operation can produce (401/403 when secured, 400/413/415 when it takes a body, 404 with path
 * parameters, 406 when it answers with content, 500 always) and a "Roles:" line taken from its security
 * requirement. {@link SchemaHygiene} first removes what Payara writes that no client should read.
 * Registered with {@code mp.openapi.filter}.
 */
public class ProblemResponsesFilter implements OASFilter {

    public static final String SECURITY_SCHEME = "jwt";
    /** Marks an operation that deliberately takes no bearer token (webhooks, the subject portal). */
    public static final String PUBLIC_EXTENSION = "x-public";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        SchemaHygiene.apply(openAPI);
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        openAPI.setComponents(components);
        components.addSchema("Problem", problemSchema());
        for (ProblemType type : ProblemType.values()) {
            components.addResponse(type.slug(), problemResponse(type.title() + " (" + type.uri() + ")", List.of(type)));
        }
        components.addResponse("bad-request", problemResponse(
                "The request is not valid (" + ProblemType.VALIDATION.uri() + ") or its body is not well-formed ("
                        + ProblemType.MALFORMED_BODY.uri() + ")",
                List.of(ProblemType.VALIDATION, ProblemType.MALFORMED_BODY)));
        if (openAPI.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.getValue().getOperations().entrySet()) {
                complete(path.getKey(), operation.getKey(), operation.getValue());
            }
        }
    }

    private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
        List<String> roles = roles(operation);
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty()
                && operation.getSecurity().stream().anyMatch(r -> r.getSchemes() != null && !r.getSchemes().isEmpty());
        // public endpoints say so with the extension x-public (Payara drops an empty security list)
        boolean explicitlyPublic = !secured && operation.getExtensions() != null
                && Boolean.TRUE.equals(operation.getExtensions().get(PUBLIC_EXTENSION));
        if (explicitlyPublic) {
            String description = operation.getDescription();
            String line = "Public: no bearer token.";
            if (description == null || !description.contains(line)) {
                operation.setDescription(description == null || description.isBlank() ? line : description + "\n\n" + line);
            }
        }
        if (secured) {
            addIfAbsent(operation, "401", ProblemType.UNAUTHENTICATED.slug());
            addIfAbsent(operation, "403", ProblemType.FORBIDDEN.slug());
            String line = "Roles: " + (roles.isEmpty() ? "any authenticated caller" : String.join(", ", roles)) + ".";
            String description = operation.getDescription();
            if (description == null || !description.contains("Roles: ")) {
                operation.setDescription(description == null || description.isBlank() ? line : description + "\n\n" + line);
            }
        }
        boolean hasParameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
        if (operation.getRequestBody() != null || hasParameters) {
            addIfAbsent(operation, "400", "bad-request");
        }
        if (operation.getRequestBody() != null) {
            addIfAbsent(operation, "413", ProblemType.PAYLOAD_TOO_LARGE.slug());
            addIfAbsent(operation, "415", ProblemType.UNSUPPORTED_MEDIA_TYPE.slug());
        }
        if (path.contains("{")) {
            addIfAbsent(operation, "404", ProblemType.NOT_FOUND.slug());
        }
        if (answersWithContent(operation)) {
            // JAX-RS refuses an Accept header that names none of the operation's media types
            addIfAbsent(operation, "406", ProblemType.NOT_ACCEPTABLE.slug());
        }
        if (method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD && method != PathItem.HttpMethod.OPTIONS) {
            // a write the database refused as conflicting with a concurrent one: rolled back, to be sent again
            addIfAbsent(operation, "503", ProblemType.UNAVAILABLE.slug());
        }
        addIfAbsent(operation, "500", ProblemType.INTERNAL.slug());
    }

    private static boolean answersWithContent(Operation operation) {
        return operation.getResponses() != null && operation.getResponses().getAPIResponses() != null
                && operation.getResponses().getAPIResponses().entrySet().stream()
                .anyMatch(r -> r.getKey().startsWith("2") && r.getValue().getContent() != null
                        && r.getValue().getContent().getMediaTypes() != null && !r.getValue().getContent().getMediaTypes().isEmpty());
    }

    /** The roles an operation names in its security requirement (OpenAPI 3.1 allows role names there). */
    public static List<String> roles(Operation operation) {
        TreeSet<String> roles = new TreeSet<>();
        if (operation.getSecurity() != null) {
            for (SecurityRequirement requirement : operation.getSecurity()) {
                if (requirement.getSchemes() != null && requirement.getSchemes().get(SECURITY_SCHEME) != null) {
                    roles.addAll(requirement.getSchemes().get(SECURITY_SCHEME));
                }
            }
        }
        return new ArrayList<>(roles);
    }

    private static void addIfAbsent(Operation operation, String code, String component) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        if (operation.getResponses().getAPIResponse(code) == null) {
            operation.getResponses().addAPIResponse(code, OASFactory.createAPIResponse().ref("#/components/responses/" + component));
        }
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema()
                .type(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem detail. `type` names the kind of problem; `detail` says what to do about it. "
                        + "Never contains personal data, stack traces or SQL.")
                .addRequired("type").addRequired("title").addRequired("status")
                .addProperty("type", OASFactory.createSchema().type(Schema.SchemaType.STRING).format("uri")
                        .description("One of the guestbridge problem types: " + String.join(", ",
                                java.util.Arrays.stream(ProblemType.values()).map(t -> t.uri().toString()).toList())))
                .addProperty("title", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().type(Schema.SchemaType.INTEGER).format("int32"))
                .addProperty("detail", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("instance", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                .addProperty("errors", OASFactory.createSchema().type(Schema.SchemaType.ARRAY)
                        .description("For validation problems: each invalid field and why (the rejected value is never echoed).")
                        .items(OASFactory.createSchema().type(Schema.SchemaType.OBJECT).addRequired("field").addRequired("message")
                                .addProperty("field", OASFactory.createSchema().type(Schema.SchemaType.STRING))
                                .addProperty("message", OASFactory.createSchema().type(Schema.SchemaType.STRING))))
                .addProperty("incident", OASFactory.createSchema().type(Schema.SchemaType.STRING)
                        .description("For internal errors: the id under which the server logged it."))
                .addProperty("retryAfterSeconds", OASFactory.createSchema().type(Schema.SchemaType.INTEGER).format("int32")
                        .description("For rate limits and temporary unavailability: the seconds to wait, as in the Retry-After header."))
                .addProperty("attemptsLeft", OASFactory.createSchema().type(Schema.SchemaType.INTEGER).format("int32")
                        .description("For a wrong verification code: how many more codes may be tried."))
                .addProperty("maxBytes", OASFactory.createSchema().type(Schema.SchemaType.INTEGER).format("int64")
                        .description("For a body that is too large: the most bytes the endpoint accepts (after decompression)."));
    }

    private static APIResponse problemResponse(String description, List<ProblemType> types) {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Problem"));
        for (ProblemType type : types) {
            // insertion-ordered, so the served document is the same on every start (Map.of is not)
            Map<String, Object> example = new java.util.LinkedHashMap<>();
            example.put("type", type.uri().toString());
            example.put("title", type.title());
            example.put("status", type.status());
            example.put("detail", exampleDetail(type));
            media.addExample(type.slug(), OASFactory.createExample().summary(type.title()).value(example));
        }
        Content content = OASFactory.createContent().addMediaType(ProblemType.MEDIA_TYPE, media);
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    private static String exampleDetail(ProblemType type) {
        return switch (type) {
            case VALIDATION -> "limit must be between 1 and 1000";
            case MALFORMED_BODY -> "The body could not be read as the JSON this endpoint expects.";
            case UNAUTHENTICATED -> "Send a bearer token (Authorization: Bearer <JWT>) issued by the configured identity provider.";
            case FORBIDDEN -> "Your token does not carry a role that may use this endpoint.";
            case NOT_FOUND -> "There is nothing at this path.";
            case METHOD_NOT_ALLOWED -> "This path does not accept DELETE; it accepts GET.";
            case NOT_ACCEPTABLE -> "This endpoint cannot answer in the media types named by the Accept header.";
            case CONFLICT -> "The item changed since you read it.";
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this endpoint accepts (1048576 bytes).";
            case UNSUPPORTED_MEDIA_TYPE -> "The content type text/plain is not accepted here.";
            case RATE_LIMITED -> "Too many requests from this client; retry after the number of seconds in Retry-After.";
            case INTERNAL -> "The server failed to handle this request. Quote incident 2f6c… to the operator.";
            case UNAVAILABLE -> "The database is not reachable; retry later.";
        };
    }
}
