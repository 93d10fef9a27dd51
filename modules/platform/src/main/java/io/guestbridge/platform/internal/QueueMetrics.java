package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.QueueStats;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Depth, oldest-item age and dead count of every queue as gauges on {@code /metrics}. A scrape reads
 * one cached snapshot (one GROUP BY query at most every few seconds), not three queries per queue.
 */
@ApplicationScoped
public class QueueMetrics {

    private static final long MAX_AGE_NANOS = 5_000_000_000L;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Inject
    ContainerWorkQueue queue;

    @Inject
    QueueWorkers workers;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private static final Logger LOG = Logger.getLogger(QueueMetrics.class.getName());

    private volatile Map<String, QueueStats> snapshot = Map.of();
    private volatile long snapshotAt;

    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> discovery;

    void register(@Observes Database.Ready ready) {
        Set<String> names = new LinkedHashSet<>(workers.handledQueues());
        names.addAll(current().keySet());
        names.forEach(this::registerQueue);
        // queues can appear later (a new connector, work enqueued by another instance): look again now and then
        discovery = scheduler.scheduleWithFixedDelay(() -> {
            try {
                current().keySet().forEach(this::registerQueue);
            } catch (RuntimeException e) {
                LOG.fine(() -> "queue metrics: database not readable right now: " + e.getClass().getName());
            }
        }, 10, 10, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (discovery != null) {
            discovery.cancel(false);
        }
    }

    private void registerQueue(String name) {
        if (registered.add(name)) {
            gauge("guestbridge_queue_depth", "Items waiting or being worked on", name, QueueStats::pending);
            gauge("guestbridge_queue_oldest_age_seconds", "Age of the oldest pending item", name, QueueStats::oldestAgeSeconds);
            gauge("guestbridge_queue_dead", "Items in the dead state", name, QueueStats::dead);
        }
    }

    private void gauge(String metric, String description, String queueName, ToLongFunction<QueueStats> value) {
        Metadata metadata = Metadata.builder().withName(metric).withDescription(description).build();
        registry.gauge(metadata, () -> {
            QueueStats stats = current().get(queueName);
            return stats == null ? 0L : value.applyAsLong(stats);
        }, new Tag("queue", queueName));
    }

    private Map<String, QueueStats> current() {
        long now = System.nanoTime();
        if (now - snapshotAt > MAX_AGE_NANOS) {
            List<QueueStats> stats = queue.stats();
            snapshot = stats.stream().collect(Collectors.toMap(QueueStats::queue, s -> s));
            snapshotAt = now;
        }
        return snapshot;
    }
}
