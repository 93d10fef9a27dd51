package io.guestbridge.crmsync.internal.links;

import io.guestbridge.identity.api.GuestId;
import io.guestbridge.platform.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch's CRM ids are found by the guest index whatever MariaDB's statistics say: statistics that say one value fills
 * the table (as sampling can say of a table that grows fast) made it read all of the connector's links, here 20,100.
 */
class CrmLinksPlanTest {

    private final TestDatabase db = TestDatabase.get();

    @Test
    void aBatchOfGuestsIsLookedUpByTheGuestIndexWhateverTheStatisticsSay() throws Exception {
        String connector = "plans-" + UUID.randomUUID();
        List<GuestId> batch = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO crm_link (connector, crm_id, guest_id, linked_at) VALUES (?, ?, ?, NOW(6))")) {
            for (int i = 0; i < 100; i++) {
                GuestId guest = GuestId.random();
                batch.add(guest);
                s.setString(1, connector);
                s.setString(2, "crm-" + i);
                s.setString(3, guest.value());
                s.addBatch();
            }
            s.executeBatch();
            try (var others = c.createStatement()) {
                others.executeUpdate("INSERT INTO crm_link (connector, crm_id, guest_id, linked_at) SELECT '" + connector
                        + "', CONCAT('other-', seq), UUID(), NOW(6) FROM seq_1_to_20000");
            }
            c.commit();
        }
        CrmLinks links = new CrmLinks();
        links.dataSource = db.dataSource();
        long read = db.rowsReadUnderWorstStatistics("crm_link", () -> assertEquals(100, links.crmIds(connector, batch).size()));
        assertTrue(read < 1_000, "links read for 100 of the connector's 20,100: " + read);
    }
}
