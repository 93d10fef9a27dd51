package io.guestbridge.audit.internal;

import io.guestbridge.tlog.NoteKey;
import io.guestbridge.platform.api.Database;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the sequencer on every instance; the lease makes exactly one of them number records at a time
 * (see {@link SequencerBatch}), and another takes over within about a lease and a quarter (and a wake) when the holder dies: an instance
 * that stands by steps only every quarter of the lease, since the holder's lease cannot lapse sooner, and each step
 * locks the chain head the holder works on (ten a second per standby at the wake interval).
 * A full batch means more records wait, so it steps again at once (a bounded number of times), otherwise
 * it sleeps for the interval. Each signed checkpoint is handed to the witness sinks after its commit. The leader
 * looks before it steps: while nothing waits to be numbered or signed, a look is one plain read, and a step comes
 * only every quarter of the lease, to keep it.
 */
@ApplicationScoped
public class AuditSequencer {

    private static final Logger LOG = Logger.getLogger(AuditSequencer.class.getName());
    private static final int STEPS_PER_WAKE = 50;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    SequencerBatch batch;

    @Inject
    AuditLogKey key;

    @Inject
    WitnessSinks witnesses;

    @Inject
    Config config;

    private final String instance = UUID.randomUUID().toString();
    private volatile ScheduledFuture<?> running;
    private volatile boolean leading;
    private volatile long lastFailureLogged = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
    /** When this instance last made a step (System.nanoTime()). */
    private volatile long lastStep = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

    void start(@Observes Database.Ready ready) {
        long intervalMs = config.getOptionalValue("audit.sequencer.interval-ms", Long.class).orElse(100L);
        SequencerBatch.Settings settings = new SequencerBatch.Settings(instance,
                Duration.ofMillis(config.getOptionalValue("audit.sequencer.lease-ms", Long.class).orElse(5000L)),
                config.getOptionalValue("audit.sequencer.batch", Integer.class).orElse(1000),
                signer(),
                Duration.ofMillis(config.getOptionalValue("audit.checkpoint.interval-ms", Long.class).orElse(1000L)));
        running = scheduler.scheduleWithFixedDelay(() -> wake(settings), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        LOG.info(() -> "audit sequencer started (instance " + instance + "); checkpoints "
                + (settings.key().isPresent() ? "signed by " + settings.key().get().name() : "not signed: no AUDIT_SIGNING_KEY_FILE"));
    }

    private Optional<NoteKey> signer() {
        try {
            return key.signer();
        } catch (RuntimeException e) {
            LOG.severe(() -> "audit checkpoints will not be signed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** One wake of the scheduled task; nothing it meets may end the task (a scheduled task that throws is never run again). */
    void wake(SequencerBatch.Settings settings) {
        try {
            Wake wake = wake(leading, System.nanoTime() - lastStep, settings.lease());
            if (wake == Wake.REST || wake == Wake.STEP_UNLESS_IDLE && batch.idle(settings.key().isPresent())) {
                return;
            }
            for (int step = 0; step < STEPS_PER_WAKE; step++) {
                SequencerBatch.Outcome outcome = batch.step(settings);
                lastStep = System.nanoTime();
                if (outcome.leader() != leading) {
                    leading = outcome.leader();
                    LOG.info(() -> "audit sequencer " + instance + (leading ? " now numbers the audit log" : " stands by: another instance holds the lease"));
                }
                outcome.checkpoint().ifPresent(witnesses::publish);
                if (outcome.numbered() < settings.batch()) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            // the step rolled back whole: nothing was numbered, the next wake tries again; a lasting failure is said every 10 s, not every wake.
            // An Error too: let through, it would end the scheduled task for good, silently, and with it this instance's numbering and its
            // lease's renewal, while its lease still names it
            long now = System.nanoTime();
            if (now - lastFailureLogged > TimeUnit.SECONDS.toNanos(10)) {
                lastFailureLogged = now;
                LOG.log(Level.WARNING, "audit sequencer step failed; retrying at the next interval", e);
            }
        }
    }

    /** What a wake of the sequencer does. */
    enum Wake {
        /** Nothing: another instance held the lease at this one's last step, and a lease lapses no sooner than a lease after its last renewal. */
        REST,
        /** A step only if a plain read finds something to number or sign: this instance leads and stepped lately (the lease is renewed at half). */
        STEP_UNLESS_IDLE,
        /** A step: the last one was a quarter lease ago or more. */
        STEP
    }

    static Wake wake(boolean leading, long nanosSinceStep, Duration lease) {
        if (nanosSinceStep >= lease.toNanos() / 4) {
            return Wake.STEP;
        }
        return leading ? Wake.STEP_UNLESS_IDLE : Wake.REST;
    }

    @PreDestroy
    void stop() {
        ScheduledFuture<?> future = running;
        if (future != null) {
            future.cancel(false);
        }
    }
}
