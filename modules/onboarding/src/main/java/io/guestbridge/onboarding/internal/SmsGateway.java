package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.OutboundTargets;
import io.guestbridge.platform.api.RateBudget;
import io.guestbridge.platform.api.RetryAfter;
import io.guestbridge.platform.api.WebhookSignatures;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A generic HTTP SMS gateway: {@code POST} of {@code {"to":"+44…","text":"…","reference":"…"}} to
 * {@code onboarding.sms.url}, signed per Standard Webhooks under {@code onboarding.sms.secret} (a {@code whsec_}
 * secret, best as a secret file), so a gateway or a relay in front of one can prove the message came from us.
 * The gateway's rate, {@code onboarding.sms.messages-per-minute} (default 100), is the channel's budget shared by
 * every instance. Without a URL and a secret, SMS is off.
 */
@ApplicationScoped
public class SmsGateway {

    static final String CHANNEL = "sms";

    @Inject
    Config config;

    private OutboundTargets targets;
    private HttpClient http;

    @PostConstruct
    void connect() {
        targets = OutboundTargets.from(config);
        http = targets.guard(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    /** What the gateway said. */
    sealed interface Answer {
    }

    record Accepted() implements Answer {
    }

    /** Over its rate: come back after {@code delay} (its Retry-After, or a second). */
    record Later(Duration delay) implements Answer {
    }

    /** Refused for good (a 4xx other than 429): retrying the same message cannot help. */
    record Refused(String reason) implements Answer {
    }

    /** Down, slow or answering 5xx: try again with the queue's backoff. */
    record Failed(String reason) implements Answer {
    }

    boolean enabled() {
        return url().isPresent() && secret().isPresent();
    }

    RateBudget.Rate rate() {
        return new RateBudget.Rate("onboarding-sms", config.getOptionalValue("onboarding.sms.messages-per-minute", Integer.class).orElse(100),
                Duration.ofMinutes(1));
    }

    @Timeout(30_000)
    @Bulkhead(5)
    Answer send(String to, String text, String reference) {
        URI target;
        try {
            target = targets.require(URI.create(url().orElseThrow()), "onboarding.sms.url");
        } catch (RuntimeException e) {
            return new Refused("onboarding.sms.url is refused: " + e.getMessage());
        }
        byte[] body = Json.createObjectBuilder().add("to", to).add("text", text).add("reference", reference).build().toString()
                .getBytes(StandardCharsets.UTF_8);
        String id = "msg_" + UUID.randomUUID();
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header(WebhookSignatures.ID, id).header(WebhookSignatures.TIMESTAMP, Long.toString(timestamp))
                .header(WebhookSignatures.SIGNATURE, WebhookSignatures.sign(secret().orElseThrow(), id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new Failed("SMS gateway: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("SMS gateway: interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Accepted();
        }
        if (status == 429) {
            return new Later(RetryAfter.of(response)
                    .orElse(Duration.ofSeconds(1)));
        }
        if (status >= 400 && status < 500 && status != 408) {
            return new Refused("SMS gateway: HTTP " + status);
        }
        return new Failed("SMS gateway: HTTP " + status);
    }

    private Optional<String> url() {
        return config.getOptionalValue("onboarding.sms.url", String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    private Optional<String> secret() {
        return config.getOptionalValue("onboarding.sms.secret", String.class).map(String::strip).filter(s -> !s.isEmpty());
    }
}
