package io.guestbridge.privacy.internal.steps;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs calls to other systems side by side: the first on the worker's own thread, the others on threads of the
 * container's managed thread factory, which run with the application's context (its transactions and beans: a CRM call
 * sends its request budget's moment, a hold-off is written in a transaction of its own). A batch of steps then takes as
 * long as its slowest system, not the sum of them: one after another, a request's four systems took 64 ms where their
 * own answers take 10.
 *
 * <p>The threads are pooled and bounded by what calls for them: each of the step queue's workers runs one batch's
 * calls at a time, one thread per system ({@link ExternalSteps#attemptAll}). Every call is bounded by its own client's
 * timeouts, so waiting for the others needs no timeout here.
 */
@ApplicationScoped
class SideBySide {

    @Resource
    ManagedThreadFactory threads;

    private ExecutorService pool;

    @PostConstruct
    void start() {
        start(threads);
    }

    void start(ThreadFactory factory) {
        pool = Executors.newCachedThreadPool(factory);
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /** Each call's result, in the calls' order; a call that threw gives {@code failed}'s result for its exception. */
    <T> List<T> run(List<Supplier<T>> calls, Function<RuntimeException, T> failed) {
        List<Future<T>> others = new ArrayList<>(calls.size());
        for (int i = 1; i < calls.size(); i++) {
            Supplier<T> call = calls.get(i);
            others.add(pool.submit(() -> guarded(call, failed)));
        }
        List<T> results = new ArrayList<>(calls.size());
        if (!calls.isEmpty()) {
            results.add(guarded(calls.get(0), failed));
        }
        for (Future<T> other : others) {
            try {
                results.add(other.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while other systems answered", e);
            } catch (ExecutionException e) {
                results.add(failed.apply(new IllegalStateException(e.getCause()))); // guarded() returns rather than throws
            }
        }
        return results;
    }

    private static <T> T guarded(Supplier<T> call, Function<RuntimeException, T> failed) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return failed.apply(e);
        }
    }
}
