package io.guestbridge.onboarding.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.MailSender;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Looks for credentials due for delivery every {@code onboarding.delivery.interval-seconds} (default 60) on every
 * instance; the rows each run takes are locked and skipped by the others and marked queued in the same
 * transaction, so however many instances look, each credential is queued once. Without an SMTP relay nothing is
 * taken: the credentials wait, undelivered, until one is configured.
 */
@ApplicationScoped
public class DeliverySchedule {

    private static final Logger LOG = Logger.getLogger(DeliverySchedule.class.getName());

    /** Credentials one run queues at most; the next run takes the rest. */
    private static final int RUN_LIMIT = 200;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Deliveries deliveries;

    @Inject
    MailSender mail;

    @Inject
    Config config;

    private ScheduledFuture<?> ticking;

    void start(@Observes Database.Ready ready) {
        long seconds = config.getOptionalValue("onboarding.delivery.interval-seconds", Long.class).orElse(60L);
        if (!mail.enabled()) {
            LOG.info("onboarding: no SMTP relay is configured (privacy.mail.smtp-host); WiFi credentials are not delivered by mail");
        }
        ticking = scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (mail.enabled()) {
                    int queued = deliveries.queueDue(Instant.now(), RUN_LIMIT);
                    if (queued > 0) {
                        LOG.fine(() -> "onboarding: " + queued + " credential delivery(ies) queued");
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "onboarding: this delivery run failed, the next one tries again", e);
            }
        }, Math.min(seconds, 5), seconds, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (ticking != null) {
            ticking.cancel(false);
        }
    }
}
