package io.guestbridge.privacy.internal.steps;

import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.ErasureResult;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.OutboundTargets;
import io.guestbridge.privacy.internal.datamap.DataMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.faulttolerance.Bulkhead;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the subject from the WiFi platform through Purple's Company API: find the visitor records of
 * the email, delete each (profile and authentication history). Purple's deletion contract is not in
 * our library; the paths are those of our emulator ({@code GET /api/company/v1/{company}/visitors?email=},
 * {@code DELETE /api/company/v1/{company}/visitors/{id}}, bearer token) and are the one place to adapt.
 */
@ApplicationScoped
public class PurpleErasure {

    private final OutboundTargets targets = OutboundTargets.from(ConfigProvider.getConfig());
    private final HttpClient http = targets.guard(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());

    @Bulkhead(5) // no @Timeout: each request is bounded, body included, by the outbound client (20 s)
    ErasureResult erase(DataMap.Entry system, NormalizedEmail email) {
        String base = system.setting("base-url").replaceAll("/+$", "") + "/api/company/v1/"
                + URLEncoder.encode(system.setting("company-id"), StandardCharsets.UTF_8);
        String token = system.setting("token");
        java.util.Optional<String> refusal = targets.refusal(URI.create(base), "privacy.system." + system.name() + ".base-url");
        if (refusal.isPresent()) {
            return ErasureResult.refused(refusal.get());
        }
        try {
            HttpResponse<String> found = http.send(request(base + "/visitors?email=" + URLEncoder.encode(email.value(), StandardCharsets.UTF_8), token)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            ErasureResult failure = failure("lookup", found.statusCode());
            if (failure != null) {
                return failure;
            }
            List<String> ids = new ArrayList<>();
            try (JsonReader reader = Jsonp.JSON.createReader(new StringReader(found.body()))) {
                for (JsonValue visitor : reader.readObject().getJsonObject("data").getJsonArray("visitors")) {
                    ids.add(((JsonObject) visitor).getString("id"));
                }
            } catch (RuntimeException e) {
                return ErasureResult.retry("lookup answered " + found.statusCode() + " with a body that is not the visitors list");
            }
            List<String> references = new ArrayList<>();
            for (String id : ids) {
                HttpResponse<String> deleted = http.send(request(base + "/visitors/" + URLEncoder.encode(id, StandardCharsets.UTF_8), token)
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                if (deleted.statusCode() == 404) {
                    references.add(id + ":already gone");
                    continue;
                }
                failure = failure("delete", deleted.statusCode());
                if (failure != null) {
                    return failure;
                }
                references.add(id + ":" + reference(deleted.body()));
            }
            return ErasureResult.confirmed(ids.isEmpty() ? "status 200, no visitor held" : "deleted " + ids.size() + " visitor(s): " + String.join(", ", references));
        } catch (IOException e) {
            return ErasureResult.retry("network: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ErasureResult.retry("interrupted");
        }
    }

    private static HttpRequest.Builder request(String uri, String token) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    /** Null when the status is a success; otherwise whether to try again. */
    private static ErasureResult failure(String what, int status) {
        if (status >= 200 && status < 300) {
            return null;
        }
        if (status == 429 || status >= 500 || status == 408) {
            return ErasureResult.retry(what + " answered " + status);
        }
        return ErasureResult.refused(what + " answered " + status + " (check the Purple company id and token)");
    }

    private static String reference(String body) {
        try (JsonReader reader = Jsonp.JSON.createReader(new StringReader(body))) {
            return reader.readObject().getJsonObject("data").getString("deletion_reference", "confirmed");
        } catch (RuntimeException e) {
            return "confirmed";
        }
    }
}
