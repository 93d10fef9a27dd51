package io.guestbridge.crmemulator;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * What the service emulators share: the request log, injected faults, request quotas and a cap on
 * concurrent requests, applied to every request in the same order before the service's own logic runs.
 *
 * <p>Order per request: record it; refuse it if too many requests are in flight; apply an injected delay,
 * dropped connection or error status; authenticate; count it against the quotas; answer. Injected faults
 * come before authentication and quotas because they stand for failures in front of the service (a proxy,
 * a load balancer), which neither look at credentials nor count.
 *
 * <p>All methods are thread-safe; settings take effect for the next request.
 */
public abstract sealed class ServiceEmulator permits HubSpotEmulator, SalesforceEmulator, MailchimpEmulator,
        PurpleEmulator, SmsGatewayEmulator, MerakiEmulator {

    /** Every request matches unless a test narrows a fault down. */
    private static final Predicate<RecordedRequest> ANY_REQUEST = request -> true;

    /** Enough for any test; a benchmark sending more keeps the most recent ones (and the count of all). */
    private static final int DEFAULT_REQUEST_LOG_CAPACITY = 10_000;

    final Clock clock;
    private final String serviceName;
    private final int defaultMaxConcurrent;
    private final RequestLimiter limiter;
    private final FaultInjector faults = new FaultInjector();
    private final ArrayDeque<RecordedRequest> requestLog = new ArrayDeque<>();
    private int requestsSinceClear;
    private int requestLogCapacity = DEFAULT_REQUEST_LOG_CAPACITY;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong recordsStored = new java.util.concurrent.atomic.AtomicLong();
    private volatile int maxConcurrent;

    ServiceEmulator(String serviceName, Clock clock, int defaultMaxConcurrent) {
        this.serviceName = serviceName;
        this.clock = clock;
        this.defaultMaxConcurrent = defaultMaxConcurrent;
        this.maxConcurrent = defaultMaxConcurrent;
        this.limiter = new RequestLimiter(clock);
    }

    // ---------------------------------------------------------------- limits

    /**
     * At most {@code requests} requests in any rolling {@code window}; beyond that the service answers as it
     * does when over its rate limit (429 or, for Salesforce, 403). Off until called, and after {@link #reset()}.
     */
    public final void rateLimit(int requests, Duration window) {
        limiter.windowLimit(requests, Objects.requireNonNull(window, "window"));
    }

    /** At most {@code requests} requests per UTC day; beyond that the service's daily-limit answer. */
    public final void dailyLimit(int requests) {
        limiter.dailyLimit(requests);
    }

    // ---------------------------------------------------------------- faults

    /**
     * The next {@code count} requests get {@code status} (e.g. 500, 502, 503) with the service's error body.
     * {@code failNext(Integer.MAX_VALUE, 503)} takes the service down until {@link #clearFaults()}.
     */
    public final void failNext(int count, int status) {
        failNext(count, status, ANY_REQUEST);
    }

    /** Like {@link #failNext(int, int)}, for the next {@code count} requests that {@code matching} accepts. */
    public final void failNext(int count, int status, Predicate<RecordedRequest> matching) {
        faults.failNext(count, status, Objects.requireNonNull(matching, "matching"));
    }

    /**
     * The next {@code count} requests get no answer: the connection is closed once the request has been read,
     * so the client sees an {@link IOException}. Note that the JDK HttpClient retries an idempotent request
     * (GET) once by itself when a reused connection closes like this, so a GET needs {@code count = 2} for the
     * caller to see the failure; POST, PUT and PATCH are never retried.
     */
    public final void resetNext(int count) {
        resetNext(count, ANY_REQUEST);
    }

    /** Like {@link #resetNext(int)}, for the next {@code count} requests that {@code matching} accepts. */
    public final void resetNext(int count, Predicate<RecordedRequest> matching) {
        faults.resetNext(count, Objects.requireNonNull(matching, "matching"));
    }

    /** The next {@code count} requests are answered only after {@code delay} (the answer itself is normal). */
    public final void slowNext(int count, Duration delay) {
        slowNext(count, delay, ANY_REQUEST);
    }

    /** Like {@link #slowNext(int, Duration)}, for the next {@code count} requests that {@code matching} accepts. */
    public final void slowNext(int count, Duration delay, Predicate<RecordedRequest> matching) {
        faults.slowNext(count, Objects.requireNonNull(delay, "delay"), Objects.requireNonNull(matching, "matching"));
    }

    /** Disarms every injected fault not used up yet; stores, limits and the request log stay as they are. */
    public final void clearFaults() {
        faults.clear();
    }

    // ---------------------------------------------------------------- request log

    /** The requests received since the last clear, oldest first (at most the log capacity, the most recent). */
    public final List<RecordedRequest> requests() {
        synchronized (requestLog) {
            return List.copyOf(requestLog);
        }
    }

    /** A request answered 429 by the rate limit: when it arrived and the Retry-After the answer named. */
    public record Refusal(java.time.Instant at, Duration retryAfter) {
    }

    private final List<Refusal> refusals = new java.util.ArrayList<>();

    /**
     * The 429s the rate limit answered since the last clear, oldest first: with {@link #requests()} a test checks that
     * a client sent nothing before the Retry-After it was told had passed.
     */
    public final List<Refusal> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /** How many requests arrived since the last clear, including any the capped log no longer holds. */
    public final int requestCount() {
        synchronized (requestLog) {
            return requestsSinceClear;
        }
    }

    public final void clearRequests() {
        synchronized (requestLog) {
            requestLog.clear();
            requestsSinceClear = 0;
        }
        synchronized (refusals) {
            refusals.clear();
        }
    }

    /** How many requests {@link #requests()} keeps (default 10,000); a long benchmark need not hold every body. */
    public final void requestLogCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        synchronized (requestLog) {
            requestLogCapacity = capacity;
            trimRequestLog();
        }
    }

    /**
     * How many records the service has stored (created or updated) since the start or the last reset, every one of
     * them counted, also a record sent twice: against the number of distinct records it holds, a benchmark sees
     * duplicated deliveries.
     */
    public final long recordsStored() {
        return recordsStored.get();
    }

    /** Counts records stored by one request (see {@link #recordsStored()}). */
    final void countStored(int records) {
        recordsStored.addAndGet(records);
    }

    /** Clears the stored data, limits, faults, settings and the request log: a fresh service. */
    public final void reset() {
        recordsStored.set(0);
        limiter.reset();
        faults.clear();
        maxConcurrent = defaultMaxConcurrent;
        synchronized (requestLog) {
            requestLogCapacity = DEFAULT_REQUEST_LOG_CAPACITY;
        }
        clearRequests();
        clearState();
    }

    // ---------------------------------------------------------------- for the concrete services

    /** Limits how many requests this service handles at once; beyond it {@link #tooManyConcurrent}. */
    final void setMaxConcurrent(int requests) {
        if (requests <= 0) {
            throw new IllegalArgumentException("requests must be positive, was " + requests);
        }
        maxConcurrent = requests;
    }

    /** Clears the service's own stores and settings back to their defaults. */
    abstract void clearState();

    /**
     * Every value of the service's stores as plain text, under a heading that names the service, so a test can
     * assert that erased personal data is nowhere. Logs kept only for assertions (what was deleted) are no store
     * and stay out.
     */
    abstract String storedText();

    /** An answer when the credentials are wrong, or empty when the request may go on. */
    abstract Optional<EmulatorResponse> authenticate(RecordedRequest request);

    /** The service's own answer once faults, credentials and quotas have let the request through. */
    abstract EmulatorResponse handleRequest(RecordedRequest request);

    /** The service's answer to a request over a quota. */
    abstract EmulatorResponse limitExceeded(RecordedRequest request, RequestLimiter.Decision decision);

    /** The service's error answer for an injected failure, or for any status it has no more specific body for. */
    abstract EmulatorResponse errorResponse(int status, String message);

    /** The service's answer when more requests are in flight than allowed. */
    EmulatorResponse tooManyConcurrent(RecordedRequest request) {
        return errorResponse(429, "Too many concurrent requests");
    }

    /** Whether the request counts against the quotas; an OAuth token request, for example, does not. */
    boolean countsAgainstLimits(RecordedRequest request) {
        return true;
    }

    /** Headers the service puts on every response, such as rate-limit counters. */
    void addCommonHeaders(RecordedRequest request, EmulatorResponse response, RequestLimiter.Usage usage) {
    }

    // ---------------------------------------------------------------- the request pipeline

    /** Entry point from the HTTP server: runs the pipeline and writes (or withholds) the answer. */
    final void handle(HttpExchange exchange) throws IOException {
        RecordedRequest request = record(exchange);
        // Each request learns its own position, so exactly those beyond the cap are refused even in a race.
        int concurrentRequests = inFlight.incrementAndGet();
        try {
            Optional<EmulatorResponse> response;
            try {
                response = process(request, concurrentRequests);
            } catch (RuntimeException bug) {
                // An emulator bug must show up in the test, not as a hang: say so in a 500 and in the log.
                java.util.logging.Logger.getLogger(ServiceEmulator.class.getName()).log(java.util.logging.Level.SEVERE,
                        "crm-emulator bug while answering " + request.method() + " " + request.path(), bug);
                response = Optional.of(errorResponse(500, "crm-emulator failed: " + bug));
            }
            if (response.isPresent()) {
                write(exchange, response.get());
            } else {
                dropConnection(exchange);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The answer, or empty when the connection is to be dropped without one. */
    private Optional<EmulatorResponse> process(RecordedRequest request, int concurrentRequests) {
        if (concurrentRequests > maxConcurrent) {
            return Optional.of(decorate(request, tooManyConcurrent(request), limiter.peek()));
        }
        Optional<Duration> delay = faults.takeDelay(request);
        if (delay.isPresent() && !sleep(delay.get())) {
            return Optional.empty(); // interrupted: the emulator is closing
        }
        if (faults.takeDrop(request)) {
            return Optional.empty();
        }
        OptionalInt injectedStatus = faults.takeFailure(request);
        if (injectedStatus.isPresent()) {
            int status = injectedStatus.getAsInt();
            return Optional.of(decorate(request, errorResponse(status, reasonPhrase(status)), limiter.peek()));
        }
        Optional<EmulatorResponse> refused = authenticate(request);
        if (refused.isPresent()) {
            return Optional.of(decorate(request, refused.get(), limiter.peek()));
        }
        RequestLimiter.Usage usage = limiter.peek();
        if (countsAgainstLimits(request)) {
            RequestLimiter.Decision decision = limiter.tryAcquire();
            if (!decision.allowed()) {
                synchronized (refusals) {
                    refusals.add(new Refusal(request.receivedAt(), Duration.ofSeconds(decision.retryAfterSeconds())));
                }
                return Optional.of(decorate(request, limitExceeded(request, decision), decision.usage()));
            }
            usage = decision.usage();
        }
        return Optional.of(decorate(request, handleRequest(request), usage));
    }

    private EmulatorResponse decorate(RecordedRequest request, EmulatorResponse response, RequestLimiter.Usage usage) {
        addCommonHeaders(request, response, usage);
        return response;
    }

    private RecordedRequest record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        URI uri = exchange.getRequestURI();
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                exchange.getRequestHeaders(), new String(body, StandardCharsets.UTF_8), clock.instant());
        synchronized (requestLog) {
            requestLog.addLast(request);
            requestsSinceClear++;
            trimRequestLog();
        }
        return request;
    }

    private void trimRequestLog() {
        while (requestLog.size() > requestLogCapacity) {
            requestLog.removeFirst();
        }
    }

    private static boolean sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void write(HttpExchange exchange, EmulatorResponse response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] body = response.body();
        // HttpServer's convention: -1 means "no body" (needed for 204), otherwise the exact length.
        exchange.sendResponseHeaders(response.status(), body == null ? -1 : body.length);
        if (body != null) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /**
     * Closes the TCP connection without a byte of response. HttpExchange.close() does exactly that while no
     * response headers have been sent (closing only the response stream would not: it refuses to close before
     * the headers), so the client reads end-of-stream where the status line should be.
     */
    private static void dropConnection(HttpExchange exchange) {
        exchange.close();
    }

    String serviceName() {
        return serviceName;
    }

    /** The token of an {@code Authorization: Bearer ...} header; the scheme name is case-insensitive. */
    static Optional<String> bearerToken(RecordedRequest request) {
        return request.header("Authorization")
                .map(String::trim)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim());
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }

    @Override
    public String toString() {
        return serviceName + " emulator";
    }
}
