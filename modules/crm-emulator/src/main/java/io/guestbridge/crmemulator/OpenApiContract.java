package io.guestbridge.crmemulator;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A vendor's own OpenAPI document (HubSpot's, Meraki's), used to check every request its emulator receives, so that
 * the connectors are tested against the published contract and not only against our reading of it.
 *
 * <p>The checks are swagger-request-validator's (path, method, parameters, content type, body schema);
 * none is written by hand here.
 */
final class OpenApiContract {

    /** One broken rule, with the validator's message key (e.g. {@code validation.request.body.schema.required}). */
    record Violation(String key, String message, String pointer) {

        /** The status the vendors answer for this kind of violation. */
        int status() {
            if (key.startsWith("validation.request.path.missing")) {
                return 404;
            }
            if (key.startsWith("validation.request.operation.notAllowed")) {
                return 405;
            }
            if (key.startsWith("validation.request.contentType")) {
                return 415;
            }
            return 400;
        }
    }

    /**
     * Parsing the document takes most of a second; tests start many emulators, so each file is parsed once
     * per JVM (again only if it changes). The validator keeps no per-request state and is safe to share.
     */
    private static final Map<String, OpenApiInteractionValidator> PARSED = new ConcurrentHashMap<>();

    private final String service;
    private final Path specification;
    private final OpenApiInteractionValidator validator;

    private OpenApiContract(String service, Path specification, OpenApiInteractionValidator validator) {
        this.service = service;
        this.specification = specification;
        this.validator = validator;
    }

    /** HubSpot's document: its servers name the bare host, so request paths match the document's paths as they are. */
    static OpenApiContract load(Path specification) {
        return load("HubSpot", specification, null);
    }

    /**
     * A document whose paths are served under {@code basePath} (Meraki's server is {@code https://api.meraki.com/{basePath}}
     * with {@code basePath} = {@code api/v1}, a variable the validator does not expand), or {@code null} to take the
     * document's servers as they are.
     */
    static OpenApiContract load(String service, Path specification, String basePath) {
        Path file = specification.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(service + " OpenAPI document not found at " + file);
        }
        String cacheKey = file + "@" + lastModified(file) + "@" + basePath;
        return new OpenApiContract(service, file,
                PARSED.computeIfAbsent(cacheKey, key -> parse(service, file, basePath)));
    }

    Path specification() {
        return specification;
    }

    /** The rules the request breaks; empty when it keeps the contract. */
    List<Violation> check(RecordedRequest request) {
        SimpleRequest.Builder builder = new SimpleRequest.Builder(request.method(), request.path());
        request.header("Content-Type").ifPresent(builder::withContentType);
        request.header("Accept").ifPresent(builder::withAccept);
        if (!request.body().isEmpty()) {
            builder.withBody(request.body());
        }
        request.queryParameters().forEach(builder::withQueryParam);
        ValidationReport report = validator.validateRequest(builder.build());
        List<Violation> violations = new ArrayList<>();
        if (!request.body().isEmpty() && request.header("Content-Type").isEmpty()) {
            // The library takes a body without Content-Type as acceptable; the vendors answer 415, and the JDK
            // HttpClient sends none unless told, so a connector that forgets it must fail here too.
            violations.add(new Violation("validation.request.contentType.missing",
                    "Request has a body but no Content-Type header; " + service + " accepts application/json", null));
        }
        report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .map(message -> new Violation(message.getKey(), message.getMessage(),
                        message.getContext().flatMap(ValidationReport.MessageContext::getPointers)
                                .map(ValidationReport.MessageContext.Pointers::getInstance).orElse(null)))
                .forEach(violations::add);
        return violations;
    }

    /** Exposed for tests that check the emulator's own answers against the same document. */
    OpenApiInteractionValidator validator() {
        return validator;
    }

    private static OpenApiInteractionValidator parse(String service, Path file, String basePath) {
        String document;
        try {
            document = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + service + " OpenAPI document " + file, e);
        }
        try {
            OpenApiInteractionValidator.Builder builder = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                    // HubSpot's document declares OAuth scopes, which no library can verify, and Meraki's accepts
                    // either of two headers; each emulator checks the key itself before validation.
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                            .build());
            if (basePath != null) {
                builder.withBasePathOverride(basePath);
            }
            return builder.build();
        } catch (OpenApiInteractionValidator.ApiLoadException e) {
            throw new IllegalStateException(service + " OpenAPI document " + file + " cannot be loaded: "
                    + e.getParseMessages(), e);
        }
    }

    private static String lastModified(Path file) {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            return time.toString();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String toString() {
        return service + " contract " + specification;
    }
}
