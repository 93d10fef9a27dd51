package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.audit.api.Actor;
import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.crmsync.internal.connectors.ConnectorSettings;
import io.guestbridge.crmsync.internal.connectors.CrmAnswer;
import io.guestbridge.crmsync.internal.connectors.CrmRecord;
import io.guestbridge.crmsync.internal.links.CrmLinks;
import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.WorkItem;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/** What a CRM request leaves behind: CRM ids linked to guests, audit records, trigger facts, completed work, the request log. */
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

    @Inject
    WorkQueue queue;

    /**
     * Everything one CRM request leaves behind, in one transaction: what the CRM stored is linked and audited, the facts
     * it was sent with are kept (for the connector's triggers), the work items whose contacts are all settled are
     * completed ({@code completed}), an item of which only some contacts were stored or refused is completed leaving the
     * others as a new item and the refused ones as dead letters ({@code rests}), and the request is logged. One commit a
     * request rather than one for the records, one for the log and one for the completions: at the CRM's pace each commit
     * is a round trip the connector's worker waits on before its next request. The other items are left to the caller's outcomes (retried, or dead with the CRM's reason).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRequest(ConnectorSettings connector, CrmRequest request, List<WorkItem> completed, Map<WorkItem, WorkQueue.Remainder> rests) {
        CrmAnswer answer = request.answer();
        Map<String, GuestId> newLinks = new LinkedHashMap<>();
        List<AuditEvent> synced = new ArrayList<>(request.stored().size());
        String actor = Actor.system("crmsync");
        for (CrmRecord r : request.stored()) {
            String email = r.email().toLowerCase(Locale.ROOT);
            String id = answer.succeeded().get(email);
            if (id != null && !id.isBlank()) {
                newLinks.put(id, r.guest());
            }
            synced.add(AuditEvent.of("crmsync", "CRM_CONTACT_SYNCED").by(actor).about(r.guest().subjectRef())
                    .with("connector", connector.name()).with("operation", answer.created().contains(email) ? "create" : "update")
                    .with("properties", String.join(",", r.properties().keySet())).build());
        }
        completed.forEach(queue::complete);
        rests.forEach(queue::completeLeaving);
        // one record per contact, as before, handed over in one call rather than one intercepted call each
        trail.recordAll(synced);
        links.linkAll(connector.name(), newLinks);
        Map<GuestId, SyncFacts> kept = new LinkedHashMap<>();
        request.stored().forEach(r -> kept.put(r.guest(), request.sent().getOrDefault(r.guest(), SyncFacts.NEVER_SYNCED)));
        facts.synced(connector.name(), kept);
        Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO crm_request_log (connector, at, records, succeeded, failed, created, "
                    + "status, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, connector.name());
                s.setObject(2, LocalDateTime.now(ZoneOffset.UTC));
                s.setInt(3, request.records());
                s.setInt(4, request.stored().size());
                s.setInt(5, request.failed());
                s.setInt(6, answer.created().size());
                s.setInt(7, answer.status());
                s.setInt(8, request.latencyMs());
                return s.executeUpdate();
            }
        });
    }

    /**
     * One request to a CRM and its answer: {@code records} sent, of which {@code stored} were stored and {@code failed}
     * refused or failed; {@code sent} the trigger facts each record was sent with.
     */
    public record CrmRequest(int records, List<CrmRecord> stored, int failed, CrmAnswer answer, Map<GuestId, SyncFacts> sent, int latencyMs) {
    }
}
