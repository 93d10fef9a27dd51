package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.platform.api.OutboundTargets;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The one HTTP client every CRM call goes through: HTTP/1.1 (the CRMs' bulk APIs speak it; HTTP/2 upgrade
 * attempts only cost a round trip), a five-second connect timeout, and the outbound policy asked before
 * every request.
 */
@ApplicationScoped
public class CrmWire {

    private final HttpClient http = OutboundTargets.from(ConfigProvider.getConfig())
            .guard(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());

    public HttpClient http() {
        return http;
    }
}
