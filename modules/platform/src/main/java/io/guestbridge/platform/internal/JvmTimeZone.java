package io.guestbridge.platform.internal;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Readiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Keeps the instance out of service while its JVM runs in a time zone with daylight-saving changes. Every time in the
 * database is UTC, but the JPA provider (EclipseLink) and the JDBC driver pass DATETIME values through
 * {@link java.sql.Timestamp}, which is built in the JVM's default zone: a UTC time that falls in the hour the local
 * clocks skip in spring does not exist there and is stored, or read back, an hour later. With a fixed offset (UTC, as
 * the launcher starts the server) nothing moves.
 */
@ApplicationScoped
public class JvmTimeZone {

    private static final Logger LOG = Logger.getLogger(JvmTimeZone.class.getName());

    @Inject
    Readiness readiness;

    void check(@Observes Database.Ready ready) {
        Readiness.Part part = readiness.part("jvm-time-zone");
        Optional<String> problem = problem(ZoneId.systemDefault());
        if (problem.isPresent()) {
            LOG.severe(problem.get());
            part.down(problem.get());
        } else {
            part.up();
        }
    }

    /**
     * Why a JVM in {@code zone} would store some times wrongly, or nothing when its clocks skipped no time since 1970 (the
     * earliest time stored) and skip none in its known rules: a fixed offset, or a zone whose changes all lie before.
     */
    static Optional<String> problem(ZoneId zone) {
        ZoneRules rules = zone.getRules();
        for (ZoneOffsetTransition t = rules.nextTransition(Instant.EPOCH); t != null; t = rules.nextTransition(t.getInstant())) {
            if (t.isGap()) {
                return Optional.of("the JVM's default time zone is " + zone.getId() + ", whose clocks skip an hour: times that fall in that "
                        + "hour would be stored an hour off. Start the server's JVM with -Duser.timezone=UTC (the launcher does)");
            }
            if (t.getInstant().isAfter(Instant.now().plus(Duration.ofDays(366)))) {
                break; // a zone with daylight saving repeats its yearly rule for ever: a year ahead shows every kind of change
            }
        }
        return Optional.empty();
    }
}
