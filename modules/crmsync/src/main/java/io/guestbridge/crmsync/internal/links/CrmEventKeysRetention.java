package io.guestbridge.crmsync.internal.links;

import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.RetentionPurge;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;

/**
 * The ids of CRM change events already applied are kept only as long as a CRM may redeliver one: HubSpot retries a
 * webhook for up to three days, Mailchimp for a few hours, so 30 days leaves ample margin.
 */
@ApplicationScoped
public class CrmEventKeysRetention implements RetentionPurge {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Override
    public String category() {
        return "crm-dedup-keys";
    }

    @Override
    public String description() {
        return "ids of CRM change events already applied (redelivery detection)";
    }

    @Override
    public Duration defaultRetention() {
        return Duration.ofDays(30);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public int purge(Instant cutoff, int limit) {
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM crm_event_seen WHERE seen_at < ? LIMIT ?")) {
                s.setObject(1, Jdbc.utc(cutoff));
                s.setInt(2, limit);
                return s.executeUpdate();
            }
        });
    }
}
