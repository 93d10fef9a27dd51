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
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Looks for credentials due for delivery every {@code onboarding.delivery.interval-seconds} (default 60) on every
 * instance; the rows each run takes are locked and skipped by the others and marked queued in the same
 * transaction, so however many instances look, each credential is queued once, for every channel (mail, SMS).
 * Without an SMTP relay or an SMS gateway nothing is taken: the credentials wait, undelivered, until one is configured.
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
    SmsGateway sms;

    @Inject
    Config config;

    @Inject
    DeliveryBacklog backlog;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private ScheduledFuture<?> ticking;

    void start(@Observes Database.Ready ready) {
        registry.gauge(Metadata.builder().withName("guestbridge_wifi_delivery_drain_seconds")
                .withDescription("Seconds until the credential texts waiting now are sent at the SMS gateway's rate").build(),
                () -> backlog.channels().stream().filter(c -> c.expectedDrainSeconds() != null).mapToLong(DeliveryBacklog.Channel::expectedDrainSeconds)
                        .sum(), new Tag("channel", SmsGateway.CHANNEL));
        long seconds = config.getOptionalValue("onboarding.delivery.interval-seconds", Long.class).orElse(60L);
        if (!mail.enabled() && !sms.enabled()) {
            LOG.info("onboarding: neither an SMTP relay (privacy.mail.smtp-host) nor an SMS gateway (onboarding.sms.url) is configured; "
                    + "WiFi credentials are not delivered");
        }
        ticking = scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (mail.enabled() || sms.enabled()) {
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
