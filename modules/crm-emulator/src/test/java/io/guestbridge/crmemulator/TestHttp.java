package io.guestbridge.crmemulator;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HttpClient (HTTP/1.1, like the connectors) with short timeouts, and JSON helpers for assertions. */
final class TestHttp {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String baseUrl;

    TestHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    /** Sends and returns the response; an IOException (a dropped connection) is thrown as is. */
    HttpResponse<String> sendRaw(HttpRequest request) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return sendRaw(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpClient client() {
        return client;
    }

    static JsonObject object(HttpResponse<String> response) {
        return JsonSupport.parse(response.body()).map(JsonValue::asJsonObject)
                .orElseThrow(() -> new AssertionError("not a JSON object: " + response.body()));
    }

    static JsonArray array(HttpResponse<String> response) {
        return JsonSupport.parse(response.body()).map(JsonValue::asJsonArray)
                .orElseThrow(() -> new AssertionError("not a JSON array: " + response.body()));
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name)
                .orElseThrow(() -> new AssertionError("no " + name + " header in " + response.headers().map()));
    }
}
