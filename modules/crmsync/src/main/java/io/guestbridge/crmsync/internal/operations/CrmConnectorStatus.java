package io.guestbridge.crmsync.internal.operations;

import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.ConnectorTriggers;
import io.guestbridge.crmsync.internal.connectors.Connectors;
import io.guestbridge.crmsync.internal.connectors.SyncTrigger;
import io.guestbridge.crmsync.api.CrmDesk;
import io.guestbridge.crmsync.internal.delivery.CrmDelivery;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RateBudget;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Each connector's health from its request log: success and error rates over the last 15 minutes
 * (DEGRADED above 1 % failed records: a CRM integration that loses more than one record in a hundred needs a person), contacts created and updated today,
 * DISABLED with the reasons when its configuration is invalid, and how much of its request budget is used.
 */
@ApplicationScoped
public class CrmConnectorStatus {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final double DEGRADED_ABOVE = 0.01;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    Connectors connectors;

    /**
     * One connector's state; {@code triggers}: what syncs a guest to it (FIRST_LOGIN, RETURN_VISIT, STAY, CONSENT_CHANGE), a withdrawal
     * and an erasure reaching it whatever they are. The list members carry no schema annotation: the generator copies a member's
     * array type onto its items.
     */
    @Schema(name = "CrmConnectorStatus", requiredProperties = {"connector", "type", "state", "circuit", "problems", "records15m", "failed15m",
            "errorRate15m", "createdToday", "updatedToday", "p50RequestMs", "p95RequestMs", "budget", "triggers"})
    public record Status(String connector, String type,
                         @Schema(enumeration = {"UP", "DEGRADED", "DISABLED"}) String state,
                         @Schema(enumeration = {"CLOSED", "OPEN", "HALF_OPEN"}) String circuit, List<String> problems,
                         @Schema(type = SchemaType.INTEGER, format = "int64") long records15m, @Schema(type = SchemaType.INTEGER, format = "int64") long failed15m, double errorRate15m,
                         @Schema(type = SchemaType.INTEGER, format = "int64") long createdToday, @Schema(type = SchemaType.INTEGER, format = "int64") long updatedToday,
                         @Schema(type = SchemaType.INTEGER, format = "int64") long p50RequestMs, @Schema(type = SchemaType.INTEGER, format = "int64") long p95RequestMs,
                         CrmDesk.RequestBudget budget, List<String> triggers) {
    }

    @Inject
    CrmDelivery delivery;

    @Inject
    RateBudget budget;

    @Inject
    ConnectorTriggers triggers;

    public List<Status> all() {
        List<Status> all = new ArrayList<>();
        for (ConnectorSettings connector : connectors.all()) {
            all.add(status(connector));
        }
        return all;
    }

    Status status(ConnectorSettings connector) {
        String type = connector.type().name().toLowerCase(java.util.Locale.ROOT);
        if (!connector.enabled()) {
            return new Status(connector.name(), type, "DISABLED", "CLOSED", connector.problems(), 0, 0, 0, 0, 0, 0, 0, budget(connector),
                    triggers(connector.triggers()));
        }
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            long records = 0;
            long failed = 0;
            List<Long> latencies = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT records, failed, latency_ms FROM crm_request_log WHERE connector = ? AND at > ?")) {
                s.setString(1, connector.name());
                s.setObject(2, LocalDateTime.now(ZoneOffset.UTC).minus(WINDOW));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        records += rs.getLong(1);
                        failed += rs.getLong(2);
                        latencies.add(rs.getLong(3));
                    }
                }
            }
            long created = 0;
            long stored = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(SUM(created), 0), COALESCE(SUM(succeeded), 0) FROM crm_request_log "
                    + "WHERE connector = ? AND at >= ?")) {
                s.setString(1, connector.name());
                s.setObject(2, LocalDate.now(ZoneOffset.UTC).atStartOfDay());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    created = rs.getLong(1);
                    stored = rs.getLong(2);
                }
            }
            latencies.sort(Long::compare);
            double errorRate = records == 0 ? 0 : (double) failed / records;
            return new Status(connector.name(), type, errorRate > DEGRADED_ABOVE ? "DEGRADED" : "UP", delivery.circuit(connector).state().name(),
                    List.of(), records, failed, errorRate,
                    created, stored - created, percentile(latencies, 0.5), percentile(latencies, 0.95), budget(connector),
                    triggers(triggers.of(connector)));
        });
    }

    /** In declaration order, as the API shows them. */
    public static List<String> triggers(java.util.Set<SyncTrigger> triggers) {
        return java.util.Arrays.stream(SyncTrigger.values()).filter(triggers::contains).map(Enum::name).toList();
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    /** How much of the connector's request budget is used now, as the CRM page and the API show it. */
    private CrmDesk.RequestBudget budget(ConnectorSettings connector) {
        RateBudget.Use use = budget.use(connector.rate());
        return new CrmDesk.RequestBudget(connector.windowRequests(), connector.window().toMillis(), use.usedInWindow(), use.windowResetsAt(),
                connector.dailyLimit(), use.usedToday(), use.dayResetsAt(), use.nextRequestAt());
    }
}
