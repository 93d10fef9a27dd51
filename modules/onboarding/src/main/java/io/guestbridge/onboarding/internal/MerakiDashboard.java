package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.OutboundTargets;
import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.RetryAfter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Cisco Meraki's Dashboard API v1 for identity PSKs on an SSID, at {@code onboarding.meraki.url} (default
 * {@code https://api.meraki.com/api/v1}), with the API key as a bearer token from {@code onboarding.meraki.api-key}
 * or a named one ({@code onboarding.meraki.api-key.<name>}), best as secret files. Meraki allows
 * {@code onboarding.meraki.requests-per-second} (default 10) per organisation and answers 429 with Retry-After beyond.
 */
@ApplicationScoped
public class MerakiDashboard {

    @Inject
    Config config;

    private OutboundTargets targets;
    private HttpClient http;

    @PostConstruct
    void connect() {
        targets = OutboundTargets.from(config);
        http = targets.guard(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** What the dashboard said. */
    sealed interface Answer {
    }

    /** Done; {@code id} is the identity PSK's (for a create), or null. */
    record Done(String id) implements Answer {
    }

    /** The identity PSK is not there (a delete: nothing left to do). */
    record Gone() implements Answer {
    }

    /** Over the organisation's rate: come back after {@code delay}. */
    record Later(Duration delay) implements Answer {
    }

    /** Refused for good (a 4xx other than 404, 408 and 429), or not configured: retrying cannot help. */
    record Refused(String reason) implements Answer {
    }

    /** Down, slow or 5xx: try again with the queue's backoff. */
    record Failed(String reason) implements Answer {
    }

    RateBudget.Rate rate(MerakiTarget target) {
        return new RateBudget.Rate(target.budgetChannel(),
                config.getOptionalValue("onboarding.meraki.requests-per-second", Integer.class).orElse(10), Duration.ofSeconds(1));
    }

    @Timeout(30_000)
    @Bulkhead(5)
    Answer create(MerakiTarget target, JsonObject body) {
        return send(target, "POST", psks(target), body, true);
    }

    /** The id of the SSID's identity PSK of this name, if there is one: a create whose answer was lost made it. */
    @Timeout(30_000)
    @Bulkhead(5)
    Answer findByName(MerakiTarget target, String name) {
        Optional<HttpRequest.Builder> request = request(target, psks(target));
        if (request.isEmpty()) {
            return new Refused(unconfigured(target));
        }
        return exchange(request.get().GET().build(), response -> {
            try (JsonReader reader = Json.createReader(new StringReader(response))) {
                return reader.readArray().stream().filter(v -> v.getValueType() == JsonValue.ValueType.OBJECT).map(JsonValue::asJsonObject)
                        .filter(psk -> name.equals(psk.getString("name", null))).map(psk -> psk.getString("id", null))
                        .findFirst().map(id -> (Answer) new Done(id)).orElse(new Gone());
            }
        });
    }

    @Timeout(30_000)
    @Bulkhead(5)
    Answer update(MerakiTarget target, String pskId, JsonObject body) {
        return send(target, "PUT", psks(target) + "/" + encode(pskId), body, false);
    }

    @Timeout(30_000)
    @Bulkhead(5)
    Answer delete(MerakiTarget target, String pskId) {
        Optional<HttpRequest.Builder> request = request(target, psks(target) + "/" + encode(pskId));
        if (request.isEmpty()) {
            return new Refused(unconfigured(target));
        }
        return exchange(request.get().DELETE().build(), response -> new Done(null));
    }

    private Answer send(MerakiTarget target, String method, String path, JsonObject body, boolean wantsId) {
        Optional<HttpRequest.Builder> request = request(target, path);
        if (request.isEmpty()) {
            return new Refused(unconfigured(target));
        }
        HttpRequest built = request.get().header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        return exchange(built, response -> {
            if (!wantsId) {
                return new Done(null);
            }
            try (JsonReader reader = Json.createReader(new StringReader(response))) {
                String id = reader.readObject().getString("id", null);
                return id == null ? new Failed("Meraki: the created identity PSK came back without an id") : new Done(id);
            }
        });
    }

    /** The request with its key, or empty when no key is configured or the URL is one we must not call. */
    private Optional<HttpRequest.Builder> request(MerakiTarget target, String path) {
        Optional<String> key = config.getOptionalValue(target.apiKeyProperty(), String.class).map(String::strip).filter(s -> !s.isEmpty());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String base = config.getOptionalValue("onboarding.meraki.url", String.class).map(String::strip).filter(s -> !s.isEmpty())
                .orElse("https://api.meraki.com/api/v1");
        URI uri;
        try {
            uri = targets.require(URI.create(base.replaceAll("/+$", "") + path), "onboarding.meraki.url");
        } catch (RuntimeException refused) {
            return Optional.empty();
        }
        return Optional.of(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + key.get()));
    }

    private static String unconfigured(MerakiTarget target) {
        return "Meraki: no API key in " + target.apiKeyProperty() + ", or onboarding.meraki.url is not a URL guestbridge may call";
    }

    private interface OnSuccess {
        Answer read(String body);
    }

    private Answer exchange(HttpRequest request, OnSuccess onSuccess) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Failed("Meraki: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("Meraki: interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return onSuccess.read(response.body());
            } catch (RuntimeException unreadable) {
                return new Failed("Meraki: an answer that is not the expected JSON (HTTP " + status + ")");
            }
        }
        if (status == 404) {
            return new Gone();
        }
        if (status == 429) {
            return new Later(RetryAfter.of(response)
                    .orElse(Duration.ofSeconds(1)));
        }
        if (status >= 400 && status < 500 && status != 408) {
            return new Refused("Meraki: HTTP " + status);
        }
        return new Failed("Meraki: HTTP " + status);
    }

    private static String psks(MerakiTarget target) {
        return "/networks/" + encode(target.networkId()) + "/wireless/ssids/" + target.ssidNumber() + "/identityPsks";
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
