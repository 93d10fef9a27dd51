package io.guestbridge.ingestion.internal.imports;

import io.guestbridge.audit.api.AuditEvent;
import io.guestbridge.audit.api.AuditTrail;
import io.guestbridge.ingestion.internal.inbox.InboxBodies;
import io.guestbridge.ingestion.internal.inbox.InboxRowsReceived;
import io.guestbridge.ingestion.internal.inbox.WebhookBody;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import io.guestbridge.platform.api.WorkQueue;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Stores the accepted rows of an import, a batch per transaction: rows already imported from the
 * source (same content) are reported as duplicates and not stored again; the rest go into the inbox
 * with their work item and an audit record of the batch, all committed together.
 */
@ApplicationScoped
public class ImportBatches {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    @Inject
    WorkQueue queue;

    @Inject
    AuditTrail trail;

    @Inject
    InboxBodies bodies;

    /** One row ready to store: its line and its event as canonical JSON, keyed by content. */
    record Pending(long line, String json, String deliveryId) {
    }

    /**
     * Which of these delivery ids the source's inbox rows already have, by the index on the source and delivery id; the ids
     * are counted in that index while planning ({@link Jdbc#withIndexDives}): statistics that lag a growing inbox can make
     * MariaDB prefer reading all of the source's rows.
     */
    static Set<String> alreadyStored(Connection c, String sourceId, List<String> deliveryIds) throws SQLException {
        String marks = String.join(",", java.util.Collections.nCopies(deliveryIds.size(), "?"));
        try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT delivery_id FROM ing_inbox WHERE source_id = ? AND delivery_id IN (" + marks + ")"))) {
            s.setString(1, sourceId);
            for (int i = 0; i < deliveryIds.size(); i++) {
                s.setString(i + 2, deliveryIds.get(i));
            }
            Set<String> found = new HashSet<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        }
    }

    /** Inbox id per stored line; lines absent from the map were duplicates. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Map<Long, Long> store(String sourceId, String importId, String actor, List<Pending> batch) {
        Set<String> existing = Jdbc.inConnection(dataSource, "ingestion", c -> alreadyStored(c, sourceId, batch.stream().map(Pending::deliveryId).toList()));
        List<Pending> fresh = batch.stream().filter(p -> !existing.contains(p.deliveryId())).toList();
        Map<Long, Long> stored = new HashMap<>();
        if (fresh.isEmpty()) {
            return stored;
        }
        List<Long> ids = Jdbc.inConnection(dataSource, "ingestion", c -> {
            StringBuilder sql = new StringBuilder("INSERT INTO ing_inbox (source_id, received_at, content_type, body, body_key, body_sha256, "
                    + "delivery_id) VALUES ");
            for (int i = 0; i < fresh.size(); i++) {
                sql.append(i == 0 ? "(?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?)");
            }
            sql.append(" RETURNING id");
            LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (Pending row : fresh) {
                    byte[] body = row.json().getBytes(StandardCharsets.UTF_8);
                    String sha256 = WebhookBody.sha256(body);
                    InboxBodies.Sealed sealed = bodies.seal(sourceId, sha256, body, now.toLocalDate());
                    s.setString(p++, sourceId);
                    s.setObject(p++, now);
                    s.setString(p++, "application/json; source=csv-import");
                    s.setBytes(p++, sealed.body());
                    s.setString(p++, sealed.keyRef());
                    s.setString(p++, sha256);
                    s.setString(p++, row.deliveryId());
                }
                List<Long> inserted = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getLong(1));
                    }
                }
                return inserted;
            }
        });
        for (int i = 0; i < fresh.size(); i++) {
            stored.put(fresh.get(i).line(), ids.get(i));
        }
        for (int from = 0; from < ids.size(); from += 256) {
            queue.publish(new InboxRowsReceived(ids.subList(from, Math.min(ids.size(), from + 256))));
        }
        trail.record(AuditEvent.of("ingestion", "IMPORT_ROWS_STORED").by(actor).about("import:" + importId)
                .with("source", sourceId).with("rows", fresh.size()).with("firstLine", fresh.get(0).line()).build());
        return stored;
    }
}
