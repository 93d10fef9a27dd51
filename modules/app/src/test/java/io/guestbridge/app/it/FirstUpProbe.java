package io.guestbridge.app.it;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a load balancer's traffic meets on a server that just started: polls {@code /health/ready} from the
 * moment the server is launched, and from its first UP fires API requests (anonymous and authenticated,
 * reads, a write, errors of every kind) back to back for a few seconds. Every answer must be the one the
 * API documents: the right status, problem+json for errors, never an HTML page, never an empty body, and
 * readiness never falls back to DOWN.
 */
final class FirstUpProbe {

    /** How many requests are fired from the first UP at the least. */
    static final int MINIMUM_ANSWERS = 20;

    private static final String PROBLEM = "application/problem+json";
    private static final String JSON = "application/json";

    /** The answers observed after the first UP: how many, and each one that was not as documented. */
    record Result(long millisToFirstUp, int answers, List<String> failures) {
    }

    private record Expected(String label, HttpRequest request, int status, String contentType, Predicate<HttpResponse<String>> also) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;
    private final String officerToken;
    private final String dpoToken;
    private final Duration firing;

    private FirstUpProbe(int port, String officerToken, String dpoToken, Duration firing) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.officerToken = officerToken;
        this.dpoToken = dpoToken;
        this.firing = firing;
    }

    /** Starts polling now, in the background; the result completes once the firing after the first UP ended. */
    static CompletableFuture<Result> start(int port, String officerToken, String dpoToken, Duration firing, Duration timeout) {
        FirstUpProbe probe = new FirstUpProbe(port, officerToken, dpoToken, firing);
        CompletableFuture<Result> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(probe.run(timeout));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "first-up-probe");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private Result run(Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers(get("/health/ready", null)).map(r -> r.statusCode() == 200).orElse(false)) {
                long firstUp = System.nanoTime();
                return fire((firstUp - started) / 1_000_000, firstUp);
            }
            Thread.sleep(50);
        }
        return new Result(-1, 0, List.of("never ready within " + timeout.toSeconds() + " s"));
    }

    private Result fire(long millisToFirstUp, long firstUp) {
        List<Expected> expectations = expectations();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        int answers = 0;
        long until = firstUp + firing.toNanos();
        // at least MINIMUM_ANSWERS whatever the machine's speed (the first answers after a start are slow while
        // classes load), but never longer than 40 s
        long hardStop = firstUp + Duration.ofSeconds(40).toNanos();
        for (int i = 0; (System.nanoTime() < until || answers < MINIMUM_ANSWERS) && System.nanoTime() < hardStop; i++) {
            Expected expected = expectations.get(i % expectations.size());
            String at = String.format("+%d ms %s", (System.nanoTime() - firstUp) / 1_000_000, expected.label());
            try {
                HttpResponse<String> response = client.send(expected.request(), HttpResponse.BodyHandlers.ofString());
                answers++;
                String contentType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
                if (response.statusCode() != expected.status() || !contentType.equals(expected.contentType())
                        || response.body().isBlank() || !parsesAsJson(response.body()) || !expected.also().test(response)) {
                    failures.add(at + ": expected " + expected.status() + " " + expected.contentType() + ", got "
                            + response.statusCode() + " " + contentType + " "
                            + (response.body().length() > 160 ? response.body().substring(0, 160) + "…" : response.body()));
                }
            } catch (IOException e) {
                failures.add(at + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Result(millisToFirstUp, answers, List.copyOf(failures));
    }

    private List<Expected> expectations() {
        Predicate<HttpResponse<String>> any = r -> true;
        return List.of(
                new Expected("GET /health/ready", request("/health/ready", null).GET().build(), 200, JSON, any),
                new Expected("GET audit records as compliance officer", request("/api/v1/audit/records?limit=5", officerToken).GET().build(),
                        200, JSON, r -> r.body().contains("\"records\"")),
                new Expected("GET audit records without a token", request("/api/v1/audit/records", null).GET().build(), 401, PROBLEM, any),
                new Expected("GET audit records as dpo", request("/api/v1/audit/records", dpoToken).GET().build(), 403, PROBLEM, any),
                new Expected("POST audit verification as compliance officer", request("/api/v1/audit/verifications", officerToken)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), 200, JSON, r -> r.body().contains("\"intact\":true")),
                new Expected("GET an unknown API path", request("/api/v1/no-such-thing", officerToken).GET().build(), 404, PROBLEM, any),
                new Expected("DELETE audit records", request("/api/v1/audit/records", officerToken).DELETE().build(), 405, PROBLEM,
                        r -> r.headers().firstValue("Allow").isPresent()),
                new Expected("POST a Purple webhook with an unknown key", request("/api/v1/ingest/purple/" + "Zz9_".repeat(10) + "abc", null)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}")).build(),
                        404, PROBLEM, any),
                new Expected("GET the OpenAPI document as JSON", request("/openapi", null).header("Accept", JSON).GET().build(), 200, JSON,
                        r -> r.body().contains("/api/v1/audit/records")));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private java.util.Optional<HttpResponse<String>> answers(HttpRequest request) {
        try {
            return java.util.Optional.of(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException notListeningYet) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    private HttpRequest get(String path, String token) {
        return request(path, token).timeout(Duration.ofSeconds(5)).GET().build();
    }

    private static boolean parsesAsJson(String body) {
        try (var reader = jakarta.json.Json.createReader(new StringReader(body))) {
            reader.read();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    static Result await(CompletableFuture<Result> result, Duration timeout) throws Exception {
        return result.get(timeout.toSeconds(), TimeUnit.SECONDS);
    }
}
