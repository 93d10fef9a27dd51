package io.guestbridge.crmsync.internal.delivery;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The facts of each guest at a connector's last successful sync (crm_sync_facts), which its triggers compare with. */
// JDBC: read and written for a whole batch in one statement each; bench/crmsync measures this per contact
@ApplicationScoped
public class SyncFactsStore {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    /** The facts at the connector's last sync of each guest, in one query; guests it never stored are absent. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<GuestId, SyncFacts> lastSynced(String connector, List<GuestId> guests) {
        Map<GuestId, SyncFacts> facts = new HashMap<>();
        if (guests.isEmpty()) {
            return facts;
        }
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT guest_id, visits, stays_changed_at, consent_sequence, rectified_at FROM crm_sync_facts "
                    + "WHERE connector = ? AND guest_id IN (" + String.join(",", Collections.nCopies(guests.size(), "?")) + ")")) {
                s.setString(1, connector);
                for (int i = 0; i < guests.size(); i++) {
                    s.setString(i + 2, guests.get(i).value());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant stays = Jdbc.instant(rs, 3);
                        long sequence = rs.getLong(4);
                        Long consent = rs.wasNull() ? null : sequence;
                        Instant rectified = Jdbc.instant(rs, 5);
                        facts.put(new GuestId(rs.getString(1)), new SyncFacts(rs.getInt(2), stays,
                                consent, null, rectified));
                    }
                }
            }
            return facts;
        });
    }

    /**
     * Keeps the facts the connector was just sent, in one statement. Each fact only moves forward, so when syncs of
     * one guest overlap the older one cannot undo what the newer one kept. Joins the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void synced(String connector, Map<GuestId, SyncFacts> sent) {
        if (sent.isEmpty()) {
            return;
        }
        Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO crm_sync_facts (connector, guest_id, synced_at, visits, stays_changed_at, "
                    + "consent_sequence, rectified_at) VALUES " + String.join(",", Collections.nCopies(sent.size(), "(?, ?, ?, ?, ?, ?, ?)"))
                    + " ON DUPLICATE KEY UPDATE synced_at = VALUES(synced_at), visits = GREATEST(visits, VALUES(visits)), "
                    + "stays_changed_at = GREATEST(COALESCE(stays_changed_at, VALUES(stays_changed_at)), COALESCE(VALUES(stays_changed_at), stays_changed_at)), "
                    + "consent_sequence = GREATEST(COALESCE(consent_sequence, VALUES(consent_sequence)), COALESCE(VALUES(consent_sequence), consent_sequence)), "
                    + "rectified_at = GREATEST(COALESCE(rectified_at, VALUES(rectified_at)), COALESCE(VALUES(rectified_at), rectified_at))")) {
                int p = 1;
                LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
                for (Map.Entry<GuestId, SyncFacts> fact : sent.entrySet()) {
                    s.setString(p++, connector);
                    s.setString(p++, fact.getKey().value());
                    s.setObject(p++, now);
                    s.setInt(p++, fact.getValue().visits());
                    if (fact.getValue().staysChangedAt() == null) {
                        s.setNull(p++, Types.TIMESTAMP);
                    } else {
                        s.setObject(p++, Jdbc.utc(fact.getValue().staysChangedAt()));
                    }
                    if (fact.getValue().consentSequence() == null) {
                        s.setNull(p++, Types.BIGINT);
                    } else {
                        s.setLong(p++, fact.getValue().consentSequence());
                    }
                    if (fact.getValue().rectifiedAt() == null) {
                        s.setNull(p++, Types.TIMESTAMP);
                    } else {
                        s.setObject(p++, Jdbc.utc(fact.getValue().rectifiedAt()));
                    }
                }
                return s.executeUpdate();
            }
        });
    }
}
