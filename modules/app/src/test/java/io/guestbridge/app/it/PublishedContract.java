package io.guestbridge.app.it;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * openapi/openapi.yaml as a judge of real traffic: every request an integration test sends to an API
 * path the document covers, with the server's answer, is checked against it (Atlassian's
 * swagger-request-validator). A test fails when the server answers a status the operation does not
 * document, with a body or content type its schema does not allow (properties the schema does not name
 * included), when it accepts (2xx) a request the document calls invalid, or when it answers a method the
 * document does not list with anything but 405. Requests the document calls invalid are otherwise fine:
 * some tests send them on purpose, and the point is that their answers are documented too.
 */
public final class PublishedContract {

    private static final Logger LOG = Logger.getLogger(PublishedContract.class.getName());
    private static volatile OpenApiInteractionValidator validator;

    private PublishedContract() {
    }

    /** The committed document, read again (after openapi/openapi.yaml was regenerated). */
    static void reload() {
        validator = null;
    }

    private static OpenApiInteractionValidator validator() {
        OpenApiInteractionValidator current = validator;
        if (current == null) {
            try {
                String document = Files.readString(Path.of(System.getProperty("guestbridge.openapi.file")), StandardCharsets.UTF_8);
                current = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                        .withLevelResolver(LevelResolver.create()
                                // every property the server sends must be in the schema, not only the required ones
                                .withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
                                .build())
                        .build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            validator = current;
        }
        return current;
    }

    /** Checks one exchange; throws AssertionError naming every mismatch. */
    public static void check(HttpRequest request, HttpResponse<String> response) {
        String path = request.uri().getRawPath();
        if (!path.startsWith("/api/")) {
            return; // health, metrics, the document itself and the web pages are not part of the API document
        }
        Request.Method method = Request.Method.valueOf(request.method().toUpperCase(Locale.ROOT));
        SimpleRequest simpleRequest = simpleRequest(request, method, path);
        ValidationReport requestReport = validator().validateRequest(simpleRequest);
        if (has(requestReport, "validation.request.path.missing")) {
            return; // a path the document does not cover (test-only endpoints, deliberately unknown paths)
        }
        String exchange = request.method() + " " + request.uri().getRawPath()
                + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()) + " -> " + response.statusCode();
        if (has(requestReport, "validation.request.operation.notAllowed")) {
            if (response.statusCode() != 405) {
                throw new AssertionError("openapi/openapi.yaml has no operation " + exchange + "; only 405 is expected for it");
            }
            return;
        }
        List<String> mismatches = new ArrayList<>();
        ValidationReport responseReport = validator().validateResponse(path, method, simpleResponse(response));
        responseReport.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                // a HEAD answer never has a body (RFC 9110 9.3.2): its GET twin's body is what the schema describes
                .filter(m -> !(method == Request.Method.HEAD && m.getKey().equals("validation.response.body.missing")))
                .forEach(m -> mismatches.add("response: " + m.getKey() + ": " + m.getMessage()));
        boolean compressed = request.headers().firstValue("Content-Encoding").isPresent();
        // Purple posts without any Content-Type, which OpenAPI cannot describe; the webhook takes it as JSON
        boolean untyped = request.headers().firstValue("Content-Type").isEmpty();
        if (response.statusCode() / 100 == 2 && !compressed) {
            requestReport.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .filter(m -> !(untyped && m.getKey().startsWith("validation.request.contentType")))
                    // a body sent to an operation that takes none is not read, so the server accepted nothing invalid
                    .filter(m -> !m.getKey().equals("validation.request.body.unexpected"))
                    .forEach(m -> mismatches.add("accepted a request the document calls invalid: " + m.getKey() + ": " + m.getMessage()));
        }
        if (!mismatches.isEmpty()) {
            String body = response.body() == null ? "" : response.body();
            LOG.warning(() -> "contract mismatch on " + exchange + ": " + mismatches);
            throw new AssertionError("The server and openapi/openapi.yaml disagree on " + exchange + ":\n  "
                    + String.join("\n  ", mismatches) + "\n  body: " + (body.length() > 600 ? body.substring(0, 600) + "…" : body));
        }
    }

    private static boolean has(ValidationReport report, String key) {
        return report.getMessages().stream().anyMatch(m -> m.getKey().equals(key));
    }

    private static SimpleRequest simpleRequest(HttpRequest request, Request.Method method, String path) {
        SimpleRequest.Builder builder = new SimpleRequest.Builder(method, path);
        request.headers().map().forEach(builder::withHeader);
        String query = request.uri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                builder.withQueryParam(name, value);
            }
        }
        byte[] body = body(request);
        if (body != null && body.length > 0) {
            builder.withBody(body);
        }
        return builder.build();
    }

    private static SimpleResponse simpleResponse(HttpResponse<String> response) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                builder.withHeader(name, values);
            }
        });
        if (response.body() != null && !response.body().isEmpty()) {
            builder.withBody(response.body());
        }
        return builder.build();
    }

    /** The bytes a request sends: the String and byte-array publishers the tests use can be read again. */
    private static byte[] body(HttpRequest request) {
        if (request.bodyPublisher().isEmpty() || request.bodyPublisher().get().contentLength() == 0) {
            return null;
        }
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
            private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.write(chunk, 0, chunk.length);
            }

            @Override
            public void onError(Throwable throwable) {
                bytes.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                bytes.complete(out.toByteArray());
            }
        });
        try {
            return bytes.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the request body could not be read back for the contract check", e);
        }
    }

    static String describe(ValidationReport report) {
        return report.getMessages().stream().map(m -> m.getKey() + ": " + m.getMessage()).collect(Collectors.joining("\n"));
    }
}
