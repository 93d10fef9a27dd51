package io.guestbridge.privacy.internal.lifecycle;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.Singletons;
import io.guestbridge.privacy.internal.notices.Notices;
import io.guestbridge.privacy.internal.requests.PrivacyRequest;
import io.guestbridge.privacy.internal.requests.RequestRecords;
import io.guestbridge.privacy.internal.requests.RequestState;
import io.guestbridge.privacy.internal.requests.StepState;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The statutory clock, checked every {@code privacy.clock.interval-seconds} (default 60): requests never
 * verified expire; the DPO is mailed once when a request is due within 7 days (again after an extension),
 * when a step keeps failing ({@code privacy.escalation.step-attempts}, default 3) and when an operator task
 * passes its deadline, and an ended request whose outcome mail never got through drops the subject's address
 * after a week (expired exports are purged by retention, {@code exports.ExpiredExportRetention}). Every escalation is claimed with a guarded
 * UPDATE, so several instances never mail twice, and the clock runs on one instance at a time (a {@link Singletons} lease). Open and overdue counts are gauges in /metrics.
 */
@ApplicationScoped
public class PrivacyClock {

    private static final Logger LOG = Logger.getLogger(PrivacyClock.class.getName());
    /** The lease that keeps the clock (and so its mails) to one instance at a time. */
    static final String SINGLETON = "privacy-clock";

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Inject
    RequestRecords records;

    @Inject
    Notices notices;

    @Inject
    Config config;

    @Inject
    PrivacyClock self;

    @Inject
    Singletons singletons;

    private volatile long open;
    private volatile long overdue;
    private ScheduledFuture<?> ticking;

    void start(@Observes Database.Ready ready) {
        registry.gauge(Metadata.builder().withName("guestbridge_privacy_requests_open").withDescription("Data-subject requests not yet ended").build(),
                () -> open);
        registry.gauge(Metadata.builder().withName("guestbridge_privacy_requests_overdue")
                .withDescription("Open data-subject requests past their due date (Art. 12(3))").build(), () -> overdue);
        long seconds = config.getOptionalValue("privacy.clock.interval-seconds", Long.class).orElse(60L);
        ticking = scheduler.scheduleWithFixedDelay(() -> {
            try {
                // one instance of a deployment runs the clock (another takes over when it dies); its claims are guarded anyway
                if (singletons.lead(SINGLETON)) {
                    self.tick();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "privacy clock: this round failed, the next one tries again", e);
            }
        }, Math.min(seconds, 5), seconds, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (ticking != null) {
            ticking.cancel(false);
        }
    }

    @Transactional
    public void tick() {
        Jdbc.inConnection(dataSource, "privacy", c -> {
            Instant now = Instant.now();
            expireUnverified(c, now);
            escalateDueSoon(c, now);
            escalateSteps(c, StepState.PENDING, "attempts >= " + config.getOptionalValue("privacy.escalation.step-attempts", Integer.class).orElse(3),
                    Notices.Kind.DPO_STEP_FAILING, now);
            escalateSteps(c, StepState.AWAITING_OPERATOR, "task_due_at < ?", Notices.Kind.DPO_TASK_OVERDUE, now);
            // an ended request whose last notice never got through keeps the address no longer than a week
            records.forgetEndedBefore(now.minus(7, ChronoUnit.DAYS));
            RequestRecords.OpenCounts counts = records.openCounts(now, now);
            open = counts.open();
            overdue = counts.overdue();
            return null;
        });
    }

    private void expireUnverified(Connection c, Instant now) throws SQLException {
        Duration window = notices.verificationWindow();
        for (PrivacyRequest request : records.query("r.state = ?1 AND ((r.codeExpiresAt IS NOT NULL AND r.codeExpiresAt < ?2) OR r.receivedAt < ?3)",
                200, RequestState.IDENTITY_UNVERIFIED, now, now.minus(window).minus(Duration.ofHours(1)))) {
            PrivacyRequest locked = records.load(request.id(), true).orElseThrow();
            if (locked.state() == RequestState.IDENTITY_UNVERIFIED) {
                records.move(locked, RequestState.EXPIRED, "identity not verified within " + window.toMinutes() + " minutes", "system:privacy");
                notices.forget(request.id());
            }
        }
    }

    private void escalateDueSoon(Connection c, Instant now) throws SQLException {
        for (PrivacyRequest request : records.query("r.state IN ?1 AND r.dueAt < ?2 AND (r.escalatedDueAt IS NULL OR r.escalatedDueAt <> r.dueAt)", 200,
                RequestState.RUNNING, now.plus(7, ChronoUnit.DAYS))) {
            // a compare-and-set, not a change of the object: another instance's clock may escalate the same request at once
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_request SET escalated_due_at = due_at WHERE id = ? "
                    + "AND (escalated_due_at IS NULL OR escalated_due_at <> due_at)")) {
                s.setString(1, request.id());
                if (s.executeUpdate() == 1) {
                    records.event(c, request.id(), request.state().name(), "escalated to the DPO: due within 7 days");
                    notices.send(c, request.id(), Notices.Kind.DPO_DUE_SOON);
                }
            }
        }
    }

    private void escalateSteps(Connection c, StepState state, String condition, Notices.Kind kind, Instant now) throws SQLException {
        record Due(String request, String system) {
        }
        List<Due> due = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT request_id, system FROM prv_step WHERE state = ? AND escalated_at IS NULL AND "
                + condition + " LIMIT 200")) {
            s.setString(1, state.name());
            if (condition.contains("?")) {
                s.setObject(2, Jdbc.utc(now));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(rs.getString(1), rs.getString(2)));
                }
            }
        }
        for (Due step : due) {
            // a compare-and-set on a column the step does not map, not a change of the step: another instance's clock may race it
            try (PreparedStatement s = c.prepareStatement("UPDATE prv_step SET escalated_at = ? WHERE request_id = ? AND system = ? AND escalated_at IS NULL")) {
                s.setObject(1, Jdbc.utc(now));
                s.setString(2, step.request());
                s.setString(3, step.system());
                if (s.executeUpdate() == 1) {
                    records.event(c, step.request(), records.load(step.request(), false).orElseThrow().state().name(),
                            "escalated to the DPO: " + kind.name().toLowerCase().replace('_', ' ') + " at " + step.system());
                    notices.send(c, step.request(), kind, step.system());
                }
            }
        }
    }
}
