package io.guestbridge.privacy.internal.retention;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.identity.api.GuestDirectory;
import io.guestbridge.identity.api.GuestField;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.identity.api.NormalizedEmail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RetentionPurge;
import io.guestbridge.platform.api.Singletons;
import io.guestbridge.platform.api.TransientDatabaseException;
import io.guestbridge.privacy.internal.lifecycle.PrivacyRequests;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.RequestType;
import io.guestbridge.privacy.internal.suppression.SuppressionList;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Retention that runs by itself, on its own schedule ({@code retention.interval-seconds}, default 3600), so it runs
 * on an idle system too. Each category has a policy ({@code retention.<category>.days}, the defaults documented
 * with each {@link RetentionPurge}): every module purges its own data in bounded batches
 * ({@code retention.batch-size}, default 500), and inactive guest profiles
 * ({@code retention.inactive-profiles.days}, default 730: no visit, stay or login for 24 months) are erased through
 * the privacy orchestrator as system-initiated erasure requests ({@code retention.inactive-profiles.batch-size},
 * default 50 per run), with the same steps and evidence as a subject's own request. A category is claimed per run
 * with a guarded UPDATE of its due time, so of several instances one runs it (and the scheduled rounds run on one
 * instance at a time, by a {@link Singletons} lease); a full batch makes the category due
 * again at once. A run that removed something is audited with its counts; the last run of each category is kept
 * for {@code GET /api/v1/privacy/retention}.
 */
@ApplicationScoped
public class RetentionRunner {

    static final String INACTIVE_PROFILES = "inactive-profiles";
    static final Duration INACTIVE_PROFILES_DEFAULT = Duration.ofDays(730);
    static final String ACTOR = "system:retention";
    /** The lease that keeps the scheduled rounds to one instance at a time. */
    static final String SINGLETON = "retention";

    /** Batches one round runs back to back in a category that has a backlog, before the next round. */
    private static final int MAX_BATCHES_PER_ROUND = 20;

    private static final Logger LOG = Logger.getLogger(RetentionRunner.class.getName());

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @Any
    Instance<RetentionPurge> purges;

    @Inject
    GuestDirectory guests;

    @Inject
    PrivacyRequests requests;

    @Inject
    SuppressionList suppression;

    @Inject
    RequestRecords records;

    @Inject
    AuditTrail trail;

    @Inject
    Config config;

    @Inject
    RetentionRunner self;

    @Inject
    Singletons singletons;

    private ScheduledFuture<?> ticking;

    /** A category's policy: how long its data is kept, and whether configuration or the default says so. */
    @Schema(name = "RetentionPolicy",
            requiredProperties = {"category", "description", "retentionDays", "configured"})
    public record Policy(String category, String description, long retentionDays, boolean configured) {
    }

    /** The last run of a category. */
    @Schema(name = "RetentionRun", requiredProperties = {"category", "dueAt"})
    public record Run(String category, Instant lastRunAt, Instant lastCutoff, Integer lastCount, Instant dueAt) {
    }

    void start(@Observes Database.Ready ready) {
        long seconds = intervalSeconds();
        ticking = scheduler.scheduleWithFixedDelay(() -> {
            try {
                // one instance of a deployment runs the rounds (another takes over when it dies); each category's claim is guarded anyway
                if (singletons.lead(SINGLETON)) {
                    round();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "retention: this round failed, the next one tries again", e);
            }
        }, Math.min(seconds, 30), seconds, TimeUnit.SECONDS);
    }

    /** Seconds between two rounds (retention.interval-seconds, default 3600). */
    public long intervalSeconds() {
        return Math.max(1, config.getOptionalValue("retention.interval-seconds", Long.class).orElse(3600L));
    }

    @PreDestroy
    void stop() {
        if (ticking != null) {
            ticking.cancel(false);
        }
    }

    /** Every category once (more while a backlog fills whole batches), each batch in its own transaction. */
    public void round() {
        for (Policy policy : policies()) {
            for (int batch = 0; batch < MAX_BATCHES_PER_ROUND; batch++) {
                try {
                    if (!self.runOnce(policy.category())) {
                        break;
                    }
                } catch (RuntimeException e) {
                    if (TransientDatabaseException.isTransient(e)) {
                        // with several instances, two that start together both try to claim the category's row: the loser's
                        // transaction is rolled back whole (a deadlock or lock wait), and the winner runs the batch
                        LOG.info(() -> "retention of " + policy.category() + " met another instance's claim and was rolled back; "
                                + "it is tried again next round");
                    } else {
                        LOG.log(Level.WARNING, "retention of " + policy.category() + " failed; it is tried again next round", e);
                    }
                    break;
                }
            }
        }
    }

    /** The policies, the inactive profiles first, then the modules' categories by name. */
    public List<Policy> policies() {
        List<Policy> all = new ArrayList<>();
        all.add(policy(INACTIVE_PROFILES, "guest profiles with no visit, stay or login for this long: erased through a "
                + "system-initiated erasure request", INACTIVE_PROFILES_DEFAULT));
        List<Policy> modules = new ArrayList<>();
        for (RetentionPurge purge : purges) {
            modules.add(policy(purge.category(), purge.description(), purge.defaultRetention()));
        }
        modules.sort(Comparator.comparing(Policy::category));
        all.addAll(modules);
        return all;
    }

