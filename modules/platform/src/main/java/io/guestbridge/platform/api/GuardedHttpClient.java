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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
     * Sends and waits at most the request's timeout for the whole exchange, its body included: the JDK's client stops
     * its timer once the response's headers are in, so a peer that sends them and then trickles the body would hold the
     * caller for as long as it likes. Past the timeout the exchange is cancelled (which closes its connection) and the
     * caller gets the {@link HttpTimeoutException} it gets for a late answer. This is what bounds each outbound call:
     * a container-managed timeout around the calling method costs a task on a managed executor per call (and capturing
     * its context scans the server's jars), which was a tenth of the server's CPU in a burst of erasures.
     */
    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        check(request);
        Optional<Duration> limit = request.timeout();
        if (limit.isEmpty()) {
            return delegate.send(request, handler);
        }
        CompletableFuture<HttpResponse<T>> exchange = delegate.sendAsync(request, handler);
        try {
            return exchange.get(limit.get().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete answer from " + request.uri().getHost() + " within " + limit.get().toMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
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
