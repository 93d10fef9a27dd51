package io.guestbridge.crmsync.internal.connectors;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The triggers in force for each connector: those an operator set through the API (crm_connector_triggers, the same
 * on every instance, read afresh for each batch), else the configured ones ({@link ConnectorSettings#triggers()}).
 */
@ApplicationScoped
public class ConnectorTriggers {

    private static final Logger LOG = Logger.getLogger(ConnectorTriggers.class.getName());

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    AuditTrail trail;

    /** The connector's triggers now. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Set<SyncTrigger> of(ConnectorSettings connector) {
        String set = Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT triggers FROM crm_connector_triggers WHERE connector = ?")) {
                s.setString(1, connector.name());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (set == null) {
            return connector.triggers();
        }
        try {
            return SyncTrigger.parse(List.of(set.split(",")));
        } catch (IllegalArgumentException e) {
            // written by a version that knew other triggers: every trigger is the choice that loses no sync
            LOG.warning("CRM connector '" + connector.name() + "' has stored triggers this version does not know (" + e.getMessage()
                    + "); syncing on every trigger until they are set again");
            return SyncTrigger.ALL;
        }
    }

    /** Replaces the connector's triggers on every instance, audited (CRM_CONNECTOR_TRIGGERS_CHANGED). */
    @Transactional
    public Set<SyncTrigger> set(ConnectorSettings connector, Set<SyncTrigger> triggers, String actor) {
        Set<SyncTrigger> before = of(connector);
        Jdbc.update(dataSource, "crmsync", "INSERT INTO crm_connector_triggers (connector, triggers, changed_at) VALUES (?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE triggers = VALUES(triggers), changed_at = VALUES(changed_at)",
                connector.name(), SyncTrigger.joined(triggers), LocalDateTime.now(ZoneOffset.UTC));
        trail.record(AuditEvent.of("crmsync", "CRM_CONNECTOR_TRIGGERS_CHANGED").by(actor).about("connector:" + connector.name())
                .with("before", SyncTrigger.joined(before)).with("triggers", SyncTrigger.joined(triggers)).build());
        return triggers;
    }
}