    private Policy policy(String category, String description, Duration fallback) {
        Optional<Long> days = config.getOptionalValue("retention." + category + ".days", Long.class);
        return new Policy(category, description, Math.max(0, days.orElse(fallback.toDays())), days.isPresent());
    }

    /** The last run of each category that ran. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Run> runs() {
        return Jdbc.inConnection(dataSource, "privacy", c -> {
            List<Run> runs = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT category, last_run_at, last_cutoff, last_count, due_at FROM prv_retention_run "
                    + "ORDER BY category")) {
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        runs.add(new Run(rs.getString(1), Jdbc.instant(rs, 2), Jdbc.instant(rs, 3), rs.getObject(4) == null ? null : rs.getInt(4), Jdbc.instant(rs, 5)));
                    }
                }
            }
            return runs;
        });
    }

    /**
     * One batch of one category, if it is due and this instance claims it. Returns whether the batch was full (a
     * backlog remains: the category stays due).
     */
    @Transactional
    public boolean runOnce(String category) {
        Policy policy = policies().stream().filter(p -> p.category().equals(category)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no retention category " + category));
        Instant now = Instant.now();
        Duration interval = Duration.ofSeconds(intervalSeconds());
        if (!Jdbc.inConnection(dataSource, "privacy", c -> claim(c, category, now, interval))) {
            return false;
        }
        Instant cutoff = now.minus(Duration.ofDays(policy.retentionDays()));
        int limit;
        int count;
        if (category.equals(INACTIVE_PROFILES)) {
            limit = Math.max(1, config.getOptionalValue("retention.inactive-profiles.batch-size", Integer.class).orElse(50));
            count = eraseInactive(cutoff, limit);
        } else {
            limit = Math.max(1, config.getOptionalValue("retention.batch-size", Integer.class).orElse(500));
            RetentionPurge purge = null;
            for (RetentionPurge candidate : purges) {
                if (candidate.category().equals(category)) {
                    purge = candidate;
                }
            }
            count = purge == null ? 0 : purge.purge(cutoff, limit);
        }
        boolean full = count >= limit;
        Jdbc.inConnection(dataSource, "privacy", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_retention_run SET last_run_at = ?, last_cutoff = ?, last_count = ?"
                    + (full ? ", due_at = ?" : "") + " WHERE category = ?")) {
                s.setObject(1, Jdbc.utc(now));
                s.setObject(2, Jdbc.utc(cutoff));
                s.setInt(3, count);
                int next = 4;
                if (full) {
                    s.setObject(next++, Jdbc.utc(now));
                }
                s.setString(next, category);
                s.executeUpdate();
            }
            return null;
        });
        if (count > 0) {
            trail.record(AuditEvent.of("privacy", category.equals(INACTIVE_PROFILES) ? "RETENTION_ERASURES_STARTED" : "RETENTION_PURGED")
                    .by(ACTOR).with("category", category).with("count", count).with("cutoff", cutoff)
                    .with("retentionDays", policy.retentionDays()).with("batchFull", full).build());
        }
        return full;
    }

    /** Whether this instance claimed the category's run: it was due, and the due time moved on under this transaction. */
    private static boolean claim(Connection c, String category, Instant now, Duration interval) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO prv_retention_run (category, due_at) VALUES (?, ?)")) {
            s.setString(1, category);
            s.setObject(2, Jdbc.utc(now));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE prv_retention_run SET due_at = ? WHERE category = ? AND due_at <= ?")) {
            s.setObject(1, Jdbc.utc(now.plus(interval)));
            s.setString(2, category);
            s.setObject(3, Jdbc.utc(now));
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Starts an erasure request for each inactive guest that has none running; returns how many were started. The
     * request runs every step of the data map like a subject's own (the evidence says the retention policy asked).
     */
    private int eraseInactive(Instant cutoff, int limit) {
        int started = 0;
        for (GuestId guest : guests.inactiveSince(cutoff, limit)) {
            Optional<NormalizedEmail> email = guests.profile(guest).map(p -> p.fields().get(GuestField.EMAIL))
                    .map(value -> NormalizedEmail.parse(value.value()));
            if (email.isEmpty() || erasureRunning(email.get())) {
                continue;
            }
            requests.receive(RequestType.ERASURE, email.get(), null, PrivacyRequest.RETENTION,
                    "retention policy: no visit, stay or login since " + cutoff, ACTOR);
            started++;
        }
        return started;
    }

    /** An erasure of the subject that has not ended (one still waiting for its code does not count: it may never be verified). */
    private boolean erasureRunning(NormalizedEmail email) {
        return !records.query("r.subjectHash = ?1 AND r.type = ?2 AND r.state IN ?3", 1, suppression.hash(email), RequestType.ERASURE,
                EnumSet.of(RequestState.RECEIVED, RequestState.VERIFIED, RequestState.AWAITING_APPROVAL, RequestState.IN_PROGRESS,
                        RequestState.REQUIRES_INPUT)).isEmpty();
    }
}
