package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Singletons;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@link Singletons} on {@code plt_singleton_lease}: every name this instance has asked about is claimed or renewed
 * every third of the lease ({@code platform.singleton.lease-ms}, default 15000), each in its own short transaction.
 * This instance counts a lease as held from the moment it sent the renewal, so its own view lapses before the
 * database's does; a renewal that fails (the database node it wrote to went away) lets the lease lapse here too,
 * and the next renewal, on whichever node answers, claims it again if nobody took it meanwhile.
 */
@ApplicationScoped
public class DatabaseSingletons implements Singletons {

    private static final Logger LOG = Logger.getLogger(DatabaseSingletons.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    SingletonLeaseRow row;

    @Inject
    Config config;

    private final String instance = UUID.randomUUID().toString();
    /** Per name, the System.nanoTime() until which this instance holds its lease (in the past: it does not). */
    private final Map<String, Long> heldUntil = new ConcurrentHashMap<>();
    private final Map<String, Boolean> saidLeading = new ConcurrentHashMap<>();
    private volatile long lastFailureLogged = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
    private volatile ScheduledFuture<?> renewing;

    void start(@Observes Database.Ready ready) {
        long every = Math.max(50, lease().toMillis() / 3);
        renewing = scheduler.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
        LOG.info(() -> "singleton leases of instance " + instance + ": " + lease().toMillis() + " ms, renewed every " + every + " ms");
    }

    private Duration lease() {
        return Duration.ofMillis(Math.max(150, config.getOptionalValue("platform.singleton.lease-ms", Long.class).orElse(15_000L)));
    }

    @Override
    public boolean lead(String name) {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("a singleton is named in 1 to 64 characters");
        }
        if (!heldUntil.containsKey(name)) {
            renew(name);
        }
        Long until = heldUntil.get(name);
        return until != null && System.nanoTime() - until < 0;
    }

    @Override
    public String instance() {
        return instance;
    }

    private void renewAll() {
        for (String name : heldUntil.keySet()) {
            renew(name);
        }
    }

    private synchronized void renew(String name) {
        Duration lease = lease();
        long sent = System.nanoTime();
        boolean held;
        try {
            held = row.claim(name, instance, lease);
        } catch (RuntimeException e) {
            held = false;
            long now = System.nanoTime();
            if (now - lastFailureLogged > TimeUnit.SECONDS.toNanos(10)) {
                lastFailureLogged = now;
                LOG.warning(() -> "singleton lease of " + name + " could not be renewed (it lapses here; tried again in "
                        + lease.toMillis() / 3 + " ms): " + e);
            }
        }
        heldUntil.put(name, held ? sent + lease.toNanos() : sent - 1);
        boolean leading = held;
        if (!Boolean.valueOf(leading).equals(saidLeading.put(name, leading))) {
            LOG.info(() -> "singleton " + name + ": instance " + instance + (leading ? " now runs it" : " stands by: another instance holds the lease"));
        }
    }

    /** Hands back the leases held, so another instance takes them at its next renewal instead of after the lease. */
    @PreDestroy
    void stop() {
        ScheduledFuture<?> future = renewing;
        if (future != null) {
            future.cancel(false);
        }
        for (Map.Entry<String, Long> held : heldUntil.entrySet()) {
            if (System.nanoTime() - held.getValue() < 0) {
                try {
                    row.release(held.getKey(), instance);
                } catch (RuntimeException e) {
                    LOG.info(() -> "singleton lease of " + held.getKey() + " not handed back (it runs out by itself): " + e);
                }
            }
        }
    }
}
