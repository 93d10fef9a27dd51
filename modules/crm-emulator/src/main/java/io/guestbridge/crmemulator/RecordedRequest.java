package io.guestbridge.crmemulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request as a service emulator received it, kept so a test can assert what a connector sent.
 *
 * @param method     the HTTP method, upper case
 * @param path       the decoded path, e.g. {@code /crm/v3/objects/contacts/batch/upsert}
 * @param query      the raw query string without {@code ?}, or {@code null} when there was none
 * @param headers    the request headers; {@link #header(String)} looks them up without regard to case
 * @param body       the body as UTF-8 text, empty when there was none
 * @param receivedAt when the emulator read the request
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              String body, Instant receivedAt) {

    public RecordedRequest {
        // HTTP header names are case-insensitive; a sorted case-insensitive copy spares every caller the worry.
        TreeMap<String, List<String>> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> caseInsensitive.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(caseInsensitive);
        body = body == null ? "" : body;
    }

    /** The first value of a header, looked up without regard to case. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The query parameters, decoded, each with its values in order; empty when there is no query. */
    public Map<String, List<String>> queryParameters() {
        return parseUrlEncoded(query);
    }

    /** Parses {@code a=1&b=x%20y} text, as in a query string or a form body. */
    static Map<String, List<String>> parseUrlEncoded(String text) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return parameters;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    /** {@code "POST /crm/v3/objects/contacts/batch/upsert"}: handy in assertion messages. */
    public String describe() {
        return method.toUpperCase(Locale.ROOT) + " " + path + (query == null ? "" : "?" + query);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
