package io.guestbridge.ingestion.internal.intake;

import io.guestbridge.ingestion.internal.inbox.Inbox;
import io.guestbridge.ingestion.internal.inbox.WebhookBody;
import io.guestbridge.ingestion.internal.sources.Source;
import io.guestbridge.ingestion.internal.sources.Sources;
import io.guestbridge.platform.api.Jsonp;
import io.guestbridge.platform.api.ProblemException;
import io.guestbridge.platform.api.ProblemType;
import io.guestbridge.platform.api.WebhookSignatures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.HttpHeaders;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Deliveries from senders that sign per Standard Webhooks (booking systems, generic event sources):
 * the signature is checked against the source's current secrets before anything is stored, then each
 * event goes to the inbox with its delivery id ({@code webhook-id}, and its position for a batch), by
 * which processing drops a delivery the sender retried.
 */
@ApplicationScoped
public class SignedDeliveries {

    static final int MAX_EVENTS_PER_DELIVERY = 500;

    @Inject
    Sources sources;

    @Inject
    Inbox inbox;

    /** The source among {@code candidates} whose secret signed this delivery; a 401 problem otherwise. */
    public Sources.ActiveSource verify(List<Sources.ActiveSource> candidates, HttpHeaders headers, byte[] body, String clientAddress,
                                       Source.Kind endpoint) {
        ProblemException last = null;
        for (Sources.ActiveSource candidate : candidates) {
            List<String> secrets = sources.signingSecrets(candidate.id());
            if (secrets.isEmpty()) {
                continue;
            }
            try {
                WebhookSignatures.verify(secrets, headers.getHeaderString(WebhookSignatures.ID),
                        headers.getHeaderString(WebhookSignatures.TIMESTAMP), headers.getHeaderString(WebhookSignatures.SIGNATURE),
                        body, Instant.now());
                return candidate;
            } catch (ProblemException refused) {
                last = refused;
                if (!refused.detail().startsWith("No v1 signature")) {
                    break; // missing headers or a stale timestamp: no other secret changes that
                }
            }
        }
        sources.auditBadSignature(candidates.size() == 1 ? candidates.get(0).id() : endpoint.name(), endpoint, clientAddress);
        throw Optional.ofNullable(last).orElseGet(() -> new ProblemException(ProblemType.UNAUTHENTICATED,
                "No source of this kind is registered with a signing secret; register one (POST /api/v1/sources).", Map.of()));
    }

    /** Stores a verified delivery: one inbox row per event; completes once all are committed. */
    public CompletableFuture<List<Long>> store(Sources.ActiveSource source, WebhookBody body, String contentType, String deliveryId) {
        List<byte[]> events = split(body);
        List<CompletableFuture<Long>> committed = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            byte[] event = events.get(i);
            String id = events.size() == 1 && !body.text().stripLeading().startsWith("[") ? deliveryId : deliveryId + "#" + i;
            committed.add(inbox.accept(new Inbox.RawEvent(source.id(), contentType, event, WebhookBody.sha256(event), truncate(id))));
        }
        return CompletableFuture.allOf(committed.toArray(CompletableFuture[]::new))
                .thenApply(done -> committed.stream().map(CompletableFuture::join).toList());
    }

    private static List<byte[]> split(WebhookBody body) {
        if (!body.text().stripLeading().startsWith("[")) {
            return List.of(body.bytes());
        }
        JsonStructure parsed;
        try (JsonReader reader = Jsonp.JSON.createReader(new StringReader(body.text()))) {
            parsed = reader.read();
        }
        JsonArray array = parsed.asJsonArray();
        if (array.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, "The array holds no events.");
        }
        if (array.size() > MAX_EVENTS_PER_DELIVERY) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "At most " + MAX_EVENTS_PER_DELIVERY + " events per delivery; this one holds " + array.size() + ".");
        }
        List<byte[]> events = new ArrayList<>(array.size());
        for (JsonValue value : array) {
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new ProblemException(ProblemType.MALFORMED_BODY, "Every element of the array must be an event object.");
            }
            events.add(value.toString().getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }

    private static String truncate(String id) {
        return id == null ? null : id.length() <= 190 ? id : id.substring(0, 190);
    }
}
