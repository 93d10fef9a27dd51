package io.guestbridge.crmsync.internal.links;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.api.Database;
import io.guestbridge.platform.api.Jdbc;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/** Which CRM record is which guest, per connector (crm_link), and which CRM events were already applied. */
// JDBC: looked up and upserted for every contact a batch carries; bench/crmsync measures this per contact
@ApplicationScoped
public class CrmLinks {

    @Resource(lookup = Database.JNDI_NAME)
    DataSource dataSource;

    /** Links many CRM ids in one statement. Joins the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void linkAll(String connector, java.util.Map<String, GuestId> crmIdToGuest) {
        if (crmIdToGuest.isEmpty()) {
            return;
        }
        Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO crm_link (connector, crm_id, guest_id, linked_at) VALUES "
                    + String.join(",", java.util.Collections.nCopies(crmIdToGuest.size(), "(?, ?, ?, ?)"))
                    + " ON DUPLICATE KEY UPDATE guest_id = VALUES(guest_id)")) {
                int p = 1;
                LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
                for (java.util.Map.Entry<String, GuestId> link : crmIdToGuest.entrySet()) {
                    s.setString(p++, connector);
                    s.setString(p++, link.getKey());
                    s.setString(p++, link.getValue().value());
                    s.setObject(p++, now);
                }
                return s.executeUpdate();
            }
        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<GuestId> guest(String connector, String crmId) {
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT guest_id FROM crm_link WHERE connector = ? AND crm_id = ?")) {
                s.setString(1, connector);
                s.setString(2, crmId);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new GuestId(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** The CRM ids of many guests, in one query; guests the CRM does not hold yet are absent. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Map<GuestId, String> crmIds(String connector, java.util.List<GuestId> guests) {
        java.util.Map<GuestId, String> ids = new java.util.HashMap<>();
        if (guests.isEmpty()) {
            return ids;
        }
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement(Jdbc.withIndexDives("SELECT guest_id, crm_id FROM crm_link WHERE connector = ? AND guest_id IN ("
                    + String.join(",", java.util.Collections.nCopies(guests.size(), "?")) + ")"))) {
                s.setString(1, connector);
                for (int i = 0; i < guests.size(); i++) {
                    s.setString(i + 2, guests.get(i).value());
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.put(new GuestId(rs.getString(1)), rs.getString(2));
                    }
                }
            }
            return ids;
        });
    }

    /** Records an event id; false when it was seen before (a redelivery). Joins the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String connector, String eventId) {
        return Jdbc.inConnection(dataSource, "crmsync", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT IGNORE INTO crm_event_seen (connector, event_id, seen_at) VALUES (?, ?, ?)")) {
                s.setString(1, connector);
                s.setString(2, eventId);
                s.setObject(3, LocalDateTime.now(ZoneOffset.UTC));
                return s.executeUpdate() == 1;
            }
        });
    }
}
