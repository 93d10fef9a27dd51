package io.guestbridge.crmsync.internal.sponsors;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.Singletons;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Agreements that simply run out: every {@code crm.sponsor.expiry-interval-seconds} (default 300) the current shares of
 * each sponsor whose agreement has ended are recorded as stopped, each audited about its guest ("agreement expired"),
 * without waiting for an export attempt that may never come. Nothing is shared after the end either way (an export
 * compares the agreement with its own moment); this makes the record say so on time. Each sponsor is stopped in its own
 * transaction with its row locked, so several instances never stop or audit a share twice; the rounds run on one instance
 * at a time (a {@link Singletons} lease).
 */
@ApplicationScoped
public class SponsorAgreementExpiry {

    private static final Logger LOG = Logger.getLogger(SponsorAgreementExpiry.class.getName());
    /** Sponsors handled per round; the next round takes the rest. */
    static final int ROUND_LIMIT = 100;
    /** The lease that keeps the rounds to one instance at a time. */
    static final String SINGLETON = "crm-sponsor-expiry";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    AuditTrail trail;

    @Inject
    Config config;

    @Inject
    SponsorAgreementExpiry self;

    @Inject
    Singletons singletons;

    private final SponsorShares shares = new SponsorShares();
    private ScheduledFuture<?> ticking;

    void start(@Observes Database.Ready ready) {
        long seconds = Math.max(1, config.getOptionalValue("crm.sponsor.expiry-interval-seconds", Long.class).orElse(300L));
        ticking = scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (!singletons.lead(SINGLETON)) {
                    return; // another instance runs the expiry rounds
                }
                Instant now = Instant.now();
                for (String sponsor : self.expired(now)) {
                    self.stop(sponsor, now);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "sponsor agreements: this expiry round failed, the next one tries again", e);
            }
        }, Math.min(seconds, 5), seconds, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (ticking != null) {
            ticking.cancel(false);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> expired(Instant now) {
        return Jdbc.inConnection(dataSource, "crmsync", c -> shares.expiredWithShares(c, now, ROUND_LIMIT));
    }

    /** Stops one expired sponsor's shares, audited per guest in the same transaction; returns how many stopped. */
    @Transactional
    public int stop(String sponsor, Instant now) {
        List<String> stopped = Jdbc.inConnection(dataSource, "crmsync", c -> shares.stopIfExpired(c, sponsor, now));
        for (String guest : stopped) {
            trail.record(AuditEvent.of("crmsync", "SPONSOR_SHARING_STOPPED").by("system:crmsync").about("guest:" + guest).with("sponsor", sponsor)
                    .with("reason", SponsorShares.StopReason.AGREEMENT_NOT_IN_FORCE.name()).with("because", "agreement expired").build());
        }
        if (!stopped.isEmpty()) {
            trail.record(AuditEvent.of("crmsync", "SPONSOR_AGREEMENT_EXPIRED").by("system:crmsync").about("sponsor:" + sponsor)
                    .with("stopped", stopped.size()).build());
        }
        return stopped.size();
    }
}
