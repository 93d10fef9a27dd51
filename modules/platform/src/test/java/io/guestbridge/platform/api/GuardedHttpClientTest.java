package io.guestbridge.platform.api;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbound client bounds a whole exchange by the request's timeout, its body included, against a real loopback
 * HTTP server: a peer that answers its headers at once and then trickles the body is cut off at the timeout.
 */
class GuardedHttpClientTest {

    private HttpServer peer;
    private final HttpClient client = new OutboundTargets(true, false).guard(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());

    @BeforeEach
    void start() throws IOException {
        peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.setExecutor(Executors.newCachedThreadPool());
        peer.createContext("/quick", exchange -> {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        peer.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: the headers go out now
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 40; i++) { // a byte every 100 ms: 4 s in all
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException | IOException e) {
                // the client went away
            }
        });
        peer.createContext("/late-then-trickle", exchange -> {
            try {
                Thread.sleep(1_000); // headers after 1 s, then a body that takes 4 s
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 40; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(100);
                    }
                }
            } catch (InterruptedException | IOException e) {
                // the client went away
            }
        });
        peer.start();
    }

    @AfterEach
    void stop() {
        peer.stop(0);
    }

    @Test
    void aBodyThatTricklesPastTheTimeoutIsCutOff() {
        long start = System.nanoTime();
        HttpTimeoutException late = assertThrows(HttpTimeoutException.class, () -> client.send(request("/trickle", Duration.ofMillis(500)),
                HttpResponse.BodyHandlers.ofString()));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 2_500, "cut off near the 500 ms timeout, not at the end of the 4 s body: " + tookMs + " ms");
        assertTrue(late.getMessage().contains("500 ms"), late.getMessage());
    }

    @Test
    void theTimeoutCountsFromTheRequestNotFromTheHeaders() {
        long start = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> client.send(request("/late-then-trickle", Duration.ofMillis(1_500)),
                HttpResponse.BodyHandlers.ofString()));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= 1_450 && tookMs < 2_200, "one 1.5 s budget for headers and body together, not 1.5 s more after the headers: "
                + tookMs + " ms");
    }

    @Test
    void anExchangeWithinItsTimeoutAnswersAsUsual() throws Exception {
        HttpResponse<String> answer = client.send(request("/quick", Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode());
        assertEquals("{\"ok\":true}", answer.body());
        HttpResponse<String> untimed = client.send(HttpRequest.newBuilder(uri("/quick")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, untimed.statusCode());
    }

    @Test
    void aRefusedTargetIsStillRefusedBeforeAnyExchange() {
        HttpClient strict = new OutboundTargets(false, false).guard(HttpClient.newBuilder().build());
        ConnectException refused = assertThrows(ConnectException.class, () -> strict.send(request("/quick", Duration.ofSeconds(1)),
                HttpResponse.BodyHandlers.ofString()));
        assertTrue(refused.getMessage().contains("outbound policy"), refused.getMessage());
    }

    private HttpRequest request(String path, Duration timeout) {
        return HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + peer.getAddress().getPort() + path);
    }
}
