package io.guestbridge.ingestion.internal.processing;

import io.guestbridge.ingestion.internal.inbox.BodyRetention;
import io.guestbridge.ingestion.internal.inbox.InboxBodies;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.KeyVault;
import io.guestbridge.platform.api.Singletons;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The inbox's housekeeping, on its own schedule ({@code ingestion.housekeeping.interval-seconds}, default 60) so it
 * runs on an idle system too: expired duplicate keys are forgotten, rows left RECEIVED without a work item (a crash
 * between commit and queueing) are queued again, and raw bodies past their retention are emptied. When it ran only
 * after processing a batch, a venue that stopped sending kept its guests' raw bodies and duplicate keys past their
 * retention until the next event arrived. One instance of a deployment runs it at a time (a {@link Singletons} lease;
 * another takes over when it dies), and each step is bounded and safe to run twice all the same.
 */
@ApplicationScoped
public class InboxHousekeeping {

    private static final Logger LOG = Logger.getLogger(InboxHousekeeping.class.getName());

    /** Duplicate keys one round forgets at most; the next round takes the rest. */
    private static final int KEY_ROUNDS = 20;
    /** The lease that keeps the rounds to one instance at a time. */
    static final String SINGLETON = "inbox-housekeeping";

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    EventProcessing processing;

    @Inject
    KeyVault vault;

    @Inject
    Singletons singletons;

    /** Days a processed event's raw body is kept (the row stays, without it); see {@link BodyRetention}. */
    @Inject
    @ConfigProperty(name = "ingestion.inbox.body-retention-days", defaultValue = "30")
    int bodyRetentionDays;

    @Inject
    @ConfigProperty(name = "ingestion.housekeeping.interval-seconds", defaultValue = "60")
    long intervalSeconds;

    /** Where the walk over processed rows goes on (ids grow with the receipt time); see {@link BodyRetention}. */
    private volatile long bodyMark;

    private ScheduledFuture<?> ticking;

    void start(@Observes Database.Ready ready) {
        long seconds = Math.max(1, intervalSeconds);
        ticking = scheduler.scheduleWithFixedDelay(() -> {
            if (singletons.lead(SINGLETON)) {
                round();
            }
        }, Math.min(seconds, 30), seconds, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (ticking != null) {
            ticking.cancel(false);
        }
    }

    void round() {
        try {
            for (int i = 0; i < KEY_ROUNDS && processing.purgeExpiredKeys() > 0; i++) {
                // a bounded DELETE per transaction, until none is left or the round's share is used
            }
            processing.requeueStrays(Duration.ofMinutes(15));
            purgeOldBodies();
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "housekeeping (expired duplicate keys, stray rows, old raw bodies) failed, the next round tries again: "
                    + e.getClass().getName());
        }
    }

    /**
     * Raw bodies past their retention, chunk by chunk, for at most two seconds per round; once the walk has caught
     * up, the keys of days whose bodies are all past the retention are destroyed (after the bodies still needed moved
     * to today's key). Bodies an earlier version stored in clear are sealed.
     */
    private void purgeOldBodies() {
        int days = Math.max(1, bodyRetentionDays);
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        BodyRetention.Pass pass;
        do {
            pass = processing.purgeOldBodies(bodyMark, cutoff, days);
            bodyMark = pass.mark();
        } while (!pass.caughtUp() && System.nanoTime() < until);
        while (System.nanoTime() < until && processing.sealClearBodies(cutoff) > 0) {
            // a chunk per transaction, until none is left or the round's time is up
        }
        if (pass.caughtUp()) {
            for (LocalDate day : BodyRetention.expiredDays(vault.ids(InboxBodies.DAY_KIND), cutoff)) {
                processing.resealBeforeDayKeyEnds(day);
                vault.destroy(InboxBodies.DAY_KIND, day.toString());
                LOG.info("inbox: the key of the raw bodies received on " + day + " was destroyed (end of their " + days + "-day retention)");
            }
        }
    }
}
