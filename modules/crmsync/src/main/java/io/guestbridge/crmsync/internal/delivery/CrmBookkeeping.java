package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.crmsync.internal.links.CrmLinks;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/** What a delivery leaves behind: CRM ids linked to guests, audit records, the request log. */
// JDBC: one CRM call's outcome (links, facts, request log) is a few statements for the whole batch; bench/crmsync measures this per contact
@ApplicationScoped
public class CrmBookkeeping {

    @Inject
    CrmLinks links;

    @Inject
    AuditTrail trail;

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    SyncFactsStore facts;

    /**
     * Links and audits what the CRM stored, and keeps the facts it was sent with (for the connector's triggers), in one
     * transaction.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordStored(ConnectorSettings connector, List<CrmRecord> stored, CrmAnswer answer, java.util.Map<io.guestbridge.identity.api.GuestId, SyncFacts> sent) {
        java.util.Map<String, io.guestbridge.identity.api.GuestId> newLinks = new java.util.LinkedHashMap<>();
        List<AuditEvent> synced = new java.util.ArrayList<>(stored.size());
        String actor = Actor.system("crmsync");
        for (CrmRecord r : stored) {
            String email = r.email().toLowerCase(Locale.ROOT);
            String id = answer.succeeded().get(email);
            if (id != null && !id.isBlank()) {
                newLinks.put(id, r.guest());
            }
            synced.add(AuditEvent.of("crmsync", "CRM_CONTACT_SYNCED").by(actor).about(r.guest().subjectRef())
                    .with("connector", connector.name()).with("operation", answer.created().contains(email) ? "create" : "update")
                    .with("properties", String.join(",", r.properties().keySet())).build());
        }
        // one record per contact, as before, handed over in one call rather than one intercepted call each
        trail.recordAll(synced);
        links.linkAll(connector.name(), newLinks);
        java.util.Map<io.guestbridge.identity.api.GuestId, SyncFacts> kept = new java.util.LinkedHashMap<>();
        stored.forEach(r -> kept.put(r.guest(), sent.getOrDefault(r.guest(), SyncFacts.NEVER_SYNCED)));
        facts.synced(connector.name(), kept);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void log(ConnectorSettings connector, int records, int succeeded, int failed, int created, int status, int latencyMs) {
        Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO crm_request_log (connector, at, records, succeeded, failed, created, "
                    + "status, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, connector.name());
                s.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
                s.setInt(3, records);
                s.setInt(4, succeeded);
                s.setInt(5, failed);
                s.setInt(6, created);
                s.setInt(7, status);
                s.setInt(8, latencyMs);
                return s.executeUpdate();
            }
        });
    }
}
