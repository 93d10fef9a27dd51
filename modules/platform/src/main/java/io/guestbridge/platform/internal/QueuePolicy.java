package io.guestbridge.platform.internal;

import org.eclipse.microprofile.config.Config;

import java.time.Duration;

/**
 * How one queue is worked: attempts before the dead state, backoff, lease, batch, workers, polling, and whether a
 * commit that published to it wakes its workers.
 * Read from MicroProfile Config as {@code queue.<name>.<setting>} (e.g. {@code QUEUE_CRM_HUBSPOT_MAX_ATTEMPTS}
 * in the environment), with defaults that suit short database work.
 */
public record QueuePolicy(int maxAttempts, Backoff backoff, Duration lease, int workers, Duration pollInterval,
                          boolean wakeOnCommit) {

    public static final QueuePolicy DEFAULT = new QueuePolicy(8, new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(15)),
            Duration.ofMinutes(2), 1, Duration.ofMillis(250), true);

    public QueuePolicy {
        if (maxAttempts < 1 || workers < 1 || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("queue policy needs maxAttempts >= 1, workers >= 1 and a positive lease");
        }
    }

    public static QueuePolicy from(Config config, String queue) {
        String prefix = "queue." + queue + ".";
        return new QueuePolicy(
                config.getOptionalValue(prefix + "max-attempts", Integer.class).orElse(DEFAULT.maxAttempts),
                new Backoff(
                        Duration.ofMillis(config.getOptionalValue(prefix + "backoff-base-ms", Long.class).orElse(DEFAULT.backoff.base().toMillis())),
                        Duration.ofMillis(config.getOptionalValue(prefix + "backoff-cap-ms", Long.class).orElse(DEFAULT.backoff.cap().toMillis()))),
                Duration.ofMillis(config.getOptionalValue(prefix + "lease-ms", Long.class).orElse(DEFAULT.lease.toMillis())),
                config.getOptionalValue(prefix + "workers", Integer.class).orElse(DEFAULT.workers),
                Duration.ofMillis(config.getOptionalValue(prefix + "poll-ms", Long.class).orElse(DEFAULT.pollInterval.toMillis())),
                config.getOptionalValue(prefix + "wake-on-commit", Boolean.class).orElse(DEFAULT.wakeOnCommit));
    }
}
