package io.guestbridge.crmemulator;

import jakarta.json.JsonStructure;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a service emulator answers, built before anything is written so that common headers
 * (rate-limit counters and the like) can be added in one place.
 */
final class EmulatorResponse {

    static final String JSON = "application/json;charset=utf-8";

    private final int status;
    private final byte[] body;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private EmulatorResponse(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    static EmulatorResponse json(int status, JsonStructure body) {
        return json(status, body, JSON);
    }

    static EmulatorResponse json(int status, JsonStructure body, String contentType) {
        return new EmulatorResponse(status, JsonSupport.write(body).getBytes(StandardCharsets.UTF_8))
                .header("Content-Type", contentType);
    }

    /** A response without a body, e.g. 204; HttpServer needs to know, as it then sends no Content-Length. */
    static EmulatorResponse empty(int status) {
        return new EmulatorResponse(status, null);
    }

    EmulatorResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    /** The body, or {@code null} for a response that has none. */
    byte[] body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }
}
