package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.identity.api.GuestId;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the CRM client tests share: connector settings, records and an HTTP client like CrmDelivery's. */
public final class ClientTestSupport {

    /** Short enough that a hung request fails the test quickly, long enough for a loaded build machine. */
    public static final Duration TIMEOUT = Duration.ofSeconds(3);

    private ClientTestSupport() {
    }

    public static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** A connector as ConnectorSettings.from would build it (the one place that knows the record's components). */
    public static ConnectorSettings connector(String name, ConnectorSettings.Type type, String baseUrl, int batchSize, Duration timeout,
                                       Map<String, String> mapping, String marketingProperty, String token, Map<String, String> options) {
        return new ConnectorSettings(name, type, URI.create(baseUrl), batchSize, Duration.ofMillis(100), 100, Duration.ofSeconds(10),
                250_000, timeout, mapping, marketingProperty, true, token, options, List.of(), SyncTrigger.ALL);
    }

    public static CrmRecord record(String email, Map<String, String> properties) {
        return new CrmRecord(GuestId.random(), email, properties, true);
    }
}
