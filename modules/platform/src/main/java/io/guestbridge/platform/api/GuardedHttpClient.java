package io.guestbridge.platform.api;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** An {@link HttpClient} that asks {@link OutboundTargets} before every request; see {@link OutboundTargets#guard}. */
final class GuardedHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final OutboundTargets targets;

    GuardedHttpClient(HttpClient delegate, OutboundTargets targets) {
        this.delegate = delegate;
        this.targets = targets;
    }

    private void check(HttpRequest request) throws ConnectException {
        Optional<String> refusal = targets.refusal(request.uri(), "the target " + request.uri().getScheme() + "://" + request.uri().getHost());
        if (refusal.isPresent()) {
            throw new ConnectException("refused by the outbound policy: " + refusal.get());
        }
    }

    /**
     * Sends, bounding the whole exchange by the request's timeout, its body included: the JDK's client stops its timer
     * once the response's headers are in, so a peer that sends them and then trickles the body would hold the caller for
     * as long as it liked. The body's reader is given what is left of the timeout; past it the reading is cancelled
     * (which closes the connection) and the caller gets the {@link HttpTimeoutException} it gets for a late answer.
     *
     * <p>This is what bounds each outbound call. A container-managed timeout around the calling method costs a task on
     * a managed executor per call, whose context capture scans the server's jars (5 % of the server's profile samples
     * in a burst of erasures). Waiting on {@code sendAsync} with a deadline instead moves every answer onto the common
     * fork-join pool, a single thread on two cores, which cost more than the scans.
     */
    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        check(request);
        Optional<Duration> limit = request.timeout();
        if (limit.isEmpty()) {
            return delegate.send(request, handler);
        }
        long deadline = System.nanoTime() + limit.get().toNanos();
        String late = "no complete answer from " + request.uri().getHost() + " within " + limit.get().toMillis() + " ms";
        return delegate.send(request, answer -> new BoundedBody<>(handler.apply(answer), deadline, late));
    }

    /**
     * One timer thread for every outbound body's deadline: it only cancels a reading that ran out of time, so it needs
     * none of the application's context, and a daemon thread never holds the server's stop. It ends after a minute with
     * no deadline pending (the next exchange starts another), so an application that is redeployed does not leave it,
     * and its class loader, behind.
     */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "outbound-body-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a body read in time leaves nothing queued behind
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true); // the last thread stays while a deadline is queued
        return timer;
    }

    /** A body's reader that gives up at the exchange's deadline. */
    static final class BoundedBody<T> implements HttpResponse.BodySubscriber<T> {

        private final HttpResponse.BodySubscriber<T> reader;
        private final CompletableFuture<T> body = new CompletableFuture<>();
        private final String late;
        private volatile Flow.Subscription subscription;

        BoundedBody(HttpResponse.BodySubscriber<T> reader, long deadline, String late) {
            this.reader = reader;
            this.late = late;
            reader.getBody().whenComplete((value, failure) -> {
                if (failure == null) {
                    body.complete(value);
                } else {
                    body.completeExceptionally(failure);
                }
            });
            ScheduledFuture<?> timer = DEADLINES.schedule(this::expire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            body.whenComplete((value, failure) -> timer.cancel(false));
        }

        private void expire() {
            if (body.completeExceptionally(new HttpTimeoutException(late))) {
                Flow.Subscription reading = subscription;
                if (reading != null) {
                    reading.cancel();
                }
            }
        }

        @Override
        public CompletionStage<T> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            reader.onSubscribe(subscription);
            if (body.isCompletedExceptionally()) {
                subscription.cancel(); // the deadline passed before the body began
            }
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            reader.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
            reader.onError(throwable);
        }

        @Override
        public void onComplete() {
            reader.onComplete();
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            check(request);
        } catch (ConnectException e) {
            return CompletableFuture.failedFuture(e);
        }
        return delegate.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        try {
            check(request);
        } catch (ConnectException e) {
            return CompletableFuture.failedFuture(e);
        }
        return delegate.sendAsync(request, handler, push);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
