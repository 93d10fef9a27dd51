package io.guestbridge.crmsync.internal.links;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrmLinkAccessTest {

    @Test
    void aLinkNamesTheCrmItsRecordAndSinceWhen() {
        JsonObject link = CrmLinkAccess.link("hubspot-main", "HUBSPOT", "901", Instant.parse("2026-11-25T08:00:00.5Z")).build();
        assertEquals("hubspot-main", link.getString("connector"));
        assertEquals("HUBSPOT", link.getString("crmType"));
        assertEquals("901", link.getString("crmId"));
        assertEquals("2026-11-25T08:00:00.500Z", link.getString("linkedAt"));
    }

    @Test
    void aConnectorNoLongerConfiguredKeepsItsNameButNoType() {
        JsonObject link = CrmLinkAccess.link("old-crm", null, "x-1", Instant.parse("2026-11-25T08:00:00Z")).build();
        assertEquals("old-crm", link.getString("connector"));
        assertTrue(link.isNull("crmType"));
    }
}
